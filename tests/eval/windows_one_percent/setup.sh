# every five-minute window of September 2026: 100 requests, 1 error (~300 KB)
awk 'BEGIN {
  print "service,start,requests,errors"
  for (d = 1; d <= 30; d++) for (h = 0; h < 24; h++) for (m = 0; m < 60; m += 5)
    printf "hosting,2026-09-%02dT%02d:%02d:00Z,100,1\n", d, h, m
}' >windows.csv
