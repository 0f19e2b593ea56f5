/* disasm.c - the listing behind `slac disasm` (and its golden tests).
 *
 * One line per instruction, its operands printed by their format (the
 * opcode table's column) from slac_decode_operands(). */
#include "compiler/disasm.h"

#include <string.h>
#include "runtime/vm/opcodes.h"
#include "runtime/vm/vm.h"

/* Strings are shown between double quotes with '"' and '\\' escaped and
 * control characters written as \n, \t or \xNN, so that every entry of
 * the listing stays on one line and reads back unambiguously. */
static void escape_char(unsigned char ch, char esc[8]) {
  if (ch == '"' || ch == '\\') snprintf(esc, 8, "\\%c", ch);
  else if (ch == '\n') snprintf(esc, 8, "\\n");
  else if (ch == '\t') snprintf(esc, 8, "\\t");
  else if (ch < 0x20 || ch == 0x7F) snprintf(esc, 8, "\\x%02x", ch);
  else { esc[0] = (char)ch; esc[1] = 0; }
}

/* S quoted into BUF (SIZE >= 3); returns the length written.  A string
 * too long for BUF is cut, still with its closing quote. */
static size_t quote_into(char *buf, size_t size, const char *s) {
  size_t n = 0;
  buf[n++] = '"';
  for (; *s; s++) {
    char esc[8];
    escape_char((unsigned char)*s, esc);
    size_t k = strlen(esc);
    if (n + k + 2 > size) break; /* room for the closing quote and NUL */
    memcpy(buf + n, esc, k);
    n += k;
  }
  buf[n++] = '"';
  buf[n] = 0;
  return n;
}

static void quoted(FILE *out, const char *s) {
  char esc[8];
  fputc('"', out);
  for (; *s; s++) {
    escape_char((unsigned char)*s, esc);
    fputs(esc, out);
  }
  fputc('"', out);
}

static void number(FILE *out, slac_num v) {
  char buf[64];
  slac_num_format(v, -1, buf, sizeof buf);
  fputs(buf, out);
}

static const char *metric_name(uint8_t m) { return m == SLAC_PM_MINUTES ? "minutes" : "error-rate"; }

static void header(const slac_program *p, FILE *out) {
  fprintf(out, "; slac bytecode format %d\n; policy %s", SLAC_BC_VERSION, p->strings[p->id]);
  if (p->title != SLAC_NONE) { fputc(' ', out); quoted(out, p->strings[p->title]); }
  fprintf(out, " version %u\n", p->version);
  if (p->provider != SLAC_NONE) { fputs("; provider ", out); quoted(out, p->strings[p->provider]); fputc('\n', out); }
  fputs("; source sha-256 ", out);
  for (int i = 0; i < 32; i++) fprintf(out, "%02x", p->source_hash[i]);
  fputs("\n; currencies", out);
  for (int i = 0; i < p->ncurrencies; i++) fprintf(out, " %.3s", p->currencies[i]);
  fprintf(out, "; credit base %s\n", p->base == SLAC_PB_MONTHLY_FEE         ? "monthly fee"
                                     : p->base == SLAC_PB_AFFECTED_CHARGES ? "charges of affected services"
                                                                           : "each service's charge");
  if (p->period_cap_months) {
    if (p->period_cap_rolling)
      fprintf(out, "; credits capped over any %u consecutive months (PERIOD_CREDITED)\n", p->period_cap_months);
    else
      fprintf(out, "; credits capped per calendar %s (PERIOD_CREDITED)\n",
              p->period_cap_months == 12 ? "year" : "quarter");
  }
  for (int i = 0; i < p->nservices; i++) {
    const slac_prog_service *s = &p->services[i];
    fprintf(out, "; service %d %s ", i, p->strings[s->id]);
    quoted(out, p->strings[s->title]);
    fprintf(out, ": %s", metric_name(s->metric));
    if (s->metric == SLAC_PM_ERROR_RATE)
      fprintf(out, " over %u s windows, empty windows %s", s->window_seconds,
              s->empty_left_out ? "left out" : "count as 0%");
    if (s->has_rate_rule) {
      fprintf(out, ", minute down when error rate %s ", s->rate_inclusive ? "at or above" : "above");
      number(out, p->nums[s->rate_threshold]);
      fprintf(out, "%% with at least %u requests", s->min_requests);
    }
    if (s->min_run_minutes) fprintf(out, ", runs of at least %u min", s->min_run_minutes);
    fputs(s->nterms ? ", default commit " : ", commit ", out);
    number(out, p->nums[s->commit]);
    fputs("%\n", out);
    if (s->nkinds) {
      fprintf(out, ";   errors: %s", s->kinds_mode == SLAC_PK_ONLY ? "only of kind" : "all but of kind");
      for (int k = 0; k < s->nkinds; k++) fprintf(out, "%s %s", k ? "," : "", p->strings[s->kinds[k]]);
      fputc('\n', out);
    }
    for (int k = 0; k < s->nterms; k++) {
      fprintf(out, ";   terms %d:%s", k, s->terms[k].is_default ? " default" : "");
      uint16_t set = s->terms[k].set;
      if (set != SLAC_NONE) fprintf(out, " set%u", set);
      fputc('\n', out);
    }
    for (int c = 1; c < p->ncauses; c++) {
      const slac_prog_rule *r = &s->rules[c];
      char d[64];
      fprintf(out, ";   cause %s: %s", p->strings[p->causes[c]],
              r->mode == SLAC_PC_COUNTS ? "counts" : r->mode == SLAC_PC_EXCLUDED ? "excluded" : "excluded up to ");
      if (r->mode == SLAC_PC_CAPPED) {
        slac_format_duration(r->cap_seconds, d, sizeof d);
        fprintf(out, "%s per %s", d, r->cap_months == 12 ? "calendar year" : r->cap_months == 3 ? "calendar quarter" : "month");
      }
      if (r->notice_seconds) {
        slac_format_duration(r->notice_seconds, d, sizeof d);
        fprintf(out, " if announced at least %s ahead", d);
      }
      fputc('\n', out);
    }
  }
  for (int i = 0; i < p->ncharges; i++)
    fprintf(out, "; charge %s: in the fee, earns no credit\n", p->strings[p->charges[i]]);
  for (int i = 0; i < p->nnotes; i++) {
    fputs(p->notes[i].shown ? "; caveat (shown with credits) " : "; note (not evaluated) ", out);
    quoted(out, p->strings[p->notes[i].text]);
    if (p->notes[i].cite != SLAC_NONE) fprintf(out, " %s", p->strings[p->notes[i].cite]);
    fputc('\n', out);
  }
  fprintf(out, "; constants:");
  for (int i = 0; i < p->nnums; i++) { fprintf(out, " k%d=", i); number(out, p->nums[i]); }
  fprintf(out, "\n; %u bytes of code\n", p->code_size);
}

SLAC_EXHAUSTIVE_BEGIN
void slac_disasm(const slac_program *p, FILE *out) {
  header(p, out);
  fprintf(out, "%6s  %4s  %-12s %-28s %s\n", "offset", "line", "opcode", "operands", "; comment");
  uint32_t pc = 0;
  while (pc < p->code_size) {
    slac_operands o;
    if (slac_decode_operands(p->code, p->code_size, pc, &o) != SLAC_DECODE_OK) {
      /* only a program that skipped the verifier gets here */
      fprintf(out, "%6u  %4u  ; bad bytecode: byte %u\n", pc, slac_program_line(p, pc), p->code[pc]);
      return;
    }
    char operands[64] = "", comment[1024] = "";
    switch ((slac_operand_format)o.format) {
    case SLAC_FMT_NONE: break;
    case SLAC_FMT_KNUM:
      snprintf(operands, sizeof operands, "k%u", o.k);
      slac_num_format(p->nums[o.k], -1, comment, sizeof comment);
      break;
    case SLAC_FMT_KSTR:
      snprintf(operands, sizeof operands, "s%u", o.k);
      quote_into(comment, sizeof comment, p->strings[o.k]);
      break;
    case SLAC_FMT_KSET: {
      snprintf(operands, sizeof operands, "set%u", o.k);
      size_t n = 1;
      comment[0] = '{';
      for (unsigned i = 0; i < p->set_sizes[o.k] && n + 8 < sizeof comment; i++) {
        if (i) { comment[n++] = ','; comment[n++] = ' '; }
        n += quote_into(comment + n, sizeof comment - n, p->strings[p->sets[o.k][i]]);
      }
      if (n + 1 < sizeof comment) { comment[n++] = '}'; comment[n] = 0; }
      break;
    }
    case SLAC_FMT_FS_IN:
      snprintf(operands, sizeof operands, "%s %u", slac_input_names[o.field], o.service);
      if (slac_input_is_service(o.field)) snprintf(comment, sizeof comment, "%s", p->strings[p->services[o.service].id]);
      break;
    case SLAC_FMT_FSC:
      snprintf(operands, sizeof operands, "%s %u %u", slac_cause_input_names[o.field], o.service, o.cause);
      snprintf(comment, sizeof comment, "%s, %s", p->strings[p->services[o.service].id],
               p->strings[p->causes[o.cause]]);
      break;
    case SLAC_FMT_FS_OUT:
      snprintf(operands, sizeof operands, "%s %u", slac_output_names[o.field], o.service);
      if (slac_output_is_service(o.field)) snprintf(comment, sizeof comment, "%s", p->strings[p->services[o.service].id]);
      break;
    case SLAC_FMT_T:
      snprintf(operands, sizeof operands, "%u", o.target);
      snprintf(comment, sizeof comment, "-> %u", o.target);
      break;
    case SLAC_FMT_KCN: {
      if (o.cite == SLAC_NONE) snprintf(operands, sizeof operands, "s%u - %u", o.k, o.nargs);
      else snprintf(operands, sizeof operands, "s%u s%u %u", o.k, o.cite, o.nargs);
      size_t n = quote_into(comment, sizeof comment, p->strings[o.k]);
      if (o.cite != SLAC_NONE && n < sizeof comment) snprintf(comment + n, sizeof comment - n, " %s", p->strings[o.cite]);
      break;
    }
    }
    const char *name = slac_opinfo_table[o.op].name;
    if (comment[0])
      fprintf(out, "%6u  %4u  %-12s %-28s ; %s\n", pc, slac_program_line(p, pc), name, operands, comment);
    else if (operands[0])
      fprintf(out, "%6u  %4u  %-12s %s\n", pc, slac_program_line(p, pc), name, operands);
    else
      fprintf(out, "%6u  %4u  %s\n", pc, slac_program_line(p, pc), name);
    pc = o.next;
  }
}
SLAC_EXHAUSTIVE_END
