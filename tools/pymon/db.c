/*
** Reading a .pymon database.  The file is opened read-only and checked
** step by step so that each way it can be wrong (missing, not SQLite, not
** pytest-monitor's schema) gets its own clear message.  A database made by
** pytest-monitor itself has no PYMON_* tables; those are optional.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "args.h"
#include "cli.h"
#include "db.h"
#include "journal.h"
#include "store.h"

static const char *const required_tables[] = {"TEST_SESSIONS", "TEST_METRICS",
                                              "EXECUTION_CONTEXTS"};

static char *column_text(sqlite3_stmt *st, int col) {
  const unsigned char *t = sqlite3_column_text(st, col);
  return xstrdup(t ? (const char *)t : "");
}

/* 1 if the table exists, 0 if not, -1 on error (message printed). */
static int table_exists(struct pdb *d, const char *table) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(
      d->db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1", -1,
      &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
      return rc == SQLITE_ROW;
  }
  if (rc == SQLITE_NOTADB)
    cli_error("'%s' is not a SQLite database", d->path);
  else
    cli_error("cannot read '%s': %s", d->path, sqlite3_errmsg(d->db));
  return -1;
}

/* Run sql, with ?1 bound to param unless NULL, and hand each row to
** read.  what names the rows in messages ("sessions"). */
static int each_row(struct pdb *d, const char *sql, const char *param,
                    const char *what, void (*read)(sqlite3_stmt *, void *),
                    void *ctx) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
    return cli_error("'%s' has an unexpected schema (reading %s): %s", d->path,
                     what, sqlite3_errmsg(d->db));
  if (param)
    sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    read(st, ctx);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return cli_error("cannot read %s from '%s': %s", what, d->path,
                     sqlite3_errmsg(d->db));
  return 0;
}

static void read_session(sqlite3_stmt *st, void *ctx) {
  struct pdb *d = ctx;
  struct psession *s = XPUSH(d->sessions, d->session_count, d->session_cap);
  s->session_h = column_text(st, 0);
  s->run_date = column_text(st, 1);
  s->scm_id = column_text(st, 2);
  s->description = column_text(st, 3);
}

/*
** The rows that killed test processes left in their journals go into the
** database first, as the next monitored process would store them: a
** report right after a crashed run shows its tests, the one that was
** running as killed.  If they cannot be stored, the report goes on
** without them.
*/
static void store_ended_runs(const char *path) {
  char err[1024];
  if (!pymon_journal_dir_exists(path)) return;
  struct pymon_store *st = pymon_store_open(path, err, sizeof err);
  if (!st) {
    cli_warn("the rows of ended test processes wait in '%s.pymon-journal': %s", path, err);
    return;
  }
  pymon_journal_recover(path, st, 0, NULL); /* no remote server here */
  pymon_store_close(st);
}

static int open_file(struct pdb *d) {
  struct stat sb;
  if (stat(d->path, &sb) != 0)
    return cli_error("cannot open database '%s': %s%s", d->path,
                     strerror(errno),
                     errno == ENOENT ? " (run tests under pymon first, or "
                                       "name the file with --db)"
                                     : "");
  if (S_ISDIR(sb.st_mode))
    return cli_error("database '%s' is a directory, expected a .pymon file",
                     d->path);
  store_ended_runs(d->path);
  if (sqlite3_open_v2(d->path, &d->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return cli_error("cannot open database '%s': %s", d->path,
                     d->db ? sqlite3_errmsg(d->db) : "out of memory");
  /* Test processes may be writing right now. */
  sqlite3_busy_timeout(d->db, 5000);
  return 0;
}

/* Check the tables, note the optional ones, read the sessions. */
static int load(struct pdb *d) {
  for (size_t i = 0; i < sizeof required_tables / sizeof *required_tables;
       i++) {
    int found = table_exists(d, required_tables[i]);
    if (found < 0)
      return CLI_EXIT_USAGE;
    if (!found)
      return cli_error("'%s' is not a pytest-monitor or pymon database: it has "
                       "no %s table",
                       d->path, required_tables[i]);
  }
  if ((d->has_outcomes = table_exists(d, "PYMON_ITEM_OUTCOMES")) < 0 ||
      (d->has_limits = table_exists(d, "PYMON_ITEM_LIMITS")) < 0)
    return CLI_EXIT_USAGE;
  return each_row(d,
                  "SELECT SESSION_H, RUN_DATE, SCM_ID, RUN_DESCRIPTION"
                  " FROM TEST_SESSIONS ORDER BY RUN_DATE, rowid",
                  NULL, "sessions", read_session, d);
}

static int is_url(const char *s) {
  return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

int pdb_source_option(struct pdb_source *src, int id, const char *value) {
  switch (id) {
  case O_SOURCE_DB:
    if (!*value)
      return cli_error("bad --db '': expected a file path or a server URL");
    if (is_url(value))
      src->server = value;
    else
      src->path = value;
    break;
  case O_SOURCE_SERVER:
    src->server = value;
    break;
  case O_SOURCE_TIMEOUT:
    if (args_double("--timeout", value, 0.001, &src->timeout))
      return CLI_EXIT_USAGE;
    break;
  }
  if (src->path && src->server)
    return cli_error("give a database file (--db) or a server (--server), not "
                     "both");
  return 0;
}

int pdb_open(struct pdb *d, const struct pdb_source *src, const char *spec,
             size_t *index) {
  memset(d, 0, sizeof *d);
  int rc;
  if (src->server) {
    rc = pdb_fetch_server(src->server, src->timeout, &d->db, &d->path);
  } else {
    const char *path = src->path ? src->path : getenv("PYMON_DB");
    d->path = xstrdup(path && *path ? path : ".pymon");
    rc = open_file(d);
  }
  if (rc == 0)
    rc = load(d);
  if (rc == 0 && spec)
    rc = pdb_find_session(d, spec, index);
  return rc;
}

void pdb_close(struct pdb *d) {
  for (size_t i = 0; i < d->session_count; i++) {
    free(d->sessions[i].session_h);
    free(d->sessions[i].run_date);
    free(d->sessions[i].scm_id);
    free(d->sessions[i].description);
  }
  free(d->sessions);
  if (d->db)
    sqlite3_close(d->db);
  free(d->path);
  memset(d, 0, sizeof *d);
}

int pdb_find_session(const struct pdb *d, const char *spec, size_t *index) {
  size_t n = d->session_count;
  if (n == 0)
    return cli_error("no sessions in '%s' yet", d->path);
  if (strcmp(spec, "latest") == 0) {
    *index = n - 1;
    return 0;
  }
  if (strcmp(spec, "previous") == 0) {
    if (n < 2)
      return cli_error("'%s' holds only one session: there is no previous one",
                       d->path);
    *index = n - 2;
    return 0;
  }
  size_t len = strlen(spec), matches = 0, found = 0;
  if (len == 0)
    return cli_error("empty session id: expected a SESSION_H, a unique prefix "
                     "of one, 'latest' or 'previous'");
  for (size_t i = 0; i < n; i++) {
    const char *h = d->sessions[i].session_h;
    if (strcasecmp(h, spec) == 0) {
      *index = i;
      return 0;
    }
    if (strncasecmp(h, spec, len) == 0) {
      matches++;
      found = i;
    }
  }
  if (matches == 1) {
    *index = found;
    return 0;
  }
  if (matches > 1)
    return cli_error("session id '%s' is ambiguous: %zu sessions start with it;"
                     " give more characters",
                     spec, matches);
  return cli_error("unknown session '%s' in '%s': expected a SESSION_H, a "
                   "unique prefix of one, 'latest' or 'previous'",
                   spec, d->path);
}

/* Rows joined with their context and, when pymon recorded it, how the
** item ended. A subquery keeps one row per metric even if outcomes repeat. */
static const char row_select[] =
    "SELECT m.SESSION_H, s.RUN_DATE, m.ENV_H, m.ITEM_START_TIME, m.ITEM_PATH,"
    " m.ITEM, m.ITEM_VARIANT, m.ITEM_FS_LOC, m.KIND, m.COMPONENT,"
    " m.TOTAL_TIME, m.USER_TIME, m.KERNEL_TIME, m.CPU_USAGE, m.MEM_USAGE,"
    " coalesce(c.CPU_VENDOR || '|' || c.CPU_COUNT || '|' || c.MACHINE_TYPE, ''),"
    " %s"
    " FROM TEST_METRICS m"
    " LEFT JOIN TEST_SESSIONS s ON s.SESSION_H = m.SESSION_H"
    " LEFT JOIN EXECUTION_CONTEXTS c ON c.ENV_H = m.ENV_H"
    " WHERE %s ORDER BY s.RUN_DATE, s.rowid, m.ITEM_START_TIME, m.rowid";

/* An item without an outcome row returned (docs/schema.md). */
static const char outcome_subquery[] =
    "coalesce((SELECT o.OUTCOME FROM PYMON_ITEM_OUTCOMES o WHERE o.SESSION_H = "
    "m.SESSION_H AND o.ENV_H = m.ENV_H AND o.ITEM_START_TIME = "
    "m.ITEM_START_TIME AND o.ITEM_PATH = m.ITEM_PATH AND o.ITEM_VARIANT = "
    "m.ITEM_VARIANT AND o.KIND = m.KIND LIMIT 1), 'returned')";

/* Functions are "path::variant"; a module row (empty variant) names the
** module itself, "package.module". */
static char *join_name(const char *path, const char *variant,
                       const char *item) {
  struct strbuf sb = {0};
  if (*path) {
    sb_append(&sb, path);
    sb_append(&sb, *variant ? "::" : ".");
  }
  sb_append(&sb, *variant ? variant : item);
  return sb.buf;
}

static void read_row(sqlite3_stmt *st, struct prow *r) {
  r->session_h = column_text(st, 0);
  r->run_date = column_text(st, 1);
  r->env_h = column_text(st, 2);
  r->start_time = column_text(st, 3);
  r->item_path = column_text(st, 4);
  r->item = column_text(st, 5);
  r->variant = column_text(st, 6);
  r->fs_loc = column_text(st, 7);
  r->kind = column_text(st, 8);
  r->component = column_text(st, 9);
  r->total_time = sqlite3_column_double(st, 10);
  r->user_time = sqlite3_column_double(st, 11);
  r->kernel_time = sqlite3_column_double(st, 12);
  r->cpu_usage = sqlite3_column_double(st, 13);
  r->mem_usage = sqlite3_column_double(st, 14);
  r->ctx_class = column_text(st, 15);
  r->outcome = column_text(st, 16);
  r->name = join_name(r->item_path, r->variant, r->item);
}

static void read_row_into(sqlite3_stmt *st, void *ctx) {
  struct prows *rows = ctx;
  read_row(st, XPUSH(rows->v, rows->n, rows->cap));
}

static int load_rows(struct pdb *d, const char *where, const char *param,
                     struct prows *rows) {
  struct strbuf sql = {0};
  sb_appendf(&sql, row_select, d->has_outcomes ? outcome_subquery : "''",
             where);
  int rc = each_row(d, sql.buf, param, "metrics", read_row_into, rows);
  sb_free(&sql);
  return rc;
}

int pdb_session_rows(struct pdb *d, const char *session_h, struct prows *rows) {
  return load_rows(d, "m.SESSION_H = ?1", session_h, rows);
}

int pdb_test_rows(struct pdb *d, const char *name, struct prows *rows) {
  return load_rows(d,
                   "(m.ITEM_VARIANT = ?1 OR m.ITEM = ?1 OR"
                   " m.ITEM_PATH || '::' || m.ITEM_VARIANT = ?1 OR"
                   " m.ITEM_PATH || '::' || m.ITEM = ?1 OR m.ITEM_PATH || '.' || m.ITEM = ?1)",
                   name, rows);
}

void prows_free(struct prows *rows) {
  for (size_t i = 0; i < rows->n; i++) {
    struct prow *r = &rows->v[i];
    char **fields[] = {&r->session_h, &r->run_date,  &r->env_h,    &r->start_time,
                       &r->item_path, &r->item,      &r->variant,  &r->fs_loc,
                       &r->kind,      &r->component, &r->name,     &r->ctx_class,
                       &r->outcome};
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
      free(*fields[f]);
  }
  free(rows->v);
  memset(rows, 0, sizeof *rows);
}

struct limit_list {
  struct plimit *v;
  size_t n, cap;
};

static void read_limit(sqlite3_stmt *st, void *ctx) {
  struct limit_list *list = ctx;
  struct plimit *l = XPUSH(list->v, list->n, list->cap);
  l->item_path = column_text(st, 0);
  l->item = column_text(st, 1);
  l->metric = column_text(st, 2);
  l->limit = sqlite3_column_double(st, 3);
}

int pdb_limits(struct pdb *d, struct plimit **out, size_t *count) {
  struct limit_list list = {NULL, 0, 0};
  int rc = 0;
  if (d->has_limits)
    rc = each_row(d,
                  "SELECT ITEM_PATH, ITEM, METRIC, \"LIMIT\" FROM "
                  "PYMON_ITEM_LIMITS WHERE \"LIMIT\" IS NOT NULL",
                  NULL, "limits", read_limit, &list);
  *out = list.v;
  *count = list.n;
  return rc;
}

void pdb_free_limits(struct plimit *limits, size_t count) {
  for (size_t i = 0; i < count; i++) {
    free(limits[i].item_path);
    free(limits[i].item);
    free(limits[i].metric);
  }
  free(limits);
}
