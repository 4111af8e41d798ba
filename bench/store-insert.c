/*
** How much one stored item costs: the per-row cost of pymon_store_item
** alone, and of a whole item (enter/exit probe plus its row) through the
** ABI, each the median of several runs.  Prints figures, asserts nothing.
**
**   store-insert [ROWS [RUNS]]      (in a scratch directory of its own)
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "median.h"
#include "pymon/abi.h"
#include "session.h"
#include "store.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Microseconds per pymon_store_item call into a fresh database. */
static double store_only(const char *path, long rows) {
  char err[512];
  struct pymon_context ctx;
  struct pymon_session s = {.description_json = "{}"};
  unlink(path);
  struct pymon_store *st = pymon_store_open(path, err, sizeof err);
  if (!st) {
    fprintf(stderr, "%s\n", err);
    exit(1);
  }
  pymon_context_collect(&ctx, "bench");
  strcpy(s.session_h, "00000000000000000000000000000000");
  strcpy(s.run_date, "2024-01-01T00:00:00");
  pymon_store_context(st, &ctx);
  pymon_store_session(st, &s);
  struct pymon_metrics m = {
    .session_h = s.session_h, .env_h = ctx.env_h,
    .item_start_time = "2024-01-01T00:00:00.123456",
    .item_path = "bench.store_insert", .item = "test_row",
    .item_variant = "test_row[1-2]", .item_fs_loc = "bench/store_insert.c",
    .kind = "function", .component = "", .total_time = 0.001,
    .user_time = 0.001, .cpu_usage = 100, .mem_usage = 1.5};
  double t0 = now();
  for (long i = 0; i < rows; i++)
    if (pymon_store_item(st, &m, 1) != 0) exit(1);
  double t = now() - t0;
  pymon_store_close(st);
  return t / (double)rows * 1e6;
}

static struct pymon_module module = {
  .abi_version = PYMON_ABI_VERSION, .file = "bench/store-insert.c",
  .compile_dir = "/", .compiler = "bench"};
static struct pymon_site site = {
  .abi_version = PYMON_ABI_VERSION, .flags = PYMON_SITE_BY_NAME,
  .module = &module, .function = "test_item", .line = 1};

__attribute__((noinline)) static void test_item(void) {
  pymon_enter(&site);
  pymon_exit();
}

int main(int argc, char **argv) {
  long rows = argc > 1 ? atol(argv[1]) : 2000;
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  double v[64];
  if (runs < 1 || runs > 64 || rows < 1) {
    fprintf(stderr, "usage: store-insert [ROWS [RUNS<=64]]\n");
    return 2;
  }
  /* The probe writes to PYMON_DB, read when the library loads: set it and
  ** start again. */
  if (!getenv("PYMON_DB")) {
    setenv("PYMON_DB", "store-insert-probe.pymon", 1);
    unlink("store-insert-probe.pymon");
    execv("/proc/self/exe", argv);
    perror("execv");
    return 1;
  }
  for (int r = 0; r < runs; r++) v[r] = store_only("store-insert.pymon", rows);
  printf("store row alone: %.1f us per item (median of %d runs of %ld rows, "
         "WAL)\n", median(v, runs), runs, rows);

  test_item(); /* first item: session, context and database set up */
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    for (long i = 0; i < rows; i++) test_item();
    v[r] = (now() - t0) / (double)rows * 1e6;
  }
  printf("probe + row:     %.1f us per item (median of %d runs of %ld items; "
         "goal 25 us)\n", median(v, runs), runs, rows);
  return 0;
}
