"$SLAC" build "$POLICIES/tagoio.sla" -o whole.slbc && head -c 300 whole.slbc >tagoio.slbc
