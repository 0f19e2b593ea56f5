# a policy excluding 40 declared causes with long descriptions, and one
# 1-minute incident of each: the report has 40 reasons of about 230 bytes
awk 'BEGIN {
  print "policy longreasons \"Long reasons SLA\" version 1 {"
  print "  currency USD"
  print "  service api \"API\" {"
  print "    measure unavailable minutes"
  print "    commit 99.9%"
  print "  }"
  print "  credit of monthly fee {"
  print "    below 99.9% -> 10%"
  print "  }"
  d = "work announced in writing, at least seven days ahead, by the provider, to every customer, in its status page and by e-mail to the technical contact, with the services affected and the expected duration"
  for (i = 1; i <= 40; i++) {
    printf "  cause c%02d \"%s (kind %02d)\"\n", i, d, i
    printf "  exclude c%02d\n", i
  }
  print "}"
}' >long.sla
awk 'BEGIN {
  print "service,start,end,cause"
  for (i = 1; i <= 40; i++) printf "api,2026-09-01T00:%02d:00Z,2026-09-01T00:%02d:00Z,c%02d\n", i - 1, i, i
}' >incidents.csv
