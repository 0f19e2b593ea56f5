/* rpc.h - JSON-RPC messages framed as the Language Server Protocol says:
 * "Content-Length: N" (other headers ignored), an empty line, N bytes of
 * JSON.  Reading never trusts the client: a header block without a valid
 * length, a length past SLAC_LSP_MAX_MESSAGE, a body that is not JSON or
 * not an object is reported to the caller, which answers with an error;
 * reading goes on at the next header. */
#ifndef SLAC_LSP_RPC_H
#define SLAC_LSP_RPC_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/* The largest message read: a policy is at most 256 MiB, but an editor
 * sends a few hundred kilobytes at most. */
#define SLAC_LSP_MAX_MESSAGE ((size_t)64 << 20)

/* JSON-RPC error codes (JSON-RPC 2.0 and LSP) */
enum {
  SLAC_RPC_PARSE_ERROR = -32700,
  SLAC_RPC_INVALID_REQUEST = -32600,
  SLAC_RPC_METHOD_NOT_FOUND = -32601,
  SLAC_RPC_INVALID_PARAMS = -32602,
  SLAC_RPC_INTERNAL_ERROR = -32603,
  SLAC_RPC_SERVER_NOT_INITIALIZED = -32002,
};

typedef enum {
  SLAC_RPC_MESSAGE,   /* *MSG is a JSON object (the caller decrefs it) */
  SLAC_RPC_MALFORMED, /* *CODE and WHY say what was wrong */
  SLAC_RPC_END,       /* the input ended between messages */
  SLAC_RPC_CUT        /* the input ended inside a message */
} slac_rpc_status;

slac_rpc_status slac_rpc_read(FILE *in, json_t **msg, int *code, char *why, size_t whylen);

/* Write MSG (borrowed) framed, and flush.  Returns 0, or -1 when the
 * output failed. */
int slac_rpc_write(FILE *out, const json_t *msg);

#endif
