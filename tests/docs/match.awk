# match.awk - does an output match the output a document shows?
#
#   awk -f match.awk EXPECTED ACTUAL     (exit 0 when it matches)
#
# Lines are compared exactly, except that a line "..." in EXPECTED stands
# for any number of lines (none included).  The segments between the
# "..." lines are found in order, each at its first place after the one
# before (leftmost matching is enough: a segment that fits further on
# would fit here too); the first segment is anchored at the start unless
# EXPECTED starts with "...", the last at the end unless it ends with one.
# Blank lines at the end of either are left out (the text report ends
# with one, and a Markdown block rarely keeps it).

FILENAME == ARGV[1] { want[++ne] = $0; next }
{ got[++na] = $0 }

function seg_at(s, pos,    k) {           # does segment s sit at got[pos]?
  for (k = 1; k <= seglen[s]; k++)
    if (pos + k - 1 > na || got[pos + k - 1] != want[segstart[s] + k - 1]) return 0
  return 1
}

END {
  while (ne > 0 && want[ne] == "") ne--
  while (na > 0 && got[na] == "") na--
  # the segments of EXPECTED between "..." lines
  ns = 0; open = 0
  for (i = 1; i <= ne; i++) {
    if (want[i] == "...") { open = 0; continue }
    if (!open) { ns++; segstart[ns] = i; seglen[ns] = 0; open = 1 }
    seglen[ns]++
  }
  lead = (ne >= 1 && want[1] == "...")
  trail = (ne >= 1 && want[ne] == "...")
  if (ns == 0) exit((lead || na == 0) ? 0 : 1)
  pos = 1
  for (s = 1; s <= ns; s++) {
    last = (s == ns && !trail)
    if (s == 1 && !lead) {
      if (!seg_at(1, 1)) exit 1
      if (last && seglen[1] != na) exit 1
      pos = seglen[1] + 1
      continue
    }
    if (last) {                           # anchored at the end
      p = na - seglen[s] + 1
      if (p < pos || !seg_at(s, p)) exit 1
      pos = na + 1
      continue
    }
    for (p = pos; p <= na - seglen[s] + 1; p++) if (seg_at(s, p)) break
    if (p > na - seglen[s] + 1) exit 1
    pos = p + seglen[s]
  }
  exit 0
}
