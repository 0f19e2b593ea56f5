/* alloc_fail.c - allocation- and I/O-failure injection for the slac command.
 *
 * Linked into `slac` only in the SLAC_ALLOC_FAIL build, with the linker's
 * --wrap for every function named in CMakeLists.txt (SLAC_FAULT_WRAPS):
 * each call that slac's own code makes goes through __wrap_NAME here, which
 * counts it and either fails it or passes it on to the real function.  The
 * library code is not changed.  Calls made inside other libraries (libc's
 * own buffers, GMP, flex/bison through the parser's malloc are ours, so
 * they are counted) are not intercepted: docs/reliability.md lists them.
 *
 * Environment:
 *   SLAC_FAIL_ALLOC_AT=N      the Nth allocation (1-based; malloc, calloc,
 *                             realloc, strdup, strndup, open_memstream)
 *                             returns NULL with errno ENOMEM
 *   SLAC_FAIL_ALLOC_PERSIST=1 ... and so does every one after it
 *   SLAC_FAIL_IO=FN:N         the Nth call of FN (write, fwrite, fread,
 *                             fopen, fsync, rename) fails with EIO; a
 *                             failing write first writes half its bytes
 *                             (a short write), as a full disk does
 *   SLAC_FAULT_COUNT=FILE     at exit, append "allocs N" and one line per
 *                             I/O function ("write N", ...) to FILE
 *   SLAC_FAULT_WHERE=FILE     when an allocation is made to fail, append
 *                             the caller's address as an offset into its
 *                             executable ("0x1234 PATH"), for addr2line
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
FILE *__real_open_memstream(char **buf, size_t *size);
FILE *__real_fopen(const char *path, const char *mode);
size_t __real_fread(void *p, size_t size, size_t n, FILE *f);
size_t __real_fwrite(const void *p, size_t size, size_t n, FILE *f);
ssize_t __real_write(int fd, const void *p, size_t n);
int __real_fsync(int fd);
int __real_rename(const char *from, const char *to);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
FILE *__wrap_open_memstream(char **buf, size_t *size);
FILE *__wrap_fopen(const char *path, const char *mode);
size_t __wrap_fread(void *p, size_t size, size_t n, FILE *f);
size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f);
ssize_t __wrap_write(int fd, const void *p, size_t n);
int __wrap_fsync(int fd);
int __wrap_rename(const char *from, const char *to);

enum { IO_WRITE, IO_FWRITE, IO_FREAD, IO_FOPEN, IO_FSYNC, IO_RENAME, IO_COUNT };
static const char *const io_names[IO_COUNT] = {"write", "fwrite", "fread", "fopen", "fsync", "rename"};

static int configured;
static int stopped;        /* after exit(): calls pass through uncounted */
static long alloc_at;      /* 0: never */
static int alloc_persist;
static long allocs;
static int io_fn = -1;     /* which function fails, -1: none */
static long io_at;
static long io_calls[IO_COUNT];
static const char *count_file;
static const char *where_file;

/* At exit, stop injecting and counting: what runs after slac's own exit
 * handlers (a coverage build's gcov dump, whose libgcov is linked in and so
 * wrapped too) is not slac's to test. */
static void stop(void) {
  stopped = 1;
  if (!count_file || !*count_file) return;
  FILE *f = __real_fopen(count_file, "a");
  if (!f) return;
  fprintf(f, "allocs %ld\n", allocs);
  for (int i = 0; i < IO_COUNT; i++) fprintf(f, "%s %ld\n", io_names[i], io_calls[i]);
  fclose(f);
}

/* Read the environment once, on the first wrapped call (getenv does not
 * allocate). */
static void configure(void) {
  if (configured) return;
  configured = 1;
  const char *v = getenv("SLAC_FAIL_ALLOC_AT");
  if (v) alloc_at = strtol(v, NULL, 10);
  v = getenv("SLAC_FAIL_ALLOC_PERSIST");
  alloc_persist = v && *v && *v != '0';
  v = getenv("SLAC_FAIL_IO");
  if (v) {
    const char *colon = strchr(v, ':');
    for (int i = 0; colon && i < IO_COUNT; i++)
      if (strlen(io_names[i]) == (size_t)(colon - v) && strncmp(v, io_names[i], (size_t)(colon - v)) == 0) {
        io_fn = i;
        io_at = strtol(colon + 1, NULL, 10);
      }
  }
  where_file = getenv("SLAC_FAULT_WHERE");
  count_file = getenv("SLAC_FAULT_COUNT");
  atexit(stop);
}

/* Record where the failing allocation was asked for: CALLER is a return
 * address in slac's code. */
static void record_where(void *caller) {
  if (!where_file || !*where_file) return;
  Dl_info info;
  FILE *f = __real_fopen(where_file, "a");
  if (!f) return;
  if (dladdr(caller, &info) && info.dli_fname)
    fprintf(f, "%#lx %s\n", (unsigned long)((char *)caller - (char *)info.dli_fbase),
            info.dli_fname);
  else
    fprintf(f, "%p ?\n", caller);
  fclose(f);
}

/* True when this allocation must fail. */
static int alloc_fails(void *caller) {
  configure();
  if (stopped) return 0;
  /* atomic: eval's threads allocate too (runtime/data/parallel.c) */
  long n = __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
  if (alloc_at <= 0) return 0;
  if (n == alloc_at || (alloc_persist && n > alloc_at)) {
    if (n == alloc_at) record_where(caller);
    errno = ENOMEM;
    return 1;
  }
  return 0;
}
#define FAILS() alloc_fails(__builtin_return_address(0))

/* True when this call of I/O function FN must fail. */
static int io_fails(int fn) {
  configure();
  if (stopped) return 0;
  long n = __atomic_add_fetch(&io_calls[fn], 1, __ATOMIC_RELAXED);
  return io_fn == fn && n == io_at;
}

void *__wrap_malloc(size_t size) { return FAILS() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t n, size_t size) { return FAILS() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t size) { return FAILS() ? NULL : __real_realloc(p, size); }
char *__wrap_strdup(const char *s) { return FAILS() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return FAILS() ? NULL : __real_strndup(s, n); }
FILE *__wrap_open_memstream(char **buf, size_t *size) {
  return FAILS() ? NULL : __real_open_memstream(buf, size);
}

FILE *__wrap_fopen(const char *path, const char *mode) {
  if (io_fails(IO_FOPEN)) { errno = EIO; return NULL; }
  return __real_fopen(path, mode);
}

size_t __wrap_fread(void *p, size_t size, size_t n, FILE *f) {
  if (io_fails(IO_FREAD)) {
    /* What a failing device gives: nothing, and the stream's error flag,
     * which only glibc lets us set from outside. */
#ifdef __GLIBC__
    f->_flags |= 0x0020; /* _IO_ERR_SEEN */
#endif
    errno = EIO;
    return 0;
  }
  return __real_fread(p, size, n, f);
}

size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f) {
  if (io_fails(IO_FWRITE)) {
#ifdef __GLIBC__
    f->_flags |= 0x0020;
#endif
    errno = EIO;
    return 0;
  }
  return __real_fwrite(p, size, n, f);
}

ssize_t __wrap_write(int fd, const void *p, size_t n) {
  if (io_fails(IO_WRITE)) {
    /* A full disk: part of the bytes land, then the error. */
    if (n > 1) {
      ssize_t w = __real_write(fd, p, n / 2);
      if (w < 0) return w;
    }
    errno = ENOSPC;
    return -1;
  }
  return __real_write(fd, p, n);
}

int __wrap_fsync(int fd) {
  if (io_fails(IO_FSYNC)) { errno = EIO; return -1; }
  return __real_fsync(fd);
}

int __wrap_rename(const char *from, const char *to) {
  if (io_fails(IO_RENAME)) { errno = EIO; return -1; }
  return __real_rename(from, to);
}
