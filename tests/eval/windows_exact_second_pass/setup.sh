# every five-minute window of September 2026, alternately 1/3 and 2/3 errors
awk 'BEGIN {
  print "service,start,requests,errors"
  n = 0
  for (d = 1; d <= 30; d++) for (h = 0; h < 24; h++) for (m = 0; m < 60; m += 5)
    printf "hosting,2026-09-%02dT%02d:%02d:00Z,3,%d\n", d, h, m, (n++ % 2) + 1
}' >windows.csv
