/*
** The median of a sample, for the benchmark programs.
*/
#ifndef PYMON_BENCH_MEDIAN_H
#define PYMON_BENCH_MEDIAN_H

#include <stdlib.h>

static int median_by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts v: v[0] is then the least. */
static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, median_by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif /* PYMON_BENCH_MEDIAN_H */
