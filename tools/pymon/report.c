/*
** pymon report: one session as a readable table (totals per kind, the
** slowest items, the most CPU, the most memory, items that did not return
** normally) or, with --test, one test's history across sessions.
*/
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "compare.h"
#include "store.h"

enum { O_SESSION = 1, O_TOP, O_TEST };

static const struct cli_option report_options[] = {
    {"session", 1, O_SESSION}, {"top", 1, O_TOP}, {"test", 1, O_TEST},
    PDB_SOURCE_OPTIONS, {NULL, 0, 0},
};

static const char report_help[] =
    "usage: pymon report [--db PATH|--server ADDR] [--session ID] [--top N]\n"
    "                    [--test NAME]\n"
    "\n"
    "Show a session: totals, the slowest items, the most CPU, the most memory.\n"
    "\n"
    "  --session ID   SESSION_H, unique prefix, latest (default) or previous\n"
    "  --top N        rows per list (default 10)\n"
    "  --test NAME    history of one test over all sessions instead; NAME is\n"
    "                 ITEM_VARIANT, ITEM or ITEM_PATH::ITEM_VARIANT\n"
    PDB_SOURCE_HELP;

struct report_options {
  struct pdb_source src;
  const char *session, *test;
  long top;
};

static int report_option(void *ctx, int id, const char *value) {
  struct report_options *o = ctx;
  switch (id) {
  case O_SESSION: o->session = value; return 0;
  case O_TEST: o->test = value; return 0;
  case O_TOP: return args_int("--top", value, 1, 1000000, &o->top);
  }
  return pdb_source_option(&o->src, id, value);
}

static void print_header(const char *first) {
  printf("  %-26s %10s %10s %10s %9s  %s\n", first, "TOTAL_TIME", "CPU_TIME",
         "MEM_USAGE", "CPU_USAGE", "TEST");
}

static void print_row(const char *first, const struct prow *r) {
  struct strbuf name = {0};
  result_name(&name, r);
  if (*r->outcome && strcmp(r->outcome, "returned") != 0)
    sb_appendf(&name, " (%s)", r->outcome);
  printf("  %-26s %8.3f s %8.3f s %7.1f MB %9.1f  ", first, r->total_time,
         metric_value(r, MET_CPU), r->mem_usage, r->cpu_usage);
  term_print(stdout, name.buf);
  putchar('\n');
  sb_free(&name);
}

static enum metric sort_metric;

static int by_metric_desc(const void *a, const void *b) {
  double x = metric_value(*(const struct prow *const *)a, sort_metric);
  double y = metric_value(*(const struct prow *const *)b, sort_metric);
  return (x < y) - (x > y);
}

/* Rankings are of test functions, which module or session rows (their
** sums) would crowd out; other kinds rank only when there is no function. */
static void print_top(const struct prows *rows, enum metric m, long top,
                      const char *title) {
  const struct prow **v = xcalloc(rows->n, sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < rows->n; i++)
    if (strcmp(rows->v[i].kind, "function") == 0)
      v[n++] = &rows->v[i];
  if (n == 0)
    for (; n < rows->n; n++)
      v[n] = &rows->v[n];
  sort_metric = m;
  qsort(v, n, sizeof *v, by_metric_desc);
  printf("\n%s\n", title);
  print_header("RANK");
  for (size_t i = 0; i < n && i < (size_t)top; i++) {
    char rank[24];
    snprintf(rank, sizeof rank, "%zu", i + 1);
    print_row(rank, v[i]);
  }
  free(v);
}

/* One line per KIND: wall and CPU sums and the peak memory. */
static void print_totals(const struct prows *rows) {
  static const char *const kinds[] = {"function", "class", "module", "session"};
  printf("\nTotals\n");
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    size_t n = 0;
    double wall = 0, cpu = 0, mem = 0;
    for (size_t i = 0; i < rows->n; i++) {
      const struct prow *r = &rows->v[i];
      if (strcmp(r->kind, kinds[k]) != 0)
        continue;
      n++;
      wall += r->total_time;
      cpu += metric_value(r, MET_CPU);
      if (r->mem_usage > mem)
        mem = r->mem_usage;
    }
    if (n)
      printf("  %-8s %5zu items  wall %9.3f s  CPU %9.3f s  peak memory %.1f MB\n",
             kinds[k], n, wall, cpu, mem);
  }
}

static void print_abnormal(const struct prows *rows) {
  int header = 0;
  for (size_t i = 0; i < rows->n; i++) {
    const struct prow *r = &rows->v[i];
    if (!*r->outcome || strcmp(r->outcome, "returned") == 0)
      continue;
    if (!header) {
      printf("\nItems that did not return normally\n");
      print_header("OUTCOME");
      header = 1;
    }
    print_row(r->outcome, r);
  }
}

/*
** Hosts whose test processes could not reset the peak-memory mark (the
** runtime keeps why in PYMON_COMMAND_ANSWERS under
** PYMON_ANSWER_NO_CLEAR_REFS "HOST|RELEASE"): their MEM_USAGE is each process's
** peak so far.  Said once per database by the runtime, so said here too.
*/
static void print_peak_notes(struct pdb *d) {
  static const char prefix[] = PYMON_ANSWER_NO_CLEAR_REFS;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(d->db,
                         "SELECT substr(COMMAND, ?1), ANSWER FROM PYMON_COMMAND_ANSWERS "
                         "WHERE substr(COMMAND, 1, ?2) = ?3 ORDER BY COMMAND",
                         -1, &st, NULL) != SQLITE_OK)
    return; /* no such table: not written by pymon's runtime */
  sqlite3_bind_int(st, 1, (int)sizeof prefix);
  sqlite3_bind_int(st, 2, (int)sizeof prefix - 1);
  sqlite3_bind_text(st, 3, prefix, -1, SQLITE_STATIC);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *host = (const char *)sqlite3_column_text(st, 0);
    const char *why = (const char *)sqlite3_column_text(st, 1);
    const char *bar = host ? strchr(host, '|') : NULL;
    if (!bar) continue;
    printf("\nNote: on %.*s (Linux %s), /proc/self/clear_refs could not be written (%s): "
           "MEM_USAGE there is each process's peak so far, not each test's own.\n",
           (int)(bar - host), host, bar + 1, why ? why : "?");
  }
  sqlite3_finalize(st);
}

static int report_session(struct pdb *d, size_t index, long top) {
  const struct psession *s = &d->sessions[index];
  struct prows rows = {0};
  if (pdb_session_rows(d, s->session_h, &rows))
    return CLI_EXIT_USAGE;
  printf("Session %s\n  run date     %s\n  SCM id       %s\n  description  %s\n"
         "  database     %s (session %zu of %zu)\n",
         s->session_h, s->run_date, *s->scm_id ? s->scm_id : "(none)",
         *s->description ? s->description : "(none)", d->path, index + 1,
         d->session_count);
  if (rows.n == 0) {
    printf("\nNo items recorded in this session.\n");
  } else {
    print_totals(&rows);
    print_top(&rows, MET_TIME, top, "Slowest (TOTAL_TIME)");
    print_top(&rows, MET_CPU, top, "Most CPU (USER_TIME + KERNEL_TIME)");
    print_top(&rows, MET_MEM, top, "Most memory (MEM_USAGE, peak resident)");
    print_abnormal(&rows);
    print_peak_notes(d);
  }
  prows_free(&rows);
  return CLI_EXIT_OK;
}

static int report_history(struct pdb *d, const char *name) {
  struct prows rows = {0};
  if (pdb_test_rows(d, name, &rows))
    return CLI_EXIT_USAGE;
  int rc = CLI_EXIT_OK;
  if (rows.n == 0) {
    rc = cli_error("no test named '%s' in '%s' (give ITEM_VARIANT, ITEM or "
                   "ITEM_PATH::ITEM_VARIANT)",
                   name, d->path);
  } else {
    printf("History of '%s': %zu runs\n", name, rows.n);
    print_header("RUN_DATE / SESSION");
    for (size_t i = 0; i < rows.n; i++) {
      char first[64];
      snprintf(first, sizeof first, "%.19s " "%.6s", rows.v[i].run_date,
               rows.v[i].session_h);
      print_row(first, &rows.v[i]);
    }
  }
  prows_free(&rows);
  return rc;
}

int cmd_report(int argc, char **argv) {
  struct report_options o = {PDB_SOURCE_INIT, "latest", NULL, 10};
  int rc = args_parse(argc, argv, report_options, report_help, report_option,
                      &o, NULL);
  if (rc)
    return ARGS_EXIT(rc);
  struct pdb d;
  size_t index;
  rc = pdb_open(&d, &o.src, o.test ? NULL : o.session, &index);
  if (rc == 0)
    rc = o.test ? report_history(&d, o.test) : report_session(&d, index, o.top);
  pdb_close(&d);
  return rc;
}
