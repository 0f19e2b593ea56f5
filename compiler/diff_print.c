/* diff_print.c - slac diff's report: text (a heading naming both
 * policies, one line per difference, the count) or one JSON object.
 * docs/analysis.md shows both. */
#include <stdio.h>
#include <string.h>
#include "compiler/diff_int.h"

static void heading(FILE *out, const char *label, const char *name, const slac_model *m) {
  fprintf(out, "%s: %s (%s version %lld)\n", label, name, m->id, (long long)m->version);
}

void slac_diff_print_text(const slac_diff *df, const slac_model *a, const char *old_name,
                          const slac_model *b, const char *new_name, FILE *out) {
  heading(out, "old", old_name, a);
  heading(out, "new", new_name, b);
  for (int i = 0; i < df->n; i++) {
    const slac_diff_item *it = &df->items[i];
    if (it->service) {
      fprintf(out, "%s", it->service);
      if (it->other_plans) fprintf(out, ", other plans");
      else if (it->plan) fprintf(out, ", plan \"%s\"", it->plan);
      fprintf(out, ": ");
    }
    if (strcmp(it->topic, "credit") == 0) {
      char words[200];
      slac_diff_interval_words(it, words, sizeof words);
      fprintf(out, "credit at uptime %s", words);
    } else if (strcmp(it->topic, "eligibility") == 0) {
      fprintf(out, "eligibility, %s", it->subject);
    } else {
      fprintf(out, "%s%s%s", it->topic, it->subject ? " " : "", it->subject ? it->subject : "");
    }
    fprintf(out, ": %s -> %s\n", it->old_text ? it->old_text : "none",
            it->new_text ? it->new_text : "none");
  }
  if (df->n == 0) fprintf(out, "0 differences: the policies are equivalent\n");
  else fprintf(out, "%d difference%s\n", df->n, df->n == 1 ? "" : "s");
}

/* S as a JSON string, or null. */
static void json_str(FILE *out, const char *s) {
  if (!s) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
    else if (*p == '\n') fputs("\\n", out);
    else if (*p == '\t') fputs("\\t", out);
    else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
    else fputc(*p, out);
  }
  fputc('"', out);
}

static void json_side(FILE *out, const char *name, const slac_model *m) {
  fputs("{\"file\":", out);
  json_str(out, name);
  fputs(",\"policy\":", out);
  json_str(out, m->id);
  fprintf(out, ",\"version\":%lld}", (long long)m->version);
}

static void json_num(FILE *out, slac_num v) {
  char t[64];
  slac_num_format(v, -1, t, sizeof t);
  json_str(out, t);
}

void slac_diff_print_json(const slac_diff *df, const slac_model *a, const char *old_name,
                          const slac_model *b, const char *new_name, FILE *out) {
  fputs("{\"old\":", out);
  json_side(out, old_name, a);
  fputs(",\"new\":", out);
  json_side(out, new_name, b);
  fprintf(out, ",\"equivalent\":%s,\"differences\":[", df->n ? "false" : "true");
  for (int i = 0; i < df->n; i++) {
    const slac_diff_item *it = &df->items[i];
    fputs(i ? ",{\"service\":" : "{\"service\":", out);
    json_str(out, it->service);
    fputs(",\"plan\":", out);
    json_str(out, it->other_plans ? NULL : it->plan);
    fprintf(out, ",\"other_plans\":%s,\"topic\":", it->other_plans ? "true" : "false");
    json_str(out, it->topic);
    fputs(",\"subject\":", out);
    json_str(out, it->subject);
    if (strcmp(it->topic, "credit") == 0) {
      fputs(",\"uptime\":{\"from\":", out);
      json_num(out, it->lo);
      fprintf(out, ",\"from_included\":%s,\"to\":", it->lo_in ? "true" : "false");
      json_num(out, it->hi);
      fprintf(out, ",\"to_included\":%s}", it->hi_in ? "true" : "false");
    }
    fputs(",\"old\":", out);
    json_str(out, it->old_text);
    fputs(",\"new\":", out);
    json_str(out, it->new_text);
    fputc('}', out);
  }
  fputs("]}\n", out);
}
