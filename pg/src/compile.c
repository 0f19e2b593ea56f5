/* compile.c - slac_compile(source) -> bytea and slac_check(source): the
 * policy language in SQL, with libslac's diagnostics as errors or rows. */
#include "slac_pg.h"
#include "funcapi.h"
#include "utils/builtins.h"

/* Compile SOURCE named NAME; *DIAGS gets every diagnostic. */
static slac_api_policy *compile(text *source, text *name, slac_pg_diags *diags) {
  char *n = text_to_cstring(name);
  memset(diags, 0, sizeof *diags);
  return slac_policy_compile(VARDATA_ANY(source), VARSIZE_ANY_EXHDR(source), n,
                             slac_pg_collect, diags);
}

PG_FUNCTION_INFO_V1(slac_pg_compile);
Datum slac_pg_compile(PG_FUNCTION_ARGS) {
  slac_pg_diags diags;
  slac_api_policy *p = compile(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &diags);
  bytea *out = NULL;
  if (p) {
    const unsigned char *bytes;
    size_t len;
    slac_policy_bytecode(p, &bytes, &len);
    out = palloc(VARHDRSZ + len);
    SET_VARSIZE(out, VARHDRSZ + len);
    memcpy(VARDATA(out), bytes, len);
    slac_policy_free(p);
  }
  /* the warnings, or the errors as one ERROR */
  slac_pg_raise(&diags, ERRCODE_INVALID_PARAMETER_VALUE, "compiling a slac policy", NULL, NULL);
  if (!out) /* no error reported, no policy: only out of memory does that */
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory compiling a policy")));
  PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(slac_pg_check);
Datum slac_pg_check(PG_FUNCTION_ARGS) {
  static const char *const severities[] = {"error", "warning", "note"};
  slac_pg_diags diags;
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
  slac_policy_free(compile(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &diags));
  for (int i = 0; i < diags.n; i++) {
    const slac_api_diag *dg = &diags.v[i];
    Datum values[6];
    bool nulls[6] = {false, false, false, false, false, dg->fix == NULL};
    values[0] = Int64GetDatum(dg->line);
    values[1] = Int32GetDatum(dg->column);
    values[2] = Int32GetDatum(dg->end_column);
    values[3] = CStringGetTextDatum(severities[dg->severity]);
    values[4] = CStringGetTextDatum(dg->message);
    values[5] = dg->fix ? CStringGetTextDatum(dg->fix) : (Datum)0;
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
  }
  return (Datum)0;
}
