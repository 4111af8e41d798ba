/*
** The server's storage layer: one small driver interface that the SQLite
** and PostgreSQL back ends implement, and a fixed-size pool of connections
** so each HTTP worker thread works on its own connection.
**
** SQL is written once for both back ends: parameters are $1..$n (SQLite
** reads "$1" as a named parameter, numbered in order of appearance).
*/
#ifndef PYMON_SERVER_DB_H
#define PYMON_SERVER_DB_H

#include <stddef.h>

enum db_type { DB_NULL, DB_TEXT, DB_INT, DB_REAL };

/* A parameter or a result column.  Text is borrowed, never owned. */
struct db_value {
  enum db_type type;
  const char *text;
  long long integer;
  double real;
};

/* Called once per result row; non-zero stops the query with an error. */
typedef int (*db_row_fn)(void *arg, const struct db_value *cols, int ncols);

struct db_driver {
  const char *name;
  void *(*open)(const char *target, char *err, size_t errlen);
  /* One statement with parameters; rows go to fn (may be NULL).  Returns
  ** the rows it inserted or changed (0 for a query), or -1. */
  int (*exec)(void *conn, const char *sql, const struct db_value *params,
              int nparams, db_row_fn fn, void *arg, char *err, size_t errlen);
  /* Several parameterless statements (the schema). 0 or -1. */
  int (*exec_script)(void *conn, const char *sql, char *err, size_t errlen);
  void (*close)(void *conn);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_postgres_driver;


struct db_pool;

/* Open `size` connections and create the schema. NULL with err on failure. */
struct db_pool *db_pool_open(const struct db_driver *driver, const char *target,
                             int size, char *err, size_t errlen);
void db_pool_close(struct db_pool *pool);

/* Run one statement on a free connection of the pool: as driver->exec. */
int db_pool_exec(struct db_pool *pool, const char *sql,
                 const struct db_value *params, int nparams, db_row_fn fn,
                 void *arg, char *err, size_t errlen);

const char *db_pool_driver_name(const struct db_pool *pool);

/* Column values read back whatever type the back end reported. */
long long db_value_int(const struct db_value *v);
double db_value_real(const struct db_value *v);

#endif /* PYMON_SERVER_DB_H */
