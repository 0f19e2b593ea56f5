/* windows.c - window sums through libslac's API (include/slac/slac.h):
 * runtime/data/winsums.h behind the public handle, the bytes stamped with
 * the policy they were made for, and pushed into a run. */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "runtime/base/sha256.h"

static const char magic[8] = "SLACWS1";

static slac_api_windows *make(const slac_api_policy *p, slac_api_diag_fn cb, void *userdata) {
  slac_api_target t = {cb, userdata};
  slac_diags d;
  slac_api_diags(&d, &t);
  if (!p) {
    slac_diag_plain(&d, SLAC_ERROR, "slac_windows_new: a policy is expected, got NULL");
    return NULL;
  }
  slac_api_windows *w = calloc(1, sizeof *w);
  if (!w) { slac_diag_oom(&d); return NULL; }
  w->policy = p;
  w->target = t;
  slac_api_diags(&w->d, &w->target);
  slac_sha256(p->bytes, p->size, w->digest);
  slac_winsums_init(&w->sums, p->program);
  return w;
}

slac_api_windows *slac_windows_new(const slac_api_policy *p, slac_api_diag_fn cb, void *userdata) {
  return make(p, cb, userdata);
}

void slac_windows_free(slac_api_windows *w) {
  if (!w) return;
  slac_winsums_free(&w->sums);
  free(w);
}

int slac_windows_add(slac_api_windows *w, const char *account, size_t account_len,
                     const char *service, size_t service_len, int64_t start, uint64_t requests,
                     uint64_t errors) {
  if ((!account && account_len) || (!service && service_len)) {
    slac_diag_plain(&w->d, SLAC_ERROR, "slac_windows_add: an account and a service are expected, got NULL");
    return -1;
  }
  return slac_winsums_add(&w->sums, account, account_len, service, service_len, start, requests,
                          errors, &w->d);
}

int slac_windows_merge(slac_api_windows *into, const slac_api_windows *from) {
  if (memcmp(into->digest, from->digest, sizeof into->digest) != 0) {
    slac_diag_plain(&into->d, SLAC_ERROR, "window sums of two different policies cannot be merged");
    return -1;
  }
  return slac_winsums_merge(&into->sums, &from->sums, &into->d);
}

size_t slac_windows_save(const slac_api_windows *w, void *buf, size_t cap) {
  unsigned char *out = buf;
  size_t head = sizeof magic + sizeof w->digest;
  if (out && cap >= head) {
    memcpy(out, magic, sizeof magic);
    memcpy(out + sizeof magic, w->digest, sizeof w->digest);
  }
  size_t body = slac_winsums_save(&w->sums, out && cap >= head ? out + head : NULL,
                                  out && cap >= head ? cap - head : 0);
  return body ? head + body : 0;
}

slac_api_windows *slac_windows_load(const slac_api_policy *p, const void *bytes, size_t len,
                                    slac_api_diag_fn cb, void *userdata) {
  slac_api_windows *w = make(p, cb, userdata);
  if (!w) return NULL;
  const unsigned char *b = bytes;
  size_t head = sizeof magic + sizeof w->digest;
  const char *wrong = !b || len < head || memcmp(b, magic, sizeof magic) != 0
                          ? "these bytes are not window sums of slac (they begin with SLACWS1)"
                      : memcmp(b + sizeof magic, w->digest, sizeof w->digest) != 0
                          ? "these window sums were made with another policy"
                          : NULL;
  if (wrong) {
    slac_diag_plain(&w->d, SLAC_ERROR, "%s", wrong);
    slac_windows_free(w);
    return NULL;
  }
  if (slac_winsums_load(&w->sums, b + head, len - head, &w->d) != 0) {
    slac_windows_free(w);
    return NULL;
  }
  return w;
}
