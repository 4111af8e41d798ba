/*
** Thresholds: defaults, the --max-increase / --min-delta / --min-duration
** options, a per-test thresholds file and the per-test limits that the
** runtime copies from source annotations (monitor_limit:MEM_USAGE=64).
*/
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compare.h"

const struct metric_info metric_info[MET_COUNT] = {
    {"time", "TOTAL_TIME", " s", 3},
    {"cpu", "CPU_TIME", " s", 3},
    {"mem", "MEM_USAGE", " MB", 1},
    {"usage", "CPU_USAGE", "", 1},
};

int metric_find(const char *name, size_t len) {
  for (int m = 0; m < MET_COUNT; m++) {
    const struct metric_info *mi = &metric_info[m];
    if ((strlen(mi->key) == len && strncasecmp(mi->key, name, len) == 0) ||
        (strlen(mi->column) == len && strncasecmp(mi->column, name, len) == 0))
      return m;
  }
  return -1;
}

double metric_value(const struct prow *r, enum metric m) {
  switch (m) {
  case MET_TIME: return r->total_time;
  case MET_CPU: return r->user_time + r->kernel_time;
  case MET_MEM: return r->mem_usage;
  case MET_USAGE: return r->cpu_usage;
  default: return 0;
  }
}

static void thresholds_unset(struct thresholds *t) {
  for (int m = 0; m < MET_COUNT; m++)
    t->max_increase[m] = t->min_delta[m] = t->limit[m] = NAN;
  t->min_duration = NAN;
}

void thresholds_init(struct threshold_set *ts) {
  /* CPU_USAGE moves with parallelism, not with the code: off by default. */
  static const double max_increase[MET_COUNT] = {20, 20, 10, -1};
  static const double min_delta[MET_COUNT] = {0.01, 0.01, 1, 10};
  memset(ts, 0, sizeof *ts);
  for (int m = 0; m < MET_COUNT; m++) {
    ts->global.max_increase[m] = max_increase[m];
    ts->global.min_delta[m] = min_delta[m];
    ts->global.limit[m] = -1;
  }
  ts->global.min_duration = 0.05;
}

void thresholds_free(struct threshold_set *ts) {
  for (size_t i = 0; i < ts->rule_count; i++)
    free(ts->rules[i].pattern);
  free(ts->rules);
  pdb_free_limits(ts->limits, ts->limit_count);
  memset(ts, 0, sizeof *ts);
}

static int parse_number(const char *text, size_t len, int allow_percent,
                        double *out) {
  char buf[64];
  if (len == 0 || len >= sizeof buf)
    return -1;
  memcpy(buf, text, len);
  buf[len] = '\0';
  if (allow_percent && buf[len - 1] == '%')
    buf[--len] = '\0';
  char *end;
  errno = 0;
  double v = strtod(buf, &end);
  if (end == buf || *end || errno || !isfinite(v) || v < 0)
    return -1;
  *out = v;
  return 0;
}

/* A number, or "off" (-1) to turn a check or a limit off. */
static int parse_setting(const char *text, size_t len, int allow_percent,
                         double *out) {
  if (len == 3 && strncmp(text, "off", 3) == 0) {
    *out = -1;
    return 0;
  }
  return parse_number(text, len, allow_percent, out);
}

int thresholds_set(struct thresholds *t, const char *setting, const char *text,
                   const char *where) {
  if (strcmp(setting, "min-duration") == 0) {
    if (parse_number(text, strlen(text), 0, &t->min_duration) == 0)
      return 0;
    return cli_error("%s: bad min-duration '%s': expected seconds, a number "
                     ">= 0",
                     where, text);
  }
  double *field;
  int percent = 0;
  if (strcmp(setting, "max-increase") == 0) {
    field = t->max_increase;
    percent = 1;
  } else if (strcmp(setting, "min-delta") == 0) {
    field = t->min_delta;
  } else if (strcmp(setting, "limit") == 0) {
    field = t->limit;
  } else {
    return cli_error("%s: unknown setting '%s': expected max-increase, "
                     "min-delta, limit or min-duration",
                     where, setting);
  }
  const char *p = text;
  for (;;) {
    size_t len = strcspn(p, ",");
    const char *eq = memchr(p, '=', len);
    int m = eq ? metric_find(p, (size_t)(eq - p)) : -1;
    double v;
    if (m < 0 || parse_setting(eq + 1, len - (size_t)(eq + 1 - p), percent, &v))
      return cli_error("%s: bad %s '%s': expected METRIC=%s|off[,...] with METRIC "
                       "one of time, cpu, mem, usage (or TOTAL_TIME, CPU_TIME, "
                       "MEM_USAGE, CPU_USAGE)",
                       where, setting, text,
                       percent ? "PERCENT[%]" : "NUMBER >= 0");
    field[m] = v;
    if (p[len] == '\0')
      return 0;
    p += len + 1;
  }
}

/* One rule per line: "PATTERN SETTING VALUE"; '#' starts a comment. */
int thresholds_load_file(struct threshold_set *ts, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return cli_error("cannot read thresholds file '%s': %s", path,
                     strerror(errno));
  char line[4096];
  int lineno = 0, rc = 0;
  while (rc == 0 && fgets(line, sizeof line, f)) {
    lineno++;
    char *hash = strchr(line, '#');
    if (hash)
      *hash = '\0';
    char *save, *fields[4] = {0};
    int n = 0;
    for (char *tok = strtok_r(line, " \t\r\n", &save); tok && n < 4;
         tok = strtok_r(NULL, " \t\r\n", &save))
      fields[n++] = tok;
    if (n == 0)
      continue;
    char where[4200];
    snprintf(where, sizeof where, "%s:%d", path, lineno);
    if (n != 3) {
      rc = cli_error("%s: expected 'PATTERN SETTING VALUE', e.g. "
                     "'tests.io::* max-increase time=50%%'",
                     where);
      break;
    }
    ts->rules = xrealloc(ts->rules, (ts->rule_count + 1) * sizeof *ts->rules);
    struct threshold_rule *rule = &ts->rules[ts->rule_count++];
    rule->pattern = xstrdup(fields[0]);
    thresholds_unset(&rule->t);
    rc = thresholds_set(&rule->t, fields[1], fields[2], where);
  }
  if (rc == 0 && ferror(f))
    rc = cli_error("cannot read thresholds file '%s'", path);
  fclose(f);
  return rc;
}

static void override(double *dst, double src) {
  if (!isnan(src))
    *dst = src;
}

void thresholds_for(const struct threshold_set *ts, const struct prow *r,
                    struct thresholds *out) {
  *out = ts->global;
  for (size_t i = 0; i < ts->limit_count; i++) {
    const struct plimit *l = &ts->limits[i];
    int m = metric_find(l->metric, strlen(l->metric));
    if (m >= 0 && strcmp(l->item_path, r->item_path) == 0 &&
        strcmp(l->item, r->item) == 0)
      out->limit[m] = l->limit;
  }
  /* The file is the user's latest word: it overrides annotations too. */
  for (size_t i = 0; i < ts->rule_count; i++) {
    const struct threshold_rule *rule = &ts->rules[i];
    if (fnmatch(rule->pattern, r->name, 0) != 0)
      continue;
    for (int m = 0; m < MET_COUNT; m++) {
      override(&out->max_increase[m], rule->t.max_increase[m]);
      override(&out->min_delta[m], rule->t.min_delta[m]);
      override(&out->limit[m], rule->t.limit[m]);
    }
    override(&out->min_duration, rule->t.min_duration);
  }
}
