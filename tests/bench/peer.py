"""peer.py - the same results as slac, in plain Python, exactly.

    python3 peer.py windows   ACCOUNTS.csv WINDOWS.csv     (policies/piwik-pro.sla)
    python3 peer.py incidents ACCOUNTS.csv INCIDENTS.csv   (policies/saleor.sla)

Prints account,period,metric,uptime%,credit%,amount per account and month
(metric: error rate % for windows, unavailable minutes for incidents), the
percentages truncated to 4 decimals.  Exact: integers, and fractions where
needed.  Reads any RFC 4180 file (the csv module); timestamps may carry an
offset; fees are decimals with at most two digits after the point.
"""
import csv
import sys
from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

EXCLUDED = {"suspension", "termination", "aup_violation", "customer", "third_party",
            "force_majeure", "beta", "over_quota", "unauthorized"}
CAP = 600  # maintenance excluded up to 10 minutes per month (seconds)


def read_accounts(path):
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        h = next(rd)
        ia, ifee = h.index("account"), h.index("fee")
        order, cents = [], {}
        for row in rd:
            order.append(row[ia])
            cents[row[ia]] = int(Decimal(row[ifee]) * 100)
        return order, cents


_days = {}


def epoch(t):
    """Seconds since the epoch of an RFC 3339 time (fast path for ...Z)."""
    if len(t) == 20 and t[19] == "Z":
        d = _days.get(t[:10])
        if d is None:
            d = _days[t[:10]] = int(datetime(int(t[:4]), int(t[5:7]), int(t[8:10]),
                                             tzinfo=timezone.utc).timestamp())
        return d + int(t[11:13]) * 3600 + int(t[14:16]) * 60 + int(t[17:19])
    return int(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp())


def month_of(t):
    """(year, month) in UTC."""
    if len(t) == 20 and t[19] == "Z":
        return int(t[:4]), int(t[5:7])
    d = datetime.fromtimestamp(epoch(t), timezone.utc)
    return d.year, d.month


def month_start(ym):
    return int(datetime(ym[0], ym[1], 1, tzinfo=timezone.utc).timestamp())


def next_month(ym):
    return (ym[0] + 1, 1) if ym[1] == 12 else (ym[0], ym[1] + 1)


def month_minutes(ym):
    return (month_start(next_month(ym)) - month_start(ym)) // 60


def amount(cents, tier, minimum):
    a = (cents * tier + 50) // 100  # half-up to cents
    if a <= minimum:
        a = 0
    return "%d.%02d" % divmod(a, 100)


def pct4(x):
    return "%d.%04d" % divmod(x, 10000)


def windows(acc_path, path):
    order, cents = read_accounts(acc_path)
    groups = {}  # (account, (y, m)) -> {requests: sum of errors}
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        h = next(rd)
        ia, i_s, ir, ie = h.index("account"), h.index("start"), h.index("requests"), h.index("errors")
        get = groups.get
        for row in rd:
            key = (row[ia], month_of(row[i_s]))
            g = get(key)
            if g is None:
                g = groups[key] = {}
            r = int(row[ir])
            if r:
                e = int(row[ie])
                if e:
                    g[r] = g.get(r, 0) + e
    months = sorted({m for _, m in groups})
    K = 10 ** 40
    for a in order:
        for m in months:
            w = (month_start(next_month(m)) - month_start(m)) // 300  # windows in the month
            g = groups.get((a, m), {})
            # S = sum(E_r / r).  S*K lies in [F, F + n) (strictly inside when
            # n > 0); decide from that interval, else from the exact fraction.
            F = n = 0
            for r, e in g.items():
                q, rem = divmod(e * K, r)
                F += q
                n += rem != 0
            D = w * K // 10 ** 6  # 10^6 * S / w = S*K / D
            q, rem = divmod(F, D)
            exact = None
            if n == 0:
                lo, hi = q, q + (rem > 0)
            elif rem + n <= D:
                lo, hi = q, q + 1
            else:
                exact = sum((Fraction(e, r) for r, e in g.items()), Fraction(0))
                x = exact * 10 ** 6 / w
                lo, hi = x.numerator // x.denominator, -((-x.numerator) // x.denominator)
            B = w * K // 100  # below 99.0% <=> 100 S > w <=> S*K > B
            if n == 0:
                below = F > B
            elif F >= B:
                below = True
            elif F + n <= B:
                below = False
            else:
                if exact is None:
                    exact = sum((Fraction(e, r) for r, e in g.items()), Fraction(0))
                below = 100 * exact > w
            tier = 25 if below else 0
            print("%s,%04d-%02d,%s,%s,%d,%s" % (a, m[0], m[1], pct4(lo), pct4(10 ** 6 - hi), tier,
                                                 amount(cents[a], tier, 500)))


def union(spans):
    """Sorted, merged spans."""
    out = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e])
    return out


def subtract(a, b):
    """A minus B, both sorted and merged."""
    out, j = [], 0
    for s, e in a:
        cur = s
        while j < len(b) and b[j][1] <= cur:
            j += 1
        k = j
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def minutes(spans):
    n, last = 0, None
    for s, e in spans:
        f, l = s // 60, (e - 1) // 60
        n += l - f + 1 - (f == last)
        last = l
    return n


def incidents(acc_path, path):
    order, cents = read_accounts(acc_path)
    pieces = {}  # (account, (y, m)) -> ([counting], [maintenance], [excluded])
    months = set()
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        h = next(rd)
        ia, iv, i_s, i_e = h.index("account"), h.index("service"), h.index("start"), h.index("end")
        ic = h.index("cause")
        for row in rd:
            if row[iv] != "covered":
                continue
            c = row[ic]
            k = 0 if c in ("", "outage") else 1 if c == "maintenance" else 2 if c in EXCLUDED else -1
            if k < 0:
                sys.exit("%s:%d: unknown cause %r" % (path, rd.line_num, c))
            s, e = epoch(row[i_s]), epoch(row[i_e])
            m = month_of(row[i_s]) if s == e else None
            if m is not None:
                months.add(m)
            while s < e:
                m = month_of(row[i_s]) if m is None else next_month(m)
                me = month_start(next_month(m))
                months.add(m)
                key = (row[ia], m)
                p = pieces.get(key)
                if p is None:
                    p = pieces[key] = ([], [], [])
                p[k].append((s, min(e, me)))
                s = me
    for a in order:
        for m in sorted(months):
            mm = month_minutes(m)
            p = pieces.get((a, m))
            u = 0
            if p is not None:
                applied, excess, left = list(p[2]), [], CAP
                for s, e in union(p[1]):
                    cut = e if e - s <= left else s + left
                    left -= cut - s
                    if cut > s:
                        applied.append((s, cut))
                    if e > cut:
                        excess.append((cut, e))
                u = minutes(subtract(union(p[0] + excess), union(applied)))
            x = (mm - u) * 10 ** 6 // mm
            tier = 25 if 1000 * (mm - u) < 999 * mm else 15 if 10000 * (mm - u) < 9995 * mm else 0
            print("%s,%04d-%02d,%d,%s,%d,%s" % (a, m[0], m[1], u, pct4(x), tier,
                                                 amount(cents[a], tier, -1)))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("windows", "incidents"):
        sys.exit(__doc__)
    sys.stdout = open(sys.stdout.fileno(), "w", buffering=1 << 20, closefd=False)
    (windows if sys.argv[1] == "windows" else incidents)(sys.argv[2], sys.argv[3])
    sys.stdout.flush()
