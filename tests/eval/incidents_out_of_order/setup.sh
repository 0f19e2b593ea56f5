# 300 one-minute outages at hh:00 of 300 distinct hours of October 2026
# and 300 five-minute maintenance windows at hh:30, every row in an order
# far from time order (hour = 97 * i mod 744, resp. 89 * i mod 744):
# most inserts go to the middle of the span sets, which put them aside
# and merge them (runtime/data/intervals.c).
awk 'BEGIN {
  print "account,service,start,end,cause"
  for (i = 0; i < 300; i++) {
    h = (97 * i) % 744; d = int(h / 24) + 1; hh = h % 24
    printf "acme,covered,2026-10-%02dT%02d:00:00Z,2026-10-%02dT%02d:01:00Z,outage\n", d, hh, d, hh
    h = (89 * i) % 744; d = int(h / 24) + 1; hh = h % 24
    printf "acme,covered,2026-10-%02dT%02d:30:00Z,2026-10-%02dT%02d:35:00Z,maintenance\n", d, hh, d, hh
  }
}' >incidents.csv
