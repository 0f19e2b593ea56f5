/* gen_claim.c - the code that decides whether a claim stands behind a
 * credit that is owed (docs/claims.md): a claim row for the month, dated
 * no earlier than the interruption it claims and within the deadlines
 * (a duration, N calendar months, the end of the Nth billing month
 * after the interruption's month, or a duration after the end of that
 * month), with the subject and the contents the
 * policy requires.  The first condition that fails sets the amount to 0
 * with its reason.  Without a claims file, the reason says by when to
 * claim. */
#include "compiler/emit.h"

#include <stdio.h>
#include <string.h>

/* Push the deadline DL on the stack: from the first unavailable minute
 * of the month (the interruption). */
static void push_deadline(cg_gen *g, slac_deadline dl) {
  cg_load_in(g, SLAC_IN_FIRST_DOWN, 0);
  switch (dl.kind) {
  case SLAC_DEADLINE_SECONDS:
    cg_push_int(g, dl.value);
    cg_op(g, SLAC_OP_ADD);
    return;
  case SLAC_DEADLINE_MONTHS:
    cg_push_int(g, dl.value);
    cg_op(g, SLAC_OP_ADD_MONTHS);
    return;
  case SLAC_DEADLINE_END_OF_MONTH:
    /* the end of the Nth billing month after the interruption's month is
     * the first instant of the (N+1)th, which is no longer in time */
    cg_op(g, SLAC_OP_MONTH_START);
    cg_push_int(g, dl.value + 1);
    cg_op(g, SLAC_OP_ADD_MONTHS);
    return;
  case SLAC_DEADLINE_AFTER_MONTH_END:
    /* the end of the interruption's month, then the duration */
    cg_op(g, SLAC_OP_MONTH_START);
    cg_push_int(g, 1);
    cg_op(g, SLAC_OP_ADD_MONTHS);
    cg_push_int(g, dl.value);
    cg_op(g, SLAC_OP_ADD);
    return;
  case SLAC_DEADLINE_NONE: return;
  }
}

/* Words for the deadline in a reason: "({d} after the interruption)"
 * takes the duration as an argument; the others take none. */
static void deadline_words(slac_deadline dl, char *buf, size_t size, int *nargs) {
  *nargs = 0;
  switch (dl.kind) {
  case SLAC_DEADLINE_SECONDS:
    snprintf(buf, size, "({d} after the interruption)");
    *nargs = 1;
    return;
  case SLAC_DEADLINE_MONTHS:
    snprintf(buf, size, "(%lld month%s after the interruption)", (long long)dl.value,
             dl.value == 1 ? "" : "s");
    return;
  case SLAC_DEADLINE_AFTER_MONTH_END:
    snprintf(buf, size, "({d} after the end of the interruption's month)");
    *nargs = 1;
    return;
  case SLAC_DEADLINE_END_OF_MONTH: {
    static const char *const suffix[] = {"th", "st", "nd", "rd"};
    long long n = (long long)dl.value;
    int k = (n % 100 >= 11 && n % 100 <= 13) || n % 10 > 3 ? 0 : (int)(n % 10);
    snprintf(buf, size, "(the end of the %lld%s billing month after the interruption)", n, suffix[k]);
    return;
  }
  case SLAC_DEADLINE_NONE: buf[0] = 0; return;
  }
}

/* "by {t}" for a deadline that is in time at its instant, "before {t}"
 * for the first instant of a month, which is not. */
static const char *by_words(slac_deadline dl) {
  return dl.kind == SLAC_DEADLINE_END_OF_MONTH ? "before" : "by";
}

void cg_claim(cg_gen *g, const slac_model *m) {
  const slac_clause *cl = m->claim;
  uint16_t cites = cg_cite(g, cl->cites);
  uint32_t fails[16];
  int nfails = 0;
  cg_at_line(g, cl->loc);
  cg_load_out(g, SLAC_OUT_AMOUNT, 0);
  cg_push_int(g, 0);
  cg_op(g, SLAC_OP_GT);
  uint32_t nothing_owed = cg_jump(g, SLAC_OP_JZ);
  cg_load_in(g, SLAC_IN_HAS_CLAIMS, 0);
  uint32_t no_file = cg_jump(g, SLAC_OP_JZ);
  cg_load_in(g, SLAC_IN_CLAIM_FOUND, 0);
  uint32_t missing = cg_jump(g, SLAC_OP_JZ);
  static const struct { slac_input_field at; const char *what; } stamp[2] = {
      {SLAC_IN_TICKET_AT, "the support ticket was opened"},
      {SLAC_IN_CLAIMED_AT, "the claim was sent"}};
  const slac_deadline dls[2] = {m->claim_ticket, m->claim_sent};
  /* A ticket or claim dated before the interruption does not claim it
   * (CONTRACT 6.2). */
  for (int k = 0; k < 2; k++) {
    cg_load_in(g, stamp[k].at, 0);
    cg_load_in(g, SLAC_IN_FIRST_DOWN, 0);
    cg_op(g, SLAC_OP_LT);
    uint32_t not_early = cg_jump(g, SLAC_OP_JZ);
    cg_load_in(g, stamp[k].at, 0);
    cg_load_in(g, SLAC_IN_FIRST_DOWN, 0);
    cg_reason(g, cg_strf(g, "no credit: %s {t}, before the interruption it claims ({t})", stamp[k].what),
              cites, 2);
    fails[nfails++] = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, not_early);
  }
  for (int k = 0; k < 2; k++) {
    if (dls[k].kind == SLAC_DEADLINE_NONE) continue;
    char words[128];
    int nwords;
    deadline_words(dls[k], words, sizeof words, &nwords);
    cg_load_in(g, stamp[k].at, 0);
    push_deadline(g, dls[k]);
    /* in time up to the deadline itself, except the first instant of a
     * month, which is past the end of the month before */
    cg_op(g, dls[k].kind == SLAC_DEADLINE_END_OF_MONTH ? SLAC_OP_GE : SLAC_OP_GT);
    uint32_t in_time = cg_jump(g, SLAC_OP_JZ);
    cg_load_in(g, stamp[k].at, 0);
    push_deadline(g, dls[k]);
    if (nwords) cg_push_int(g, dls[k].value);
    cg_reason(g, cg_strf(g, "no credit: %s {t}, after the deadline of {t} %s", stamp[k].what, words),
              cites, 2 + nwords);
    fails[nfails++] = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, in_time);
  }
  if (cl->text) {
    cg_text esc;
    cg_text_init(&esc, g);
    cg_text_escaped(&esc, cl->text);
    cg_op_k(g, SLAC_OP_SUBJECT_HAS, cg_str(g, cl->text));
    uint32_t ok = cg_jump(g, SLAC_OP_JZ);
    uint32_t good = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, ok);
    cg_reason(g, cg_strf(g, "no credit: the claim's subject does not contain \"%s\"", cg_text_str(&esc)),
              cites, 0);
    cg_text_free(&esc);
    fails[nfails++] = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, good);
  }
  uint32_t content_fails[SLAC_CLAIM_NCONTENTS];
  int ncontent = 0;
  for (int k = 0; k < SLAC_CLAIM_NCONTENTS; k++) {
    if (!m->claim_includes[k]) continue;
    cg_load_in(g, slac_claim_inputs[k], 0);
    uint32_t absent = cg_jump(g, SLAC_OP_JZ);
    uint32_t present = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, absent);
    cg_reason(g, cg_strf(g, "no credit: the claim does not include %s", slac_claim_words[k]), cites, 0);
    content_fails[ncontent++] = cg_jump(g, SLAC_OP_JMP);
    cg_land(g, present);
  }
  cg_load_in(g, SLAC_IN_TICKET_AT, 0);
  cg_load_in(g, SLAC_IN_CLAIMED_AT, 0);
  cg_reason(g, cg_str(g, "claim accepted: support ticket opened {t}, claim sent {t}"), cites, 2);
  uint32_t accepted = cg_jump(g, SLAC_OP_JMP);
  cg_land(g, missing);
  cg_reason(g, cg_str(g, "no credit: no claim was filed for this month, and credits require one"), cites, 0);
  uint32_t zero_missing = cg_jump(g, SLAC_OP_JMP);
  cg_land(g, no_file);
  bool ticket = dls[0].kind != SLAC_DEADLINE_NONE, sent = dls[1].kind != SLAC_DEADLINE_NONE;
  if (ticket && sent) {
    push_deadline(g, dls[0]);
    push_deadline(g, dls[1]);
    cg_reason(g, cg_strf(g, "a claim is required: open a support ticket %s {t} and send the claim %s {t}",
                         by_words(dls[0]), by_words(dls[1])),
              cites, 2);
  } else if (ticket || sent) {
    slac_deadline dl = ticket ? dls[0] : dls[1];
    push_deadline(g, dl);
    cg_reason(g, cg_strf(g, ticket ? "a claim is required: open a support ticket %s {t}"
                                   : "a claim is required: send it %s {t}",
                         by_words(dl)),
              cites, 1);
  } else {
    cg_reason(g, cg_str(g, "a claim is required to receive this credit"), cites, 0);
  }
  uint32_t kept = cg_jump(g, SLAC_OP_JMP);
  /* every failed condition: no credit */
  for (int k = 0; k < nfails; k++) cg_land(g, fails[k]);
  for (int k = 0; k < ncontent; k++) cg_land(g, content_fails[k]);
  cg_land(g, zero_missing);
  cg_push_int(g, 0);
  cg_store_out(g, SLAC_OUT_AMOUNT, 0);
  cg_land(g, accepted);
  cg_land(g, kept);
  cg_land(g, nothing_owed);
}
