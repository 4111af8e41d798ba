/*
** Diagnostics to stderr, in one write each so lines from parallel test
** processes do not interleave mid-line.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "warn.h"

static void vsay(const char *prefix, const char *fmt, va_list ap) {
  char line[2048];
  int n = snprintf(line, sizeof line, "pymon: %s", prefix);
  if (n < 0) return;
  int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
  if (m < 0) return;
  size_t len = (size_t)n + (size_t)m;
  if (len > sizeof line - 2) len = sizeof line - 2;
  line[len++] = '\n';
  ssize_t w = write(STDERR_FILENO, line, len);
  (void)w;
}

void pymon_warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsay("warning: ", fmt, ap);
  va_end(ap);
}

void pymon_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsay("error: ", fmt, ap);
  va_end(ap);
  exit(2);
}
