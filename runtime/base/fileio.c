/* fileio.c - whole-file reads, and the writes of `-o`: a regular file
 * atomically (temporary file + rename), anything else in place
 * (fileio.h). */
#include "runtime/base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "runtime/base/tempfile.h"

/* The longest file name most file systems take (NAME_MAX). */
enum { NAME_LIMIT = 255, MAX_LINKS = 40 };

/* Write all of BYTES to FD.  Returns 0 or an errno value. */
static int write_all(int fd, const uint8_t *bytes, size_t size) {
  while (size > 0) {
    ssize_t w = write(fd, bytes, size);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes += w;
    size -= (size_t)w;
  }
  return 0;
}

/* The descriptor that PATH names - /dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N - or -1.  Such a path is the shell's redirection: it is
 * written through the descriptor, so that `>>` appends and a file opened
 * by the shell is not replaced behind its back. */
static int descriptor_named(const char *path) {
  if (strcmp(path, "/dev/stdout") == 0) return 1;
  if (strcmp(path, "/dev/stderr") == 0) return 2;
  const char *n = NULL;
  if (strncmp(path, "/dev/fd/", 8) == 0) n = path + 8;
  else if (strncmp(path, "/proc/self/fd/", 14) == 0) n = path + 14;
  if (!n || !*n) return -1;
  int v = 0;
  for (; *n; n++) {
    if (*n < '0' || *n > '9' || v > 100000) return -1;
    v = v * 10 + (*n - '0');
  }
  return v;
}

/* Write to an open descriptor, or to a file that is not regular, in
 * place.  Returns 0 or an errno value. */
static int write_in_place(const char *path, int fd, const uint8_t *bytes, size_t size) {
  if (fd >= 0) {
    if (fcntl(fd, F_GETFL) < 0) return errno;
    if (fd == 1) fflush(stdout); /* what the command printed comes first */
    return write_all(fd, bytes, size);
  }
  fd = open(path, O_WRONLY | O_NOCTTY);
  if (fd < 0) return errno;
  int e = write_all(fd, bytes, size);
  if (close(fd) != 0 && !e) e = errno;
  return e;
}

/* The next path after the symbolic link CUR (whose target is relative
 * to CUR's folder), malloc'ed, or NULL with errno set. */
static char *link_target(const char *cur) {
  size_t cap = 256;
  for (;;) {
    char *buf = malloc(cap);
    if (!buf) return NULL;
    ssize_t n = readlink(cur, buf, cap);
    if (n < 0) {
      free(buf);
      return NULL;
    }
    if ((size_t)n < cap) {
      buf[n] = 0;
      const char *slash = strrchr(cur, '/');
      if (buf[0] == '/' || !slash) return buf;
      size_t dir = (size_t)(slash - cur) + 1, len = (size_t)n + 1;
      char *full = malloc(dir + len);
      if (full) {
        memcpy(full, cur, dir);
        memcpy(full + dir, buf, len);
      }
      free(buf);
      return full;
    }
    free(buf);
    if (cap > 1 << 20) {
      errno = ENAMETOOLONG;
      return NULL;
    }
    cap *= 2;
  }
}

/* The file PATH names once symbolic links are followed, malloc'ed: the
 * rename must replace that file, not the link.  The last link may point
 * to nothing yet (the file is created there).  *FD gets the descriptor
 * when a link leads to one (descriptor_named), else -1.  NULL with
 * errno set on failure. */
static char *follow_links(const char *path, int *fd) {
  char *cur = strdup(path);
  *fd = -1;
  for (int hops = 0; cur; hops++) {
    struct stat st;
    if ((*fd = descriptor_named(cur)) >= 0) return cur;
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
    if (hops == MAX_LINKS) {
      free(cur);
      errno = ELOOP;
      return NULL;
    }
    char *next = link_target(cur);
    free(cur);
    cur = next;
  }
  return NULL;
}

/* "TARGET.tmp.XXXXXX" beside TARGET, or "slac.tmp.XXXXXX" in its folder
 * when the name would be too long; malloc'ed. */
static char *temp_beside(const char *target) {
  const char *slash = strrchr(target, '/');
  const char *base = slash ? slash + 1 : target;
  size_t n = strlen(target);
  char *tmp = malloc(n + sizeof ".tmp.XXXXXX" + sizeof "slac");
  if (!tmp) return NULL;
  if (strlen(base) + sizeof ".tmp.XXXXXX" - 1 <= NAME_LIMIT) {
    memcpy(tmp, target, n);
    memcpy(tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
  } else {
    size_t dir = (size_t)(base - target);
    memcpy(tmp, target, dir);
    memcpy(tmp + dir, "slac.tmp.XXXXXX", sizeof "slac.tmp.XXXXXX");
  }
  return tmp;
}

/* Write TARGET, a regular file or none yet, through a temporary file
 * renamed over it.  Returns 0 or an errno value. */
static int write_replacing(const char *target, const uint8_t *bytes, size_t size) {
  char *tmp = temp_beside(target);
  if (!tmp) return ENOMEM;
  int fd = slac_temp_create(tmp, NULL);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return e;
  }
  int e = write_all(fd, bytes, size);
  if (!e && fsync(fd) != 0) e = errno;
  if (close(fd) != 0 && !e) e = errno;
  /* mkstemp makes the file 0600; give it the usual permissions */
  if (!e) {
    mode_t mask = umask(0);
    umask(mask);
    if (chmod(tmp, 0666 & ~mask) != 0) e = errno;
  }
  if (!e && slac_temp_rename(tmp, target) != 0) e = errno;
  if (e) slac_temp_remove(tmp);
  free(tmp);
  return e;
}

int slac_write_atomic(const char *path, const uint8_t *bytes, size_t size, slac_diags *d) {
  struct stat st;
  int fd, e;
  char *target = follow_links(path, &fd);
  if (!target) e = errno;
  else if (fd >= 0) e = write_in_place(target, fd, bytes, size);
  else if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) e = EISDIR;
  else if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) e = write_in_place(target, -1, bytes, size);
  else e = write_replacing(target, bytes, size);
  free(target);
  if (e == ENOMEM) slac_diag_oom(d);
  else if (e) slac_diag_plain(d, SLAC_ERROR, "cannot write '%s': %s", path, strerror(e));
  return e ? -1 : 0;
}

bool slac_same_regular_file(const char *output, const char *input) {
  struct stat o, i;
  if (stat(output, &o) != 0 || !S_ISREG(o.st_mode)) return false;
  int rc = strcmp(input, "-") == 0 ? fstat(STDIN_FILENO, &i) : stat(input, &i);
  return rc == 0 && o.st_dev == i.st_dev && o.st_ino == i.st_ino;
}

int slac_read_file(const char *path, uint8_t **bytes, size_t *size, slac_diags *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  /* a regular file's size is known: refuse a large one unread */
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > SLAC_MAX_WHOLE_FILE) {
    fclose(f);
    slac_diag_plain(d, SLAC_ERROR, "'%s' is larger than %zu MiB, the most slac reads of a policy, "
                    "bytecode or JSON file", path, SLAC_MAX_WHOLE_FILE >> 20);
    return -1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *b = malloc(cap);
  while (b) {
    if (n == cap) {
      size_t grown = cap * 2 < SLAC_MAX_WHOLE_FILE + 1 ? cap * 2 : SLAC_MAX_WHOLE_FILE + 1;
      uint8_t *r = realloc(b, grown);
      if (!r) { free(b); b = NULL; break; }
      b = r;
      cap = grown;
    }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0 || n > SLAC_MAX_WHOLE_FILE) break;
  }
  int rerr = ferror(f);
  fclose(f);
  if (!b) { slac_diag_oom(d); return -1; }
  if (n > SLAC_MAX_WHOLE_FILE) {
    free(b);
    slac_diag_plain(d, SLAC_ERROR, "'%s' is larger than %zu MiB, the most slac reads of a policy, "
                    "bytecode or JSON file", path, SLAC_MAX_WHOLE_FILE >> 20);
    return -1;
  }
  if (rerr) {
    free(b);
    slac_diag_plain(d, SLAC_ERROR, "cannot read '%s'", path);
    return -1;
  }
  *bytes = b;
  *size = n;
  return 0;
}

#if defined(__has_include)
#if __has_include(<stdio_ext.h>)
#include <stdio_ext.h>
#define SLAC_HAVE_FSETLOCKING 1
#endif
#endif

void slac_stream_exclusive(FILE *f) {
#ifdef SLAC_HAVE_FSETLOCKING
  __fsetlocking(f, FSETLOCKING_BYCALLER);
#else
  (void)f;
#endif
}

void slac_stream_shared(FILE *f) {
#ifdef SLAC_HAVE_FSETLOCKING
  __fsetlocking(f, FSETLOCKING_INTERNAL);
#else
  (void)f;
#endif
}
