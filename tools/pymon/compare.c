/*
** The comparison engine: groups rows into tests, picks the comparable
** baseline rows, and judges each metric against its thresholds.  Shared
** by `pymon compare`, `pymon check` and the CI writers.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

static int compare_keys(const struct prow *a, const struct prow *b) {
  int c;
  if ((c = strcmp(a->item_path, b->item_path)) ||
      (c = strcmp(a->item, b->item)) || (c = strcmp(a->variant, b->variant)) ||
      (c = strcmp(a->kind, b->kind)))
    return c;
  return strcmp(a->component, b->component);
}

static int cmp_row_ptr(const void *a, const void *b) {
  return compare_keys(*(const struct prow *const *)a,
                      *(const struct prow *const *)b);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Rows sorted by test, so each test's rows are one run of the array. */
static const struct prow **sorted_rows(const struct prows *rows) {
  const struct prow **v = xcalloc(rows->n, sizeof *v);
  for (size_t i = 0; i < rows->n; i++)
    v[i] = &rows->v[i];
  qsort(v, rows->n, sizeof *v, cmp_row_ptr);
  return v;
}

static size_t group_end(const struct prow **v, size_t n, size_t start) {
  size_t end = start + 1;
  while (end < n && compare_keys(v[start], v[end]) == 0)
    end++;
  return end;
}

/* Same machine, or one alike enough: vendor, CPU count and type. */
static int comparable(const struct prow *a, const struct prow *b) {
  return strcmp(a->env_h, b->env_h) == 0 ||
         (*a->ctx_class && strcmp(a->ctx_class, b->ctx_class) == 0);
}

/* Median of metric m over the rows in group that pass keep (all if
** like is NULL); returns the number of rows used. */
static size_t group_median(const struct prow **group, size_t n,
                           const struct prow *like, double out[MET_COUNT]) {
  double *vals = xcalloc(n, sizeof *vals);
  size_t used = 0;
  for (int m = 0; m < MET_COUNT; m++) {
    used = 0;
    for (size_t i = 0; i < n; i++)
      if (!like || comparable(like, group[i]))
        vals[used++] = metric_value(group[i], (enum metric)m);
    if (used == 0)
      break;
    qsort(vals, used, sizeof *vals, cmp_double);
    out[m] = used % 2 ? vals[used / 2]
                      : (vals[used / 2 - 1] + vals[used / 2]) / 2;
  }
  free(vals);
  return used;
}

static enum verdict judge(const struct thresholds *t, enum metric m, double cur,
                          double base, int has_base) {
  if (t->limit[m] >= 0 && cur > t->limit[m])
    return V_OVER_LIMIT;
  if (!has_base || t->max_increase[m] < 0)
    return V_NONE;
  double delta = cur - base;
  if (m == MET_TIME && cur < t->min_duration && base < t->min_duration)
    return delta > 0 ? V_NOISE : V_OK;
  double allowed = fmax(base * t->max_increase[m] / 100, t->min_delta[m]);
  /* Both must be exceeded: relative alone fails tiny values, absolute
   * alone fails big ones. */
  if (delta > allowed)
    return V_REGRESSED;
  if (-delta > allowed)
    return V_IMPROVED;
  return V_OK;
}

static struct test_result *add_result(struct comparison *c,
                                      const struct prow *row,
                                      enum test_state state) {
  c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
  struct test_result *r = &c->v[c->n++];
  memset(r, 0, sizeof *r);
  r->row = row;
  r->state = state;
  return r;
}

static void judge_test(struct comparison *c, const struct threshold_set *ts,
                       const struct prow **cur, size_t ncur,
                       const struct prow **base, size_t nbase,
                       int any_context) {
  double cur_v[MET_COUNT], base_v[MET_COUNT];
  group_median(cur, ncur, NULL, cur_v);
  int has_base = nbase > 0 &&
                 group_median(base, nbase, any_context ? NULL : cur[0], base_v) > 0;
  enum test_state state =
      has_base ? T_COMPARED : nbase > 0 ? T_NO_CONTEXT : T_NEW;
  struct test_result *r = add_result(c, cur[0], state);
  thresholds_for(ts, cur[0], &r->t);
  for (int m = 0; m < MET_COUNT; m++) {
    r->cur[m] = cur_v[m];
    r->base[m] = has_base ? base_v[m] : NAN;
    r->verdict[m] = judge(&r->t, (enum metric)m, cur_v[m], r->base[m], has_base);
    r->failed |= r->verdict[m] == V_REGRESSED || r->verdict[m] == V_OVER_LIMIT;
  }
  c->failed += r->failed != 0;
  c->compared += state == T_COMPARED;
  c->new_tests += state == T_NEW;
  c->no_context += state == T_NO_CONTEXT;
}

void compare_rows(const struct prows *cur, const struct prows *base,
                  const struct threshold_set *ts, int any_context,
                  struct comparison *out) {
  memset(out, 0, sizeof *out);
  const struct prow **cv = sorted_rows(cur), **bv = sorted_rows(base);
  size_t ci = 0, bi = 0;
  while (ci < cur->n || bi < base->n) {
    int order = ci >= cur->n   ? 1
                : bi >= base->n ? -1
                                : compare_keys(cv[ci], bv[bi]);
    size_t cend = order <= 0 ? group_end(cv, cur->n, ci) : ci;
    size_t bend = order >= 0 ? group_end(bv, base->n, bi) : bi;
    if (order > 0) {
      struct test_result *r = add_result(out, bv[bi], T_MISSING);
      group_median(bv + bi, bend - bi, NULL, r->base);
      for (int m = 0; m < MET_COUNT; m++)
        r->cur[m] = NAN;
      out->missing++;
    } else {
      judge_test(out, ts, cv + ci, cend - ci, bv + bi, bend - bi, any_context);
    }
    ci = cend;
    bi = bend;
  }
  free(cv);
  free(bv);
}

void comparison_free(struct comparison *c) {
  free(c->v);
  memset(c, 0, sizeof *c);
}

void result_name(struct strbuf *sb, const struct prow *r) {
  sb_append(sb, r->name);
  if (strcmp(r->kind, "function") != 0)
    sb_appendf(sb, " [%s]", r->kind);
  if (*r->component)
    sb_appendf(sb, " {%s}", r->component);
}

void format_value(struct strbuf *sb, enum metric m, double v) {
  sb_appendf(sb, "%.*f%s", metric_info[m].decimals, v, metric_info[m].unit);
}

void describe_failure(struct strbuf *sb, const struct test_result *r,
                      enum metric m) {
  const struct thresholds *t = &r->t;
  sb_appendf(sb, "%s ", metric_info[m].column);
  if (r->verdict[m] == V_OVER_LIMIT) {
    format_value(sb, m, r->cur[m]);
    sb_append(sb, " exceeds the limit of ");
    format_value(sb, m, t->limit[m]);
    return;
  }
  double delta = r->cur[m] - r->base[m];
  format_value(sb, m, r->base[m]);
  sb_append(sb, " -> ");
  format_value(sb, m, r->cur[m]);
  sb_appendf(sb, " (%+.*f%s", metric_info[m].decimals, delta,
             metric_info[m].unit);
  if (r->base[m] > 0)
    sb_appendf(sb, ", %+.1f%%", 100 * delta / r->base[m]);
  sb_appendf(sb, "; allowed +%g%% or +", t->max_increase[m]);
  format_value(sb, m, t->min_delta[m]);
  sb_append(sb, ", whichever is larger)");
}
