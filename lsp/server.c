/* server.c - the language server's lifecycle, documents and dispatch
 * (server.h).  Requests get a result or an error, never silence; a
 * malformed message gets an error with a null id; notifications the
 * server does not know are ignored, as the protocol allows. */
#include "lsp/server.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "lsp/analysis.h"
#include "lsp/features.h"
#include "lsp/rpc.h"

/* RequestFailed (LSP): a valid request that could not be answered */
#define REQUEST_FAILED (-32803)

typedef struct {
  char *uri;
  json_int_t version;
  slac_lsp_analysis a;
} document;

typedef struct {
  FILE *out;
  bool initialized, shut_down, out_failed;
  document *docs;
  size_t ndocs, cap;
} server;

static void send(server *s, json_t *msg) {
  if (!msg) return; /* callers of requests check: an answer is never lost */
  if (slac_rpc_write(s->out, msg) != 0) s->out_failed = true;
  json_decref(msg);
}

static int fail(server *s, json_t *id, int code, const char *message) {
  send(s, json_pack("{s:s,s:O,s:{s:i,s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error",
                    "code", code, "message", message));
  return 0;
}

static int reply(server *s, json_t *id, json_t *result) {
  if (!result) return fail(s, id, SLAC_RPC_INTERNAL_ERROR, "out of memory");
  json_t *m = json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id, "result", result);
  if (!m)
    return fail(s, id, SLAC_RPC_INTERNAL_ERROR, "the answer could not be built (out of memory)");
  send(s, m);
  return 0;
}

/* ---- documents ----------------------------------------------------------- */

static document *find_doc(server *s, const char *uri) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (strcmp(s->docs[i].uri, uri) == 0) return &s->docs[i];
  return NULL;
}

static void publish(server *s, const char *uri, json_int_t version, json_t *diagnostics) {
  send(s, json_pack("{s:s,s:s,s:{s:s,s:I,s:O}}", "jsonrpc", "2.0", "method",
                    "textDocument/publishDiagnostics", "params", "uri", uri, "version", version,
                    "diagnostics", diagnostics));
}

/* Open or replace URI's text, analyse it and publish its diagnostics. */
static void set_text(server *s, const char *uri, json_int_t version, const char *text, size_t len) {
  document *d = find_doc(s, uri);
  if (!d) {
    if (s->ndocs == s->cap) {
      size_t cap = s->cap ? s->cap * 2 : 8;
      document *v = realloc(s->docs, cap * sizeof *v);
      if (!v) return;
      s->docs = v;
      s->cap = cap;
    }
    d = &s->docs[s->ndocs];
    memset(d, 0, sizeof *d);
    d->uri = strdup(uri);
    if (!d->uri) return;
    s->ndocs++;
  } else {
    slac_lsp_analysis_free(&d->a);
  }
  d->version = version;
  if (slac_lsp_analyze(&d->a, uri, text, len) != 0) return;
  publish(s, uri, version, d->a.diagnostics);
}

static void close_doc(server *s, const char *uri) {
  document *d = find_doc(s, uri);
  if (!d) return;
  slac_lsp_analysis_free(&d->a);
  free(d->uri);
  *d = s->docs[--s->ndocs];
  json_t *none = json_array();
  publish(s, uri, 0, none);
  json_decref(none);
}

/* ---- requests and notifications ----------------------------------------- */
/* (reply and fail return 0 so that request can answer and return in one
 * statement) */

static json_t *capabilities(void) {
  return json_pack("{s:{s:{s:b,s:i},s:b,s:b,s:b,s:{},s:s},s:{s:s,s:s}}", "capabilities",
                   "textDocumentSync", "openClose", 1, "change", 1, "documentFormattingProvider", 1,
                   "hoverProvider", 1, "definitionProvider", 1, "completionProvider",
                   "positionEncoding", "utf-16", "serverInfo", "name", "slac", "version",
                   SLAC_VERSION);
}

/* The document a request's params name, and the position, if asked. */
static document *params_doc(server *s, json_t *params, long *line, long *character) {
  const char *uri = NULL;
  json_int_t l = 0, c = 0;
  if (line) {
    if (json_unpack(params, "{s:{s:s},s:{s:I,s:I}}", "textDocument", "uri", &uri, "position",
                    "line", &l, "character", &c) != 0 || l < 0 || c < 0)
      return NULL;
    *line = l > (1 << 30) ? 1 << 30 : (long)l;
    *character = c > (1 << 30) ? 1 << 30 : (long)c;
  } else if (json_unpack(params, "{s:{s:s}}", "textDocument", "uri", &uri) != 0) {
    return NULL;
  }
  return find_doc(s, uri);
}

static int request(server *s, const char *method, json_t *id, json_t *params) {
  if (strcmp(method, "initialize") == 0) {
    if (s->initialized) return fail(s, id, SLAC_RPC_INVALID_REQUEST, "initialize was sent twice");
    s->initialized = true;
    return reply(s, id, capabilities());
  }
  if (!s->initialized)
    return fail(s, id, SLAC_RPC_SERVER_NOT_INITIALIZED, "the first request must be initialize");
  if (s->shut_down)
    return fail(s, id, SLAC_RPC_INVALID_REQUEST, "the server is shut down: only exit is accepted");
  if (strcmp(method, "shutdown") == 0) {
    s->shut_down = true;
    return reply(s, id, json_null());
  }
  long line = 0, character = 0;
  bool positioned = strcmp(method, "textDocument/hover") == 0 ||
                    strcmp(method, "textDocument/definition") == 0;
  bool on_doc = positioned || strcmp(method, "textDocument/formatting") == 0 ||
                strcmp(method, "textDocument/completion") == 0;
  if (!on_doc) {
    /* quoted up to 99 bytes, cut between characters: the answer must
     * stay valid UTF-8, or it could not be sent */
    size_t n = strlen(method);
    bool cut = n > 99;
    if (cut) {
      n = 99;
      while (n > 0 && ((unsigned char)method[n] & 0xC0) == 0x80) n--;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "unknown method '%.*s%s'", (int)n, method, cut ? "..." : "");
    return fail(s, id, SLAC_RPC_METHOD_NOT_FOUND, msg);
  }
  document *d = params_doc(s, params, positioned ? &line : NULL, &character);
  if (!d)
    return fail(s, id, SLAC_RPC_INVALID_PARAMS,
                "params need the textDocument.uri of an open document (and a position)");
  if (strcmp(method, "textDocument/hover") == 0) return reply(s, id, slac_lsp_hover(&d->a, line, character));
  if (strcmp(method, "textDocument/definition") == 0)
    return reply(s, id, slac_lsp_definition(&d->a, d->uri, line, character));
  if (strcmp(method, "textDocument/completion") == 0) return reply(s, id, slac_lsp_completion(&d->a));
  json_t *edits = slac_lsp_formatting(&d->a);
  if (!edits) return fail(s, id, REQUEST_FAILED, "the policy has errors: fix them, then format");
  return reply(s, id, edits);
}

static void notification(server *s, const char *method, json_t *params) {
  if (!s->initialized || s->shut_down) return;
  const char *uri = NULL, *text = NULL;
  size_t len = 0;
  json_int_t version = 0;
  if (strcmp(method, "textDocument/didOpen") == 0) {
    if (json_unpack(params, "{s:{s:s,s?I,s:s%}}", "textDocument", "uri", &uri, "version", &version,
                    "text", &text, &len) == 0)
      set_text(s, uri, version, text, len);
  } else if (strcmp(method, "textDocument/didChange") == 0) {
    /* full synchronisation: the last change holds the whole text */
    json_t *changes = NULL;
    if (json_unpack(params, "{s:{s:s,s?I},s:o}", "textDocument", "uri", &uri, "version", &version,
                    "contentChanges", &changes) == 0 &&
        json_is_array(changes) && json_array_size(changes) > 0 &&
        json_unpack(json_array_get(changes, json_array_size(changes) - 1), "{s:s%}", "text", &text,
                    &len) == 0 && find_doc(s, uri))
      set_text(s, uri, version, text, len);
  } else if (strcmp(method, "textDocument/didClose") == 0) {
    if (json_unpack(params, "{s:{s:s}}", "textDocument", "uri", &uri) == 0) close_doc(s, uri);
  }
  /* initialized, $/cancelRequest, $/setTrace and others: nothing to do */
}

int slac_lsp_serve(FILE *in, FILE *out) {
  server s;
  memset(&s, 0, sizeof s);
  s.out = out;
  int status = 1;
  for (;;) {
    json_t *msg = NULL;
    int code = 0;
    char why[256];
    slac_rpc_status st = slac_rpc_read(in, &msg, &code, why, sizeof why);
    if (st == SLAC_RPC_END || st == SLAC_RPC_CUT) break;
    if (st == SLAC_RPC_MALFORMED) {
      fail(&s, NULL, code, why);
    } else {
      json_t *id = json_object_get(msg, "id");
      json_t *method = json_object_get(msg, "method");
      json_t *params = json_object_get(msg, "params");
      bool valid_id = !id || json_is_integer(id) || json_is_string(id);
      if (!method && (json_object_get(msg, "result") || json_object_get(msg, "error"))) {
        /* a response: the server sends no request, so nothing awaits it */
      } else if (!json_is_string(method) || !valid_id) {
        fail(&s, valid_id ? id : NULL, SLAC_RPC_INVALID_REQUEST,
             "a request has a \"method\" string and an integer or string \"id\"");
      } else if (strcmp(json_string_value(method), "exit") == 0) {
        status = s.shut_down ? 0 : 1;
        json_decref(msg);
        break;
      } else if (id) {
        request(&s, json_string_value(method), id, params);
      } else {
        notification(&s, json_string_value(method), params);
      }
      json_decref(msg);
    }
    if (s.out_failed) break;
  }
  for (size_t i = 0; i < s.ndocs; i++) {
    slac_lsp_analysis_free(&s.docs[i].a);
    free(s.docs[i].uri);
  }
  free(s.docs);
  return s.out_failed ? 1 : status;
}
