"$SLAC" build "$POLICIES/tagoio.sla" -o old.slbc &&
  printf '\001\000' | dd of=old.slbc bs=1 seek=4 conv=notrunc 2>/dev/null
