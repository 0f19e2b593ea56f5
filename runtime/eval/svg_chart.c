/* svg_chart.c - the day chart of an html statement (svg_chart.h).  The
 * drawing is 20 px a day and 100 px high for the busiest day; a day with
 * any count gets at least 1 px, so that no minute or window is invisible. */
#include "runtime/eval/svg_chart.h"

#include "runtime/eval/report_html.h"

enum { DAY_W = 20, BAR_W = 14, PLOT_H = 100, LEFT = 40, TOP = 10, BOTTOM = 24 };

/* Pixel height of V when MAX is 100 px (MAX > 0). */
static int64_t px(int64_t v, int64_t max) {
  int64_t h = v * PLOT_H / max;
  return v > 0 && h == 0 ? 1 : h;
}

/* The text alternative: the label, the totals, the days that count. */
static void alternative(FILE *f, const char *label, const char *const words[2], const int64_t *u,
                        const int64_t *x, int days) {
  int64_t tu = 0, tx = 0;
  for (int d = 0; d < days; d++) {
    tu += u[d];
    tx += x[d];
  }
  slac_html_text(f, label);
  fprintf(f, ": %lld %s, %lld %s", (long long)tu, words[0], (long long)tx, words[1]);
  for (int d = 0; d < days; d++) {
    if (!u[d] && !x[d]) continue;
    fprintf(f, "; day %d: %lld %s, %lld %s", d + 1, (long long)u[d], words[0], (long long)x[d],
            words[1]);
  }
}

void slac_svg_day_chart(FILE *f, const char *label, const char *const words[2], const int64_t *u,
                        const int64_t *x, int days) {
  int64_t max = 0;
  for (int d = 0; d < days; d++)
    if (u[d] + x[d] > max) max = u[d] + x[d];
  int w = LEFT + days * DAY_W + 10, h = TOP + PLOT_H + BOTTOM;
  fprintf(f, "<svg class=\"chart\" width=\"%d\" height=\"%d\" "
          "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w, h, w, h);
  alternative(f, label, words, u, x, days);
  fputs("\">\n<title>", f);
  alternative(f, label, words, u, x, days);
  fputs("</title>\n", f);
  /* the axis: the busiest day's minutes at the top, 0 at the bottom */
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n", LEFT, TOP + PLOT_H,
          w - 10, TOP + PLOT_H);
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld</text>\n", LEFT - 4, TOP + 8,
          (long long)max);
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", LEFT - 4, TOP + PLOT_H);
  for (int d = 0; d < days; d++) {
    int x0 = LEFT + d * DAY_W + (DAY_W - BAR_W) / 2;
    if (max > 0 && u[d] > 0) {
      int64_t hu = px(u[d], max);
      fprintf(f, "<rect class=\"unavailable\" x=\"%d\" y=\"%lld\" width=\"%d\" height=\"%lld\"/>\n", x0,
              (long long)(TOP + PLOT_H - hu), BAR_W, (long long)hu);
    }
    if (max > 0 && x[d] > 0) {
      int64_t base = u[d] > 0 ? px(u[d], max) : 0, hx = px(x[d], max);
      fprintf(f, "<rect class=\"excluded\" x=\"%d\" y=\"%lld\" width=\"%d\" height=\"%lld\"/>\n", x0,
              (long long)(TOP + PLOT_H - base - hx), BAR_W, (long long)hx);
    }
    if (d == 0 || (d + 1) % 5 == 0)
      fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", x0 + BAR_W / 2,
              TOP + PLOT_H + 16, d + 1);
  }
  fputs("</svg>\n", f);
}
