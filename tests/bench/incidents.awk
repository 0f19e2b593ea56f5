# incidents.awk - Saleor unavailable minutes in plain awk, as a user would
# write it: split each incident at month edges, keep the pieces per
# account, month and kind (counting, maintenance, other excluded), then per
# account and month: union of the maintenance pieces with its first 10
# minutes excluded and the rest counted, a sweep over the start and end
# points for downtime = (counting U excess) minus exclusions, and the clock
# minutes it touches.
#
#   awk -f incidents.awk ACCOUNTS.csv INCIDENTS.csv
#
# Prints account,period,unavailable_minutes,uptime%,credit%,amount.  Exact:
# every quantity is an integer below 2^53, and divisions are done with
# remainders.  Assumes what slac_gen writes: no quoted field before the
# columns it reads (the quoted notes are last), UTC timestamps ending in Z,
# fees with two decimals.  POSIX awk (mawk or gawk).
BEGIN {
  FS = ","
  CAP = 600
  kind[""] = "c"; kind["outage"] = "c"; kind["maintenance"] = "m"
  n = split("suspension termination aup_violation customer third_party force_majeure beta over_quota unauthorized", xs, " ")
  for (i = 1; i <= n; i++) kind[xs[i]] = "x"
}
FNR == 1 {
  file++
  for (i = 1; i <= NF; i++) col[file, $i] = i
  if (file == 2) { ca = col[2, "account"]; cv = col[2, "service"]; cs = col[2, "start"]; ce = col[2, "end"]; cc = col[2, "cause"] }
  next
}
file == 1 {
  a = $(col[1, "account"])
  order[++nacc] = a
  split($(col[1, "fee"]), p, ".")
  cents[a] = p[1] * 100 + p[2]
  next
}
function dfc(y, m, d,   era, yoe, doy) {      # days from civil (y >= 1)
  y -= (m <= 2)
  era = int(y / 400); yoe = y - era * 400
  doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
}
function epoch(t,   d) {
  d = substr(t, 1, 10)
  if (!(d in dcache)) dcache[d] = dfc(substr(t, 1, 4) + 0, substr(t, 6, 2) + 0, substr(t, 9, 2) + 0) * 86400
  return dcache[d] + substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60 + substr(t, 18, 2)
}
function mstart(mi) {
  if (!(mi in mcache)) mcache[mi] = dfc(int(mi / 12), mi % 12 + 1, 1) * 86400
  return mcache[mi]
}
$cv == "covered" {
  c = $cc
  if (!(c in kind)) { print FILENAME ":" FNR ": unknown cause " c > "/dev/stderr"; bad = 1; exit 1 }
  k = kind[c]; a = $ca
  s = epoch($cs); e = epoch($ce)
  mi = (substr($cs, 1, 4) + 0) * 12 + substr($cs, 6, 2) - 1
  touched[mi] = 1
  while (s < e) {
    me = mstart(mi + 1)
    pe = e < me ? e : me
    lst[k, a, mi] = lst[k, a, mi] " " s " " pe
    touched[mi] = 1
    s = pe; mi++
  }
}
# Load the "start end" pairs of list K of A in month MI into S, E sorted
# by start; returns n.  (An "in" test first: a lookup would create keys.)
function load(k, a, mi, S, E,   n, parts, i, j, vs, ve, cnt) {
  if (!((k, a, mi) in lst)) return 0
  n = split(lst[k, a, mi], parts, " ")
  cnt = 0
  for (i = 1; i < n; i += 2) {
    vs = parts[i] + 0; ve = parts[i + 1] + 0
    for (j = cnt; j >= 1 && S[j] > vs; j--) { S[j + 1] = S[j]; E[j + 1] = E[j] }
    S[j + 1] = vs; E[j + 1] = ve; cnt++
  }
  return cnt
}
function event(t, dd, da,   j) {
  for (j = nev; j >= 1 && ET[j] > t; j--) { ET[j + 1] = ET[j]; EDD[j + 1] = EDD[j]; EDA[j + 1] = EDA[j] }
  ET[j + 1] = t; EDD[j + 1] = dd; EDA[j + 1] = da; nev++
}
function unavailable(a, mi,   n, i, left, is, ie, cut, cd, cxa, prev, t, f, l, cnt, lastmin) {
  nev = 0
  n = load("c", a, mi, S, E)
  for (i = 1; i <= n; i++) { event(S[i], 1, 0); event(E[i], -1, 0) }
  n = load("x", a, mi, S, E)
  for (i = 1; i <= n; i++) { event(S[i], 0, 1); event(E[i], 0, -1) }
  n = load("m", a, mi, S, E)
  left = CAP; i = 1
  while (i <= n) {                      # union of maintenance, in time order
    is = S[i]; ie = E[i]; i++
    while (i <= n && S[i] <= ie) { if (E[i] > ie) ie = E[i]; i++ }
    cut = ie - is <= left ? ie : is + left
    left -= cut - is
    if (cut > is) { event(is, 0, 1); event(cut, 0, -1) }
    if (ie > cut) { event(cut, 1, 0); event(ie, -1, 0) }
  }
  cd = 0; cxa = 0; cnt = 0; lastmin = -1; i = 1
  while (i <= nev) {
    t = ET[i]
    if (i > 1 && cd > 0 && cxa == 0 && t > prev) {
      f = (prev - prev % 60) / 60; l = ((t - 1) - (t - 1) % 60) / 60
      cnt += l - f + 1 - (f == lastmin)
      lastmin = l
    }
    while (i <= nev && ET[i] == t) { cd += EDD[i]; cxa += EDA[i]; i++ }
    prev = t
  }
  return cnt
}
END {
  if (bad) exit 1
  nm = 0
  for (mi in touched) ms[++nm] = mi + 0
  for (i = 2; i <= nm; i++) {
    v = ms[i]
    for (j = i - 1; j >= 1 && ms[j] > v; j--) ms[j + 1] = ms[j]
    ms[j + 1] = v
  }
  for (k = 1; k <= nacc; k++) {
    a = order[k]
    for (i = 1; i <= nm; i++) {
      mi = ms[i]
      M = (mstart(mi + 1) - mstart(mi)) / 60
      U = unavailable(a, mi)
      x = (M - U) * 1000000; u4 = (x - x % M) / M
      if (1000 * (M - U) < 999 * M) tier = 25
      else if (10000 * (M - U) < 9995 * M) tier = 15
      else tier = 0
      y = cents[a] * tier + 50; amt = (y - y % 100) / 100
      printf "%s,%04d-%02d,%d,%d.%04d,%d,%d.%02d\n", a, int(mi / 12), mi % 12 + 1, U,
             (u4 - u4 % 10000) / 10000, u4 % 10000, tier, (amt - amt % 100) / 100, amt % 100
    }
  }
}
