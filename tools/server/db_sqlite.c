/*
** SQLite back end: a .pymon-schema file, shared safely with other writers
** (WAL, busy timeout), so the server can append to a pytest-monitor file.
*/
#include <sqlite3.h>
#include <stdio.h>

#include "db.h"

#define SQLITE_BUSY_MS 10000
#define SQLITE_MAX_COLUMNS 32

static void sqlite_close(void *conn) {
  sqlite3_close_v2(conn);
}

static int sqlite_script(void *conn, const char *sql, char *err, size_t errlen) {
  char *msg = NULL;
  if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(conn));
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

static void *sqlite_open(const char *path, char *err, size_t errlen) {
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                               SQLITE_OPEN_NOMUTEX,
                           NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot open SQLite database '%s': %s", path,
             db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, SQLITE_BUSY_MS);
  /* WAL lets readers run beside the writer; NORMAL sync is safe in WAL. */
  char msg[256];
  if (sqlite_script(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    msg, sizeof msg) != 0) {
    snprintf(err, errlen, "cannot use SQLite database '%s': %s", path, msg);
    sqlite3_close_v2(db);
    return NULL;
  }
  return db;
}

static int bind_params(sqlite3_stmt *stmt, const struct db_value *params,
                       int nparams) {
  for (int i = 0; i < nparams; i++) {
    const struct db_value *p = &params[i];
    int rc;
    switch (p->type) {
    case DB_TEXT:
      rc = sqlite3_bind_text(stmt, i + 1, p->text, -1, SQLITE_STATIC);
      break;
    case DB_INT: rc = sqlite3_bind_int64(stmt, i + 1, p->integer); break;
    case DB_REAL: rc = sqlite3_bind_double(stmt, i + 1, p->real); break;
    default: rc = sqlite3_bind_null(stmt, i + 1); break;
    }
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

static void read_column(sqlite3_stmt *stmt, int i, struct db_value *v) {
  v->text = NULL;
  switch (sqlite3_column_type(stmt, i)) {
  case SQLITE_INTEGER:
    v->type = DB_INT;
    v->integer = sqlite3_column_int64(stmt, i);
    break;
  case SQLITE_FLOAT:
    v->type = DB_REAL;
    v->real = sqlite3_column_double(stmt, i);
    break;
  case SQLITE_NULL: v->type = DB_NULL; break;
  default:
    v->type = DB_TEXT;
    v->text = (const char *)sqlite3_column_text(stmt, i);
    break;
  }
}

static int sqlite_exec(void *conn, const char *sql,
                       const struct db_value *params, int nparams,
                       db_row_fn fn, void *arg, char *err, size_t errlen) {
  sqlite3 *db = conn;
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = bind_params(stmt, params, nparams);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) break;
    int ncols = sqlite3_column_count(stmt);
    if (ncols > SQLITE_MAX_COLUMNS) ncols = SQLITE_MAX_COLUMNS;
    struct db_value cols[SQLITE_MAX_COLUMNS];
    for (int i = 0; i < ncols; i++) read_column(stmt, i, &cols[i]);
    if (fn && fn(arg, cols, ncols) != 0) {
      snprintf(err, errlen, "cannot convert a stored row");
      sqlite3_finalize(stmt);
      return -1;
    }
  }
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "SQLite: %s", sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    return -1;
  }
  int changed = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes(db);
  sqlite3_finalize(stmt);
  return changed;
}

const struct db_driver db_sqlite_driver = {
    "sqlite", sqlite_open, sqlite_exec, sqlite_script, sqlite_close,
};
