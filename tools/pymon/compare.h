/*
** Comparing a session with a baseline: the metrics compared, thresholds
** (global, per-test rules from a file, limits from source annotations)
** and the per-test verdicts that compare, check, JUnit and Markdown print.
*/
#ifndef PYMON_COMPARE_H
#define PYMON_COMPARE_H

#include <stdio.h>

#include "cli.h"
#include "db.h"

enum metric { MET_TIME, MET_CPU, MET_MEM, MET_USAGE, MET_COUNT };

struct metric_info {
  const char *key;    /* in options: time, cpu, mem, usage */
  const char *column; /* TOTAL_TIME, CPU_TIME (user + kernel), ... */
  const char *unit;   /* " s", " MB", "" */
  int decimals;
};
extern const struct metric_info metric_info[MET_COUNT];

/* The metric named by key or column (any case), or -1. */
int metric_find(const char *name, size_t len);
double metric_value(const struct prow *r, enum metric m);

/* Thresholds for one test.  A negative max_increase turns the relative
** check off; a negative limit means no limit.  In rules, NAN = not set. */
struct thresholds {
  double max_increase[MET_COUNT]; /* percent of the baseline */
  double min_delta[MET_COUNT];    /* absolute, in the metric's unit */
  double limit[MET_COUNT];        /* absolute ceiling */
  double min_duration;            /* seconds: shorter tests' time never fails */
};

struct threshold_rule {
  char *pattern; /* fnmatch pattern on the test name */
  struct thresholds t;
};

struct threshold_set {
  struct thresholds global;
  struct threshold_rule *rules; /* from --thresholds FILE, in file order */
  size_t rule_count;
  struct plimit *limits; /* from PYMON_ITEM_LIMITS */
  size_t limit_count;
};

void thresholds_init(struct threshold_set *ts);
void thresholds_free(struct threshold_set *ts);
/* Apply a setting (max-increase, min-delta, limit, min-duration) given
** as text, e.g. "time=20%,mem=10%".  0, or CLI_EXIT_USAGE with a message
** naming where (an option or file:line) the bad value came from. */
int thresholds_set(struct thresholds *t, const char *setting, const char *text,
                   const char *where);
int thresholds_load_file(struct threshold_set *ts, const char *path);
/* The thresholds that apply to row's test. */
void thresholds_for(const struct threshold_set *ts, const struct prow *r,
                    struct thresholds *out);

enum verdict {
  V_NONE,      /* not checked (no baseline or check turned off) */
  V_OK,
  V_IMPROVED,
  V_NOISE,     /* a time change on a test shorter than min_duration */
  V_REGRESSED,
  V_OVER_LIMIT
};

enum test_state { T_COMPARED, T_NEW, T_NO_CONTEXT, T_MISSING };

struct test_result {
  const struct prow *row; /* current row (baseline row when T_MISSING) */
  enum test_state state;
  double cur[MET_COUNT], base[MET_COUNT];
  enum verdict verdict[MET_COUNT];
  struct thresholds t;
  int failed; /* some metric REGRESSED or OVER_LIMIT */
};

struct comparison {
  struct test_result *v;
  size_t n;
  size_t failed, compared, new_tests, no_context, missing;
};

/* Compare cur with base test by test (ITEM_PATH, ITEM, ITEM_VARIANT,
** KIND, COMPONENT).  Several rows of one test (repeats, or the sessions of
** a median baseline) count by their median. */
void compare_rows(const struct prows *cur, const struct prows *base,
                  const struct threshold_set *ts, int any_context,
                  struct comparison *out);
void comparison_free(struct comparison *c);

/* "tests.x::test_y", plus " [kind]" unless a function and " {component}". */
void result_name(struct strbuf *sb, const struct prow *r);
/* A value with its unit, e.g. "1.250 s". */
void format_value(struct strbuf *sb, enum metric m, double v);
/* Why metric m of r failed, e.g. "TOTAL_TIME 1.000 s -> 1.500 s (+0.500 s,
** +50.0%; allowed +20% and +0.010 s)". */
void describe_failure(struct strbuf *sb, const struct test_result *r,
                      enum metric m);

/* CI outputs (ciout.c).  title describes the two sessions. */
int write_junit(const char *path, const struct comparison *c, const char *title);
int write_markdown(const char *path, const struct comparison *c,
                   const char *title);

#endif /* PYMON_COMPARE_H */
