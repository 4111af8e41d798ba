/*
** Wall-clock times as pytest-monitor stores them (RUN_DATE,
** ITEM_START_TIME).
*/
#ifndef PYMON_UTC_H
#define PYMON_UTC_H

/* YYYY-MM-DDTHH:MM:SS.ffffff in UTC, the fraction omitted when zero. */
void pymon_format_utc(char out[40], long long seconds, long microseconds);

#endif /* PYMON_UTC_H */
