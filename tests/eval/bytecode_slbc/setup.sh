"$SLAC" build "$POLICIES/tagoio.sla" -o tagoio.slbc
