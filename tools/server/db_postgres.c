/*
** PostgreSQL back end over libpq: the same three tables and columns
** (unquoted, so PostgreSQL folds the names to lower case).  A connection
** lost between requests is reset and the statement retried once.
*/
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

#define PG_MAX_PARAMS 32
#define PG_MAX_COLUMNS 32

static void ignore_notice(void *arg, const char *message) {
  (void)arg;
  (void)message; /* "relation already exists, skipping" and the like */
}

static void pg_close(void *conn) {
  PQfinish(conn);
}

static void *pg_open(const char *url, char *err, size_t errlen) {
  PGconn *pg = PQconnectdb(url);
  if (!pg || PQstatus(pg) != CONNECTION_OK) {
    snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
             pg ? PQerrorMessage(pg) : "out of memory");
    /* libpq messages end with a newline; ours do not. */
    size_t n = strlen(err);
    while (n > 0 && err[n - 1] == '\n') err[--n] = '\0';
    PQfinish(pg);
    return NULL;
  }
  PQsetNoticeProcessor(pg, ignore_notice, NULL);
  return pg;
}

static void pg_error(PGconn *pg, PGresult *res, char *err, size_t errlen) {
  const char *msg = res ? PQresultErrorMessage(res) : "";
  if (!*msg) msg = PQerrorMessage(pg);
  snprintf(err, errlen, "PostgreSQL: %s", msg);
  size_t n = strlen(err);
  while (n > 0 && err[n - 1] == '\n') err[--n] = '\0';
}

static int result_ok(PGresult *res) {
  ExecStatusType st = PQresultStatus(res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static int pg_script(void *conn, const char *sql, char *err, size_t errlen) {
  PGresult *res = PQexec(conn, sql);
  int ok = res && result_ok(res);
  if (!ok) pg_error(conn, res, err, errlen);
  PQclear(res);
  return ok ? 0 : -1;
}

/* libpq takes text parameters; %.17g keeps every double exactly. */
static PGresult *run(PGconn *pg, const char *sql, const struct db_value *params,
                     int nparams) {
  char numbers[PG_MAX_PARAMS][32];
  const char *values[PG_MAX_PARAMS];
  for (int i = 0; i < nparams; i++) {
    const struct db_value *p = &params[i];
    switch (p->type) {
    case DB_TEXT: values[i] = p->text; break;
    case DB_INT:
      snprintf(numbers[i], sizeof numbers[i], "%lld", p->integer);
      values[i] = numbers[i];
      break;
    case DB_REAL:
      snprintf(numbers[i], sizeof numbers[i], "%.17g", p->real);
      values[i] = numbers[i];
      break;
    default: values[i] = NULL; break;
    }
  }
  return PQexecParams(pg, sql, nparams, NULL, values, NULL, NULL, 0);
}

static int pg_exec(void *conn, const char *sql, const struct db_value *params,
                   int nparams, db_row_fn fn, void *arg, char *err,
                   size_t errlen) {
  PGconn *pg = conn;
  if (nparams > PG_MAX_PARAMS) {
    snprintf(err, errlen, "too many parameters");
    return -1;
  }
  PGresult *res = run(pg, sql, params, nparams);
  if ((!res || !result_ok(res)) && PQstatus(pg) == CONNECTION_BAD) {
    PQclear(res);
    PQreset(pg);
    res = run(pg, sql, params, nparams);
  }
  if (!res || !result_ok(res)) {
    pg_error(pg, res, err, errlen);
    PQclear(res);
    return -1;
  }
  int rows = PQntuples(res);
  int ncols = PQnfields(res);
  if (ncols > PG_MAX_COLUMNS) ncols = PG_MAX_COLUMNS;
  for (int r = 0; r < rows && fn; r++) {
    struct db_value cols[PG_MAX_COLUMNS];
    for (int c = 0; c < ncols; c++) {
      int null = PQgetisnull(res, r, c);
      cols[c].type = null ? DB_NULL : DB_TEXT;
      cols[c].text = null ? NULL : PQgetvalue(res, r, c);
    }
    if (fn(arg, cols, ncols) != 0) {
      snprintf(err, errlen, "cannot convert a stored row");
      PQclear(res);
      return -1;
    }
  }
  int changed = atoi(PQcmdTuples(res)); /* "" for a query */
  PQclear(res);
  return changed;
}

const struct db_driver db_postgres_driver = {
    "postgres", pg_open, pg_exec, pg_script, pg_close,
};
