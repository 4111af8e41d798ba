/*
** Per-item cost of pymon's probe, median of repeated runs:
**   measure  the measuring alone: one probe (time, CPU, peak-RSS read and
**            reset), what each item costs when items run back to back
**   journal  the crash-safe bookkeeping alone: an item's start and end
**            records in a journal (in the current directory), no SQLite
**   item     pymon_enter + pymon_exit of a monitored function, row included,
**            stored wherever the PYMON_* environment says (bench/probe.sh
**            runs it with rows to memory, to a WAL file, and disabled).
** Links the static runtime so the internal measure API is reachable.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "measure.h"
#include "pymon/abi.h"

static struct pymon_module module = {
    PYMON_ABI_VERSION, 0, "bench/probe-bench.c", "/", "", "bench", NULL};
static struct pymon_site site = {
    PYMON_ABI_VERSION, PYMON_SITE_BY_NAME, &module, "test_bench_item", NULL,
    1, 0, NULL, NULL, NULL, NULL};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

__attribute__((noinline)) static void one_item(void) {
  pymon_enter(&site);
  pymon_exit();
}

static struct pymon_journal *journal;

static void one_journal_item(void) {
  static const struct pymon_item_text text = {
      "bench.probe-bench", "test_bench_item", "test_bench_item", "bench/probe-bench.c",
      "function", ""};
  struct pymon_sample s = {0};
  struct pymon_metrics m = {0};
  unsigned handle = pymon_journal_begin(journal, &text, &s);
  if (!handle || pymon_journal_end(journal, handle, &m) != 0) {
    fprintf(stderr, "journal full: use fewer items\n");
    exit(1);
  }
}

/* A fresh journal per run: one holds some thousands of items. */
static void fresh_journal(void) {
  pymon_journal_close(journal, NULL);
  if (system("rm -rf journal-bench.db.pymon-journal") != 0) exit(1);
  static const struct pymon_context context = {.env_h = "0"};
  journal = pymon_journal_create("journal-bench.db", "0", &context, 0);
  if (!journal) {
    fprintf(stderr, "cannot make a journal in this directory\n");
    exit(1);
  }
}

/* Items run back to back share one probe at each boundary (probe.c). */
static void one_measure(void) {
  struct pymon_sample s;
  pymon_measure_probe(&s, PYMON_MEASURE_CLOSE | PYMON_MEASURE_OPEN);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "item";
  long items = argc > 2 ? atol(argv[2]) : 20000;
  int reps = argc > 3 ? atoi(argv[3]) : 7;
  void (*fn)(void) = strcmp(mode, "measure") == 0   ? one_measure
                     : strcmp(mode, "journal") == 0 ? one_journal_item
                                                    : one_item;
  double per_item[64];

  if (items <= 0 || reps <= 0 || reps > 64) {
    fprintf(stderr, "usage: %s item|measure|journal [items] [reps<=64]\n", argv[0]);
    return 2;
  }
  /* Warm up as a test process would be: database open, context read. */
  one_item();
  if (fn == one_journal_item) fresh_journal();
  fn();
  if (fn == one_journal_item && items > 3000) items = 3000;
  for (int r = 0; r < reps; r++) {
    if (fn == one_journal_item) fresh_journal();
    double start = now();
    for (long i = 0; i < items; i++) fn();
    per_item[r] = (now() - start) / (double)items * 1e6;
  }
  qsort(per_item, (size_t)reps, sizeof per_item[0], cmp_double);
  printf("%-8s %8ld items x %d runs: median %.2f us/item (min %.2f, max %.2f)\n",
         mode, items, reps, per_item[reps / 2], per_item[0], per_item[reps - 1]);
  return 0;
}
