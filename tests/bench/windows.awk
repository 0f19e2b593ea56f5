# windows.awk - the Piwik PRO window error rate in plain awk, as a user
# would write it: per account and month, the sum of errors/requests in
# doubles, divided by every five-minute window of the month.
#
#   awk -f windows.awk ACCOUNTS.csv WINDOWS.csv
#
# Prints account,period,error_rate%,uptime%,credit%,amount (4 decimals
# truncated, amount in the fee's currency, 0.00 unless greater than 5.00).
# Not exact: doubles decide the truncation and the 99.0% threshold.
# Assumes what slac_gen writes: no quoted fields, UTC timestamps ending in
# Z, fees with two decimals.  POSIX awk (mawk or gawk).
BEGIN { FS = "," }
FNR == 1 {
  file++
  for (i = 1; i <= NF; i++) col[file, $i] = i
  if (file == 2) { ca = col[2, "account"]; cs = col[2, "start"]; cr = col[2, "requests"]; ce = col[2, "errors"] }
  next
}
file == 1 {
  a = $(col[1, "account"])
  order[++nacc] = a
  split($(col[1, "fee"]), p, ".")
  cents[a] = p[1] * 100 + p[2]
  next
}
{
  m = substr($cs, 1, 7)
  if (!(m in seen)) { seen[m] = 1; months[++nm] = m }
  r = $cr + 0
  if (r > 0) sum[$ca, m] += $ce / r
}
function days_in(m,   y, mo) {
  y = substr(m, 1, 4) + 0; mo = substr(m, 6, 2) + 0
  if (mo == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
  return (mo == 4 || mo == 6 || mo == 9 || mo == 11) ? 30 : 31
}
END {
  for (i = 2; i <= nm; i++) {            # sort the months (few)
    v = months[i]
    for (j = i - 1; j >= 1 && months[j] > v; j--) months[j + 1] = months[j]
    months[j + 1] = v
  }
  for (k = 1; k <= nacc; k++) {
    a = order[k]
    for (i = 1; i <= nm; i++) {
      m = months[i]
      w = days_in(m) * 288
      er = 100 * sum[a, m] / w
      up = 100 - er
      e4 = int(er * 10000); u4 = int(up * 10000)
      tier = up < 99 ? 25 : 0
      amt = int((cents[a] * tier + 50) / 100)
      if (amt <= 500) amt = 0
      printf "%s,%s,%d.%04d,%d.%04d,%d,%d.%02d\n", a, m, int(e4 / 10000), e4 % 10000,
             int(u4 / 10000), u4 % 10000, tier, int(amt / 100), amt % 100
    }
  }
}
