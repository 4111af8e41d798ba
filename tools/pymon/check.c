/*
** pymon compare and pymon check: a session against a baseline (previous
** session, a named session, an SCM id or the median of the last N).
** compare prints every test; check prints the regressions and exits 1
** when there is one, writing JUnit XML and Markdown for CI on request.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "compare.h"

enum {
  O_SESSION = 1, O_BASELINE, O_MAX_INCREASE, O_MIN_DELTA, O_MIN_DURATION,
  O_LIMIT, O_THRESHOLDS, O_ANY_CONTEXT, O_JUNIT, O_MARKDOWN
};

static const struct cli_option gate_options[] = {
    {"session", 1, O_SESSION},
    {"baseline", 1, O_BASELINE},
    {"max-increase", 1, O_MAX_INCREASE},
    {"min-delta", 1, O_MIN_DELTA},
    {"min-duration", 1, O_MIN_DURATION},
    {"limit", 1, O_LIMIT},
    {"thresholds", 1, O_THRESHOLDS},
    {"any-context", 0, O_ANY_CONTEXT},
    {"junit", 1, O_JUNIT},
    {"markdown", 1, O_MARKDOWN},
    PDB_SOURCE_OPTIONS,
    {NULL, 0, 0},
};

static const char gate_help[] =
    "usage: pymon %s [options]\n"
    "\n"
    "%s\n"
    "\n"
    "  --session ID            session to judge: SESSION_H, unique prefix,\n"
    "                          latest (default) or previous\n"
    "  --baseline B            previous (default), a session id, scm:<SCM id>\n"
    "                          or median:N (median of the N sessions before)\n"
    "  --max-increase LIST     allowed relative increase, default\n"
    "                          time=20%%,cpu=20%%,mem=10%%,usage=off\n"
    "  --min-delta LIST        increase ignored below, default\n"
    "                          time=0.01,cpu=0.01,mem=1,usage=10 (s, s, MB, %%)\n"
    "  --min-duration S        time of tests shorter than S never fails (0.05)\n"
    "  --limit LIST            absolute ceilings, e.g. mem=64,time=2\n"
    "  --thresholds FILE       per-test rules: PATTERN SETTING VALUE per line\n"
    "  --any-context           also compare runs on different machines\n"
    "  --junit FILE            write the verdicts as JUnit XML\n"
    "  --markdown FILE         write the verdicts as Markdown\n"
    "\n"
    "Metrics: time = TOTAL_TIME, cpu = USER_TIME + KERNEL_TIME, mem = MEM_USAGE,\n"
    "usage = CPU_USAGE. A metric regresses when its increase exceeds both\n"
    "max-increase and min-delta, or it passes its limit.\n"
    PDB_SOURCE_HELP;

struct gate {
  struct pdb_source src;
  const char *session, *baseline, *junit, *markdown;
  int any_context;
  struct threshold_set ts;
};

static int gate_option(void *ctx, int id, const char *value) {
  static const struct {
    int id;
    const char *setting, *option;
  } settings[] = {{O_MAX_INCREASE, "max-increase", "--max-increase"},
                  {O_MIN_DELTA, "min-delta", "--min-delta"},
                  {O_MIN_DURATION, "min-duration", "--min-duration"},
                  {O_LIMIT, "limit", "--limit"}};
  struct gate *g = ctx;
  switch (id) {
  case O_SESSION: g->session = value; return 0;
  case O_BASELINE: g->baseline = value; return 0;
  case O_ANY_CONTEXT: g->any_context = 1; return 0;
  case O_JUNIT: g->junit = value; return 0;
  case O_MARKDOWN: g->markdown = value; return 0;
  case O_THRESHOLDS: return thresholds_load_file(&g->ts, value);
  }
  for (size_t i = 0; i < sizeof settings / sizeof *settings; i++)
    if (settings[i].id == id)
      return thresholds_set(&g->ts.global, settings[i].setting, value,
                            settings[i].option);
  return pdb_source_option(&g->src, id, value);
}

static int parse_gate_options(int argc, char **argv, struct gate *g,
                              const char *summary) {
  struct strbuf help = {0};
  sb_appendf(&help, gate_help, cli_command, summary);
  int rc = args_parse(argc, argv, gate_options, help.buf, gate_option, g, NULL);
  sb_free(&help);
  return rc;
}

static void session_label(struct strbuf *sb, const struct psession *s) {
  sb_appendf(sb, "session " SHORT_HASH " (%s", s->session_h, s->run_date);
  if (*s->scm_id)
    sb_appendf(sb, ", scm %.12s", s->scm_id);
  sb_append(sb, ")");
}

/* Sessions [first, last) before the current one; label says which. */
static int load_range(struct pdb *d, size_t first, size_t last,
                      struct prows *base) {
  for (size_t i = first; i < last; i++)
    if (pdb_session_rows(d, d->sessions[i].session_h, base))
      return CLI_EXIT_USAGE;
  return 0;
}

static int load_baseline(struct pdb *d, size_t cur, const char *spec,
                         struct prows *base, struct strbuf *label) {
  if (strcmp(spec, "previous") == 0) {
    if (cur == 0) {
      sb_append(label, "nothing (no earlier session)");
      return 0;
    }
    sb_append(label, "the previous ");
    session_label(label, &d->sessions[cur - 1]);
    return load_range(d, cur - 1, cur, base);
  }
  if (strncmp(spec, "median:", 7) == 0) {
    long n;
    if (args_int("--baseline median:N", spec + 7, 1, 100000, &n))
      return CLI_EXIT_USAGE;
    size_t first = cur > (size_t)n ? cur - (size_t)n : 0;
    if (first == cur) {
      sb_append(label, "nothing (no earlier session)");
      return 0;
    }
    sb_appendf(label, "the median of the %zu sessions before it", cur - first);
    return load_range(d, first, cur, base);
  }
  if (strncmp(spec, "scm:", 4) == 0) {
    const char *scm = spec + 4;
    size_t len = strlen(scm);
    for (size_t i = d->session_count; len && i-- > 0;) {
      if (i != cur && strncmp(d->sessions[i].scm_id, scm, len) == 0) {
        sb_append(label, "the latest ");
        session_label(label, &d->sessions[i]);
        return load_range(d, i, i + 1, base);
      }
    }
    return cli_error("no other session with SCM id '%s' in '%s'", scm, d->path);
  }
  size_t index;
  if (pdb_find_session(d, spec, &index))
    return CLI_EXIT_USAGE;
  session_label(label, &d->sessions[index]);
  return load_range(d, index, index + 1, base);
}

static void warn_unknown_limits(const struct threshold_set *ts) {
  for (size_t i = 0; i < ts->limit_count; i++) {
    const char *metric = ts->limits[i].metric;
    if (metric_find(metric, strlen(metric)) < 0)
      cli_warn("ignoring limit on unknown metric '%s' of %s::%s", metric,
               ts->limits[i].item_path, ts->limits[i].item);
  }
}

static const char *state_word(const struct test_result *r) {
  if (r->failed)
    return "FAIL";
  switch (r->state) {
  case T_NEW: return "new";
  case T_NO_CONTEXT: return "no-ctx";
  case T_MISSING: return "missing";
  case T_COMPARED: break;
  }
  for (int m = 0; m < MET_COUNT; m++)
    if (r->verdict[m] == V_IMPROVED)
      return "better";
  return "ok";
}

static void print_cell(const struct test_result *r, enum metric m) {
  struct strbuf cell = {0};
  int d = metric_info[m].decimals;
  if (isnan(r->cur[m]))
    sb_appendf(&cell, "%.*f -> gone", d, r->base[m]);
  else if (isnan(r->base[m]))
    sb_appendf(&cell, "%.*f", d, r->cur[m]);
  else if (r->base[m] > 0)
    sb_appendf(&cell, "%.*f -> %.*f %+.0f%%", d, r->base[m], d, r->cur[m],
               100 * (r->cur[m] - r->base[m]) / r->base[m]);
  else
    sb_appendf(&cell, "%.*f -> %.*f", d, r->base[m], d, r->cur[m]);
  if (r->verdict[m] == V_REGRESSED || r->verdict[m] == V_OVER_LIMIT)
    sb_append(&cell, " !");
  printf("  %-24s", cell.buf);
  sb_free(&cell);
}

static void print_table(const struct comparison *c) {
  printf("%-7s", "STATUS");
  for (int m = 0; m < MET_COUNT; m++)
    printf("  %-24s", metric_info[m].column);
  printf("  TEST\n");
  struct strbuf name = {0};
  for (size_t i = 0; i < c->n; i++) {
    const struct test_result *r = &c->v[i];
    printf("%-7s", state_word(r));
    for (int m = 0; m < MET_COUNT; m++)
      print_cell(r, (enum metric)m);
    name.len = 0;
    result_name(&name, r->row);
    fputs("  ", stdout);
    term_print(stdout, name.buf);
    putchar('\n');
  }
  sb_free(&name);
}

static void print_failures(const struct comparison *c) {
  struct strbuf line = {0};
  for (size_t i = 0; i < c->n; i++) {
    const struct test_result *r = &c->v[i];
    for (int m = 0; m < MET_COUNT; m++) {
      if (r->verdict[m] != V_REGRESSED && r->verdict[m] != V_OVER_LIMIT)
        continue;
      line.len = 0;
      sb_append(&line, r->verdict[m] == V_OVER_LIMIT ? "OVER LIMIT " : "REGRESSION ");
      result_name(&line, r->row);
      sb_append(&line, ": ");
      describe_failure(&line, r, (enum metric)m);
      term_print(stdout, line.buf);
      putchar('\n');
    }
  }
  sb_free(&line);
}

static void print_summary(const struct comparison *c, const char *title) {
  term_print(stdout, title);
  putchar('\n');
  printf("%zu failed, %zu compared, %zu new, %zu without a comparable "
         "context, %zu missing\n",
         c->failed, c->compared, c->new_tests, c->no_context, c->missing);
}

static int run_gate(int argc, char **argv, int is_check, const char *summary) {
  struct gate g = {
      .src = PDB_SOURCE_INIT, .session = "latest", .baseline = "previous"};
  thresholds_init(&g.ts);
  struct pdb d;
  memset(&d, 0, sizeof d);
  struct prows cur = {0}, base = {0};
  struct strbuf title = {0};
  struct comparison c = {0};
  size_t index;

  int rc = parse_gate_options(argc, argv, &g, summary);
  if (rc)
    goto out;
  if ((rc = pdb_open(&d, &g.src, g.session, &index)))
    goto out;
  sb_append(&title, "Comparing ");
  session_label(&title, &d.sessions[index]);
  sb_append(&title, " with ");
  if ((rc = load_baseline(&d, index, g.baseline, &base, &title)) ||
      (rc = pdb_limits(&d, &g.ts.limits, &g.ts.limit_count)) ||
      (rc = pdb_session_rows(&d, d.sessions[index].session_h, &cur)))
    goto out;
  warn_unknown_limits(&g.ts);

  compare_rows(&cur, &base, &g.ts, g.any_context, &c);
  if (is_check)
    print_failures(&c);
  else
    print_table(&c);
  print_summary(&c, title.buf);
  if ((g.junit && (rc = write_junit(g.junit, &c, title.buf))) ||
      (g.markdown && (rc = write_markdown(g.markdown, &c, title.buf))))
    goto out;
  rc = is_check && c.failed ? CLI_EXIT_REGRESSION : CLI_EXIT_OK;

out:
  comparison_free(&c);
  prows_free(&cur);
  prows_free(&base);
  sb_free(&title);
  thresholds_free(&g.ts);
  pdb_close(&d);
  return ARGS_EXIT(rc);
}

int cmd_compare(int argc, char **argv) {
  return run_gate(argc, argv, 0,
                  "Compare a session with a baseline, test by test and metric "
                  "by metric.");
}

int cmd_check(int argc, char **argv) {
  return run_gate(argc, argv, 1,
                  "Like compare, for CI: print the regressions and exit 1 if "
                  "there is any\n(0 if none, 2 on usage errors).");
}
