/* position.c - UTF-16 offsets and code-point columns (position.h). */
#include "lsp/position.h"

/* The length of the UTF-8 sequence led by byte B (1 for a stray byte). */
static size_t seq_len(unsigned char b) {
  return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

long slac_lsp_utf16_offset(const char *line, size_t len, int column) {
  long units = 0;
  int col = 1;
  size_t i = 0;
  for (; i < len && col < column; col++) {
    size_t k = seq_len((unsigned char)line[i]);
    units += k == 4 ? 2 : 1;
    i += k;
  }
  return units + (col < column ? column - col : 0);
}

int slac_lsp_column(const char *line, size_t len, long offset) {
  long units = 0;
  int col = 1;
  for (size_t i = 0; i < len; col++) {
    size_t k = seq_len((unsigned char)line[i]);
    long w = k == 4 ? 2 : 1;
    if (units + w > offset) return col;
    units += w;
    i += k;
  }
  return col + (int)(offset > units ? (offset - units > 1 << 20 ? 1 << 20 : offset - units) : 0);
}

long slac_lsp_utf16_length(const char *line, size_t len) {
  long units = 0;
  for (size_t i = 0; i < len;) {
    size_t k = seq_len((unsigned char)line[i]);
    units += k == 4 ? 2 : 1;
    i += k;
  }
  return units;
}
