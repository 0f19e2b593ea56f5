/* fileio.c - whole-file reads and atomic writes (temporary file + rename). */
#include "runtime/base/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

int slac_write_atomic(const char *path, const uint8_t *bytes, size_t size, slac_diags *d) {
  size_t n = strlen(path);
  char *tmp = malloc(n + 16);
  if (!tmp) { slac_diag_oom(d); return -1; }
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".tmp.XXXXXX", 12);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    slac_diag_plain(d, SLAC_ERROR, "cannot write '%s': %s", path, strerror(errno));
    free(tmp);
    return -1;
  }
  const uint8_t *p = bytes;
  size_t left = size;
  int e = 0;
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      e = errno;
      break;
    }
    p += w;
    left -= (size_t)w;
  }
  if (!e && fsync(fd) != 0) e = errno;
  if (close(fd) != 0 && !e) e = errno;
  /* mkstemp makes the file 0600; give it the usual permissions */
  if (!e) {
    mode_t mask = umask(0);
    umask(mask);
    if (chmod(tmp, 0666 & ~mask) != 0) e = errno;
  }
  if (!e && rename(tmp, path) != 0) e = errno;
  if (e) {
    unlink(tmp);
    slac_diag_plain(d, SLAC_ERROR, "cannot write '%s': %s", path, strerror(e));
  }
  free(tmp);
  return e ? -1 : 0;
}

int slac_read_file(const char *path, uint8_t **bytes, size_t *size, slac_diags *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *b = malloc(cap);
  while (b) {
    if (n == cap) {
      uint8_t *r = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
      if (!r) { free(b); b = NULL; break; }
      b = r;
      cap *= 2;
    }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  int rerr = ferror(f);
  fclose(f);
  if (!b) { slac_diag_oom(d); return -1; }
  if (rerr) {
    free(b);
    slac_diag_plain(d, SLAC_ERROR, "cannot read '%s'", path);
    return -1;
  }
  *bytes = b;
  *size = n;
  return 0;
}
