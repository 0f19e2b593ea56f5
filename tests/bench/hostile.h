/* hostile.h - the hostile inputs of slac_gen (hostile.c, issue 15). */
#ifndef SLAC_BENCH_HOSTILE_H
#define SLAC_BENCH_HOSTILE_H

/* `slac_gen hostile KIND N [M] [-o FILE]`: ARGV as main's.  Returns the
 * exit status. */
int slac_gen_hostile(int argc, char **argv);

#endif
