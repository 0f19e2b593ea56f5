/* rpc.c - reading and writing framed JSON-RPC messages (rpc.h). */
#include "lsp/rpc.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Header lines longer than this are malformed (their rest is skipped). */
#define MAX_HEADER_LINE 1024

/* Read one line into BUF without its "\r\n" or "\n".  Returns its length,
 * -1 at the end of the input before any byte, -2 when it was too long (the
 * rest of it is skipped). */
static long read_line(FILE *in, char *buf, size_t size) {
  size_t n = 0;
  bool long_line = false;
  int c;
  while ((c = getc(in)) != EOF && c != '\n') {
    if (n + 1 < size) buf[n++] = (char)c;
    else long_line = true;
  }
  if (c == EOF && n == 0 && !long_line) return -1;
  if (n > 0 && buf[n - 1] == '\r') n--;
  buf[n] = 0;
  return long_line ? -2 : (long)n;
}

/* The value of "Content-Length: DIGITS" in LINE (case-insensitive name,
 * blanks allowed around the value), found anywhere in the line so that
 * reading finds its feet again after a body that was not framed; -1 when
 * there is none, -2 when its value is not a number or too large. */
static long long content_length(const char *line) {
  static const char name[] = "content-length:";
  const size_t nlen = sizeof name - 1;
  for (const char *p = line; *p; p++) {
    if (strncasecmp(p, name, nlen) != 0) continue;
    const char *v = p + nlen;
    while (*v == ' ' || *v == '\t') v++;
    if (!isdigit((unsigned char)*v)) return -2;
    unsigned long long len = 0;
    for (; isdigit((unsigned char)*v); v++) {
      len = len * 10 + (unsigned long long)(*v - '0');
      if (len > SLAC_LSP_MAX_MESSAGE) return -2;
    }
    while (*v == ' ' || *v == '\t') v++;
    return *v ? -2 : (long long)len;
  }
  return -1;
}

static slac_rpc_status malformed(int *code, char *why, size_t whylen, int c, const char *text) {
  *code = c;
  snprintf(why, whylen, "%s", text);
  return SLAC_RPC_MALFORMED;
}

slac_rpc_status slac_rpc_read(FILE *in, json_t **msg, int *code, char *why, size_t whylen) {
  *msg = NULL;
  char line[MAX_HEADER_LINE];
  long long len = -1;
  bool any = false, bad_length = false;
  for (;;) {
    long n = read_line(in, line, sizeof line);
    if (n == -1) return any ? SLAC_RPC_CUT : SLAC_RPC_END;
    any = true;
    if (n == 0) break; /* the end of the headers */
    long long l = n == -2 ? -1 : content_length(line);
    if (l == -2) bad_length = true;
    else if (l >= 0) len = l, bad_length = false;
  }
  if (bad_length)
    return malformed(code, why, whylen, SLAC_RPC_INVALID_REQUEST,
                     "the Content-Length header is not a number of bytes up to 67108864");
  if (len < 0)
    return malformed(code, why, whylen, SLAC_RPC_INVALID_REQUEST,
                     "a message without a Content-Length header");
  char *body = malloc((size_t)len + 1);
  if (!body) return malformed(code, why, whylen, SLAC_RPC_INTERNAL_ERROR, "out of memory");
  size_t got = fread(body, 1, (size_t)len, in);
  if (got < (size_t)len) {
    free(body);
    return SLAC_RPC_CUT;
  }
  json_error_t je;
  json_t *v = json_loadb(body, (size_t)len, 0, &je);
  free(body);
  if (!v) {
    *code = SLAC_RPC_PARSE_ERROR;
    snprintf(why, whylen, "the message is not JSON: %s (line %d, column %d)", je.text, je.line,
             je.column);
    return SLAC_RPC_MALFORMED;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    return malformed(code, why, whylen, SLAC_RPC_INVALID_REQUEST,
                     "a message is a JSON object, with \"jsonrpc\": \"2.0\"");
  }
  *msg = v;
  return SLAC_RPC_MESSAGE;
}

int slac_rpc_write(FILE *out, const json_t *msg) {
  char *text = json_dumps(msg, JSON_COMPACT);
  if (!text) return -1;
  size_t n = strlen(text);
  int rc = fprintf(out, "Content-Length: %zu\r\n\r\n", n) < 0 || fwrite(text, 1, n, out) != n ||
                   fflush(out) != 0
               ? -1
               : 0;
  free(text);
  return rc;
}
