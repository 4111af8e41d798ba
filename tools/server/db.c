/*
** The connection pool shared by the HTTP worker threads, the schema, and
** conversions of column values whatever type a back end returns them in
** (SQLite gives typed values, PostgreSQL gives text).
*/
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "schema.h"

/* pytest-monitor's tables; EXECUTION_CONTEXTS first so that PostgreSQL can
** resolve TEST_METRICS' foreign keys.  Declared types match pytest-monitor. */
struct db_pool {
  const struct db_driver *driver;
  pthread_mutex_t lock;
  pthread_cond_t freed;
  int size;
  void **conns;
  int *busy;
};

void db_pool_close(struct db_pool *pool) {
  if (!pool) return;
  for (int i = 0; i < pool->size; i++) {
    if (pool->conns[i]) pool->driver->close(pool->conns[i]);
  }
  pthread_cond_destroy(&pool->freed);
  pthread_mutex_destroy(&pool->lock);
  free(pool->conns);
  free(pool->busy);
  free(pool);
}

struct db_pool *db_pool_open(const struct db_driver *driver, const char *target,
                             int size, char *err, size_t errlen) {
  struct db_pool *pool = calloc(1, sizeof *pool);
  if (!pool) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  pool->driver = driver;
  pool->size = size;
  pool->conns = calloc((size_t)size, sizeof *pool->conns);
  pool->busy = calloc((size_t)size, sizeof *pool->busy);
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->freed, NULL);
  if (!pool->conns || !pool->busy) {
    snprintf(err, errlen, "out of memory");
    db_pool_close(pool);
    return NULL;
  }
  /* The schema first, on one connection, before others see the tables. */
  for (int i = 0; i < size; i++) {
    pool->conns[i] = driver->open(target, err, errlen);
    if (!pool->conns[i] ||
        (i == 0 && driver->exec_script(pool->conns[0], pymon_schema_sql, err,
                                       errlen) != 0)) {
      db_pool_close(pool);
      return NULL;
    }
  }
  return pool;
}

static int pool_acquire(struct db_pool *pool) {
  pthread_mutex_lock(&pool->lock);
  for (;;) {
    for (int i = 0; i < pool->size; i++) {
      if (!pool->busy[i]) {
        pool->busy[i] = 1;
        pthread_mutex_unlock(&pool->lock);
        return i;
      }
    }
    pthread_cond_wait(&pool->freed, &pool->lock);
  }
}

static void pool_release(struct db_pool *pool, int slot) {
  pthread_mutex_lock(&pool->lock);
  pool->busy[slot] = 0;
  pthread_cond_signal(&pool->freed);
  pthread_mutex_unlock(&pool->lock);
}

int db_pool_exec(struct db_pool *pool, const char *sql,
                 const struct db_value *params, int nparams, db_row_fn fn,
                 void *arg, char *err, size_t errlen) {
  int slot = pool_acquire(pool);
  int rc = pool->driver->exec(pool->conns[slot], sql, params, nparams, fn, arg,
                              err, errlen);
  pool_release(pool, slot);
  return rc;
}

const char *db_pool_driver_name(const struct db_pool *pool) {
  return pool->driver->name;
}

long long db_value_int(const struct db_value *v) {
  switch (v->type) {
  case DB_INT: return v->integer;
  case DB_REAL: return llround(v->real);
  case DB_TEXT: return llround(strtod(v->text, NULL));
  default: return 0;
  }
}

double db_value_real(const struct db_value *v) {
  switch (v->type) {
  case DB_INT: return (double)v->integer;
  case DB_REAL: return v->real;
  case DB_TEXT: return strtod(v->text, NULL);
  default: return 0.0;
  }
}
