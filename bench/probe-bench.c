/*
** Per-item cost of pymon's probe, median of repeated runs:
**   measure  the measuring alone (two probes: time, CPU, peak-RSS reset/read)
**   item     pymon_enter + pymon_exit of a monitored function, row included,
**            stored wherever the PYMON_* environment says (bench/probe.sh
**            runs it with rows to memory, to a WAL file, and disabled).
** Links the static runtime so the internal measure API is reachable.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
  void *frame = __builtin_frame_address(0);
  pymon_enter(&site, frame);
  pymon_exit(&site, frame);
}

static void one_measure(void) {
  struct pymon_sample a, b;
  pymon_measure_probe(&a, PYMON_MEASURE_OPEN);
  pymon_measure_probe(&b, PYMON_MEASURE_CLOSE);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "item";
  long items = argc > 2 ? atol(argv[2]) : 20000;
  int reps = argc > 3 ? atoi(argv[3]) : 7;
  void (*fn)(void) = strcmp(mode, "measure") == 0 ? one_measure : one_item;
  double per_item[64];

  if (items <= 0 || reps <= 0 || reps > 64) {
    fprintf(stderr, "usage: %s item|measure [items] [reps<=64]\n", argv[0]);
    return 2;
  }
  /* Warm up as a test process would be: database open, context read. */
  one_item();
  fn();
  for (int r = 0; r < reps; r++) {
    double start = now();
    for (long i = 0; i < items; i++) fn();
    per_item[r] = (now() - start) / (double)items * 1e6;
  }
  qsort(per_item, (size_t)reps, sizeof per_item[0], cmp_double);
  printf("%-8s %8ld items x %d runs: median %.2f us/item (min %.2f, max %.2f)\n",
         mode, items, reps, per_item[reps / 2], per_item[0], per_item[reps - 1]);
  return 0;
}
