/* main.c - the entry point of the slac executable: signals that would
 * leave temporary files behind are caught (runtime/base/tempfile.h), then
 * the command runs (dispatch.c). */
#include "cli/cli.h"
#include "runtime/base/tempfile.h"

int main(int argc, char **argv) {
  slac_temp_catch_signals();
  return slac_main(argc, argv);
}
