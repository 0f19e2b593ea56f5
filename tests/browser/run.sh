#!/bin/sh
# run.sh - the html statements in a real browser (issue 20 item 2):
# Debian's chromium, headless, renders each example's report.  For every
# example, the rendered DOM (--dump-dom) must hold the headings, the total
# per currency and the first credited amount that the text report gives,
# one marked tier per service and statement (and a tier table with one
# row marked), and one chart with its text alternative per service and
# statement: minutes per day for a minute-measured service, request
# windows per day for an error-rate one (piwik-pro).  For saleor, a
# screenshot must be a PNG of a real size, and the PDF printed on A4 must
# have a page for the summary and one per statement and hold the account
# and the amount (pdftotext).  No case needs the network: the file names
# no URL (checked), and chromium runs with its background networking off
# and every host name unresolvable.  Chromium missing is a failure, not a
# skip: scripts/deps.sh installs it.
#   sh tests/browser/run.sh SLAC SOURCE-DIR
set -u
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh tests/browser/run.sh SLAC SOURCE-DIR"
slac_binary "$1"
need_executable
src=$(cd "$2" && pwd)
scratch browser
for tool in chromium pdftotext; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "FAIL: $tool is not installed (sh scripts/deps.sh installs it)"
    exit 1
  fi
done
# root needs --no-sandbox; a profile of our own, removed with $tmp
browser() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-default-apps --disable-extensions \
    --host-resolver-rules='MAP * ~NOTFOUND' "$@" 2>>"$tmp/chromium.log"
}
check() { # check WHAT CONDITION...: a case
  what=$1
  shift
  if "$@"; then case_passed; else case_failed; echo "FAIL $what"; fi
}
has() { grep -qF -- "$2" "$1"; }
count_is() { [ "$(grep -oF -- "$2" "$1" | wc -l)" -eq "$3" ]; }

for name in piwik-pro saleor tagoio; do
  dir=$src/examples/$name
  out=$tmp/$name
  (cd "$dir" && eval "\"$slac\" eval $(cat command) --format html -o \"$out.html\"") &&
    (cd "$dir" && eval "\"$slac\" eval $(cat command) --format text") > "$out.txt" || {
    case_failed; echo "FAIL $name: slac eval"; continue; }
  check "$name: the file names no URL" sh -c "! grep -q '://' \"$out.html\""
  browser --dump-dom "file://$out.html" > "$out.dom"
  # what the text report says, the DOM must show
  statements=$(grep -c '^[^ ].*, [0-9][0-9][0-9][0-9]-[0-9][0-9] (' "$out.txt")
  tiers=$(grep -c '; tier ' "$out.txt")
  charts=$(grep -c '^  [^ ].*: uptime .*, [0-9]* unavailable min' "$out.txt")
  rate_charts=$(grep -c '^  [^ ].*: uptime .*, average error rate ' "$out.txt")
  total=$(sed -n '/^totals, /,$s/^  credit \([0-9.]*\) \([A-Z]*\)$/<th scope="row">\2<\/th><td class="num">\1<\/td>/p' "$out.txt" | head -1)
  amount=$(sed -n 's/^  credit [0-9.]*%: \([0-9.]*[1-9][0-9.]*\) \([A-Z]*\).*/<strong>\1 \2<\/strong>/p' "$out.txt" | head -1)
  title=$(head -1 "$out.txt" | sed 's/&/\&amp;/g')
  check "$name: h1" has "$out.dom" "<h1>$title</h1>"
  check "$name: summary heading" has "$out.dom" '<h2 id="summary">Summary</h2>'
  # h2 ids: "summary", then s1, s2, ... a statement each
  check "$name: a statement heading per account and month" count_is "$out.dom" '<h2 id="s' $((statements + 1))
  check "$name: the total per currency" sh -c "[ -n '$total' ] && grep -qF -- '$total' \"$out.dom\""
  check "$name: the first credited amount" sh -c "[ -n '$amount' ] && grep -qF -- '$amount' \"$out.dom\""
  check "$name: a marked tier per service and statement" count_is "$out.dom" '<tr class="tier"><th scope="row">Credit tier</th><td class="num"><mark>' "$tiers"
  check "$name: a tier table per service and statement" count_is "$out.dom" '<table class="tiers">' "$tiers"
  check "$name: one row marked in each tier table" count_is "$out.dom" '<tr class="applies">' "$tiers"
  check "$name: a chart per service and statement ($charts minute, $rate_charts error-rate)" \
    count_is "$out.dom" '<svg class="chart" width=' $((charts + rate_charts))
  [ "$name" = piwik-pro ] && check "$name: error-rate services in the text" [ "$rate_charts" -gt 0 ]
  check "$name: an error budget per service and statement, as in the text" \
    count_is "$out.dom" '<p class="budget">error budget: ' "$(grep -c '^    error budget: ' "$out.txt")"
  check "$name: the charts' titles" count_is "$out.dom" '<title>Minutes per day of ' "$charts"
  check "$name: the charts' labels" count_is "$out.dom" 'role="img" aria-label="Minutes per day of ' "$charts"
  check "$name: the window charts' titles" count_is "$out.dom" '<title>Request windows of ' "$rate_charts"
  check "$name: the window charts' labels" count_is "$out.dom" 'role="img" aria-label="Request windows of ' "$rate_charts"
  check "$name: the window charts' captions" count_is "$out.dom" '<figcaption>Request windows of ' "$rate_charts"
done

# saleor: a screenshot and a printed statement
out=$tmp/saleor
browser --screenshot="$out.png" --window-size=900,1400 --hide-scrollbars "file://$out.html" >/dev/null
check "saleor: a PNG written" sh -c "[ \"\$(head -c 8 \"$out.png\" | od -An -tx1 | tr -d ' \n')\" = 89504e470d0a1a0a ]"
check "saleor: the PNG has a real size" sh -c "[ \$(wc -c < \"$out.png\") -gt 20000 ]"
browser --print-to-pdf="$out.pdf" --no-pdf-header-footer "file://$out.html" >/dev/null
pages=$(grep -ao '/Type */Page\b' "$out.pdf" | wc -l)
check "saleor: a PDF page for the summary and each of 9 statements (got $pages)" [ "$pages" -eq 10 ]
pdftotext -layout "$out.pdf" "$out.pdf.txt" 2>>"$tmp/chromium.log"
check "saleor: the PDF names the account" has "$out.pdf.txt" 'globex, 2026-09'
check "saleor: the PDF shows the amount" has "$out.pdf.txt" '52.35 USD'
check "saleor: the PDF shows the total" has "$out.pdf.txt" '65.85'
[ "$failed" -eq 0 ] || tail -20 "$tmp/chromium.log"
counts_line
