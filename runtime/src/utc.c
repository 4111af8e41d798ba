/*
** Wall-clock times as pytest-monitor stores them (see utc.h): Python's
** datetime.isoformat() of a UTC time, which leaves out a zero fraction.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "utc.h"

void pymon_format_utc(char out[40], long long seconds, long microseconds) {
  struct tm tm;
  time_t t = (time_t)seconds;
  if (!gmtime_r(&t, &tm)) memset(&tm, 0, sizeof tm);
  size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
  if (microseconds > 0 && n > 0)
    snprintf(out + n, 40 - n, ".%06ld", microseconds % 1000000);
}
