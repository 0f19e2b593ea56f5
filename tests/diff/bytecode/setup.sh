# setup.sh runs in a copy of the folder before slac diff
"$SLAC" build "$POLICIES/saleor.sla" -o saleor.slbc 2>/dev/null
