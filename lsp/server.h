/* server.h - `slac lsp`: a language server for policies over a pair of
 * streams (standard input and output), as the Language Server Protocol
 * 3.17 says: diagnostics when a document is opened or changed, formatting,
 * hover on citations, causes and services, go to the definition of a
 * cause or service, completion of the words of the language and of the
 * declared names. */
#ifndef SLAC_LSP_SERVER_H
#define SLAC_LSP_SERVER_H

#include <stdio.h>

/* Serve messages read from IN, answering on OUT, until `exit` or the
 * end of IN.  Returns the exit status: 0 after shutdown and exit, 1
 * otherwise (the protocol's rule), 1 also when OUT fails. */
int slac_lsp_serve(FILE *in, FILE *out);

#endif
