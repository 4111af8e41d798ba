/*
** pymon export: a session (or all of them) as CSV, one row per item with
** its session and outcome, or as JSON, sessions holding their metrics
** plus the execution contexts they ran in.  Values are written as SQLite
** holds them, so a pytest-monitor database exports unchanged.
*/
#include <jansson.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "db.h"

enum { O_SESSION = 1, O_FORMAT, O_OUTPUT };

static const struct cli_option export_options[] = {
    {"session", 1, O_SESSION}, {"format", 1, O_FORMAT},
    {"output", 1, O_OUTPUT}, PDB_SOURCE_OPTIONS, {NULL, 0, 0},
};

static const char export_help[] =
    "usage: pymon export --format csv|json [--db PATH|--server ADDR]\n"
    "                    [--session ID|all] [-o FILE]\n"
    "\n"
    "Write metrics as CSV (RFC 4180, one row per item) or JSON (sessions with\n"
    "their metrics and the execution contexts).\n"
    "\n"
    "  --format F       csv (default) or json\n"
    "  --session ID     SESSION_H, unique prefix, latest (default), previous, all\n"
    "  -o, --output F   output file (default: standard output)\n"
    PDB_SOURCE_HELP;

struct export_options {
  struct pdb_source src;
  const char *session, *output;
  int json;
};

static int export_option(void *ctx, int id, const char *value) {
  struct export_options *o = ctx;
  switch (id) {
  case O_SESSION: o->session = value; return 0;
  case O_OUTPUT: o->output = value; return 0;
  case O_FORMAT:
    o->json = strcmp(value, "json") == 0;
    if (!o->json && strcmp(value, "csv") != 0)
      return cli_error("bad --format '%s': expected csv or json", value);
    return 0;
  }
  return pdb_source_option(&o->src, id, value);
}

/* ?1 is a SESSION_H, or NULL for every session. */
static const char metrics_sql[] =
    "SELECT m.SESSION_H, s.RUN_DATE, s.SCM_ID, m.ENV_H, m.ITEM_START_TIME,"
    " m.ITEM_PATH, m.ITEM, m.ITEM_VARIANT, m.ITEM_FS_LOC, m.KIND, m.COMPONENT,"
    " m.TOTAL_TIME, m.USER_TIME, m.KERNEL_TIME, m.CPU_USAGE, m.MEM_USAGE,"
    " %s AS OUTCOME, %s AS OUTCOME_DETAIL"
    " FROM TEST_METRICS m LEFT JOIN TEST_SESSIONS s ON s.SESSION_H = m.SESSION_H"
    " WHERE ?1 IS NULL OR m.SESSION_H = ?1"
    " ORDER BY s.RUN_DATE, s.rowid, m.ITEM_START_TIME, m.rowid";

#define OUTCOME_MATCH                                                          \
  " FROM PYMON_ITEM_OUTCOMES o WHERE o.SESSION_H = m.SESSION_H AND o.ENV_H = " \
  "m.ENV_H AND o.ITEM_START_TIME = m.ITEM_START_TIME AND o.ITEM_PATH = "       \
  "m.ITEM_PATH AND o.ITEM_VARIANT = m.ITEM_VARIANT AND o.KIND = m.KIND LIMIT 1)"

static sqlite3_stmt *prepare(struct pdb *d, const char *sql,
                             const char *session_h) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK) {
    cli_error("'%s' has an unexpected schema: %s", d->path,
              sqlite3_errmsg(d->db));
    return NULL;
  }
  if (session_h)
    sqlite3_bind_text(st, 1, session_h, -1, SQLITE_STATIC);
  return st;
}

static sqlite3_stmt *prepare_metrics(struct pdb *d, const char *session_h) {
  struct strbuf sql = {0};
  if (d->has_outcomes)
    /* An item without an outcome row returned (docs/schema.md). */
    sb_appendf(&sql, metrics_sql, "coalesce((SELECT o.OUTCOME" OUTCOME_MATCH ", 'returned')",
               "coalesce((SELECT o.DETAIL" OUTCOME_MATCH ", 0)");
  else
    sb_appendf(&sql, metrics_sql, "NULL", "NULL");
  sqlite3_stmt *st = prepare(d, sql.buf, session_h);
  sb_free(&sql);
  return st;
}

static int finish(struct pdb *d, sqlite3_stmt *st, int rc) {
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return cli_error("cannot read '%s': %s", d->path, sqlite3_errmsg(d->db));
  return 0;
}

static int export_csv(struct pdb *d, const char *session_h, FILE *out) {
  sqlite3_stmt *st = prepare_metrics(d, session_h);
  if (!st)
    return CLI_EXIT_USAGE;
  int cols = sqlite3_column_count(st);
  for (int c = 0; c < cols; c++) {
    if (c)
      fputc(',', out);
    csv_field(out, sqlite3_column_name(st, c));
  }
  fputs("\r\n", out);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int c = 0; c < cols; c++) {
      if (c)
        fputc(',', out);
      /* Text as stored; reals at full precision so nothing is lost. */
      if (sqlite3_column_type(st, c) == SQLITE_FLOAT)
        fprintf(out, "%.17g", sqlite3_column_double(st, c));
      else
        csv_field(out, (const char *)sqlite3_column_text(st, c));
    }
    fputs("\r\n", out);
  }
  return finish(d, st, rc);
}

static json_t *column_json(sqlite3_stmt *st, int c) {
  switch (sqlite3_column_type(st, c)) {
  case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, c));
  case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, c));
  case SQLITE_NULL: return json_null();
  default: {
    const char *text = (const char *)sqlite3_column_text(st, c);
    json_t *s = json_stringn(text, (size_t)sqlite3_column_bytes(st, c));
    return s ? s : json_null(); /* not UTF-8 */
  }
  }
}

/* Every row of st as an object keyed by column name, appended to array. */
static int rows_json(struct pdb *d, sqlite3_stmt *st, json_t *array) {
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *obj = json_object();
    for (int c = 0; c < sqlite3_column_count(st); c++)
      json_object_set_new(obj, sqlite3_column_name(st, c), column_json(st, c));
    json_array_append_new(array, obj);
  }
  return finish(d, st, rc);
}

static json_t *session_json(struct pdb *d, const struct psession *s) {
  json_t *obj = json_object();
  json_object_set_new(obj, "SESSION_H", json_string(s->session_h));
  json_object_set_new(obj, "RUN_DATE", json_string(s->run_date));
  json_object_set_new(obj, "SCM_ID", json_string(s->scm_id));
  /* RUN_DESCRIPTION is JSON text; keep it as a string if it is not. */
  json_t *desc = json_loads(s->description, JSON_DECODE_ANY, NULL);
  if (!desc)
    desc = json_string(s->description);
  json_object_set_new(obj, "RUN_DESCRIPTION", desc ? desc : json_null());
  json_t *metrics = json_array();
  json_object_set_new(obj, "metrics", metrics);
  sqlite3_stmt *st = prepare_metrics(d, s->session_h);
  if (!st || rows_json(d, st, metrics)) {
    json_decref(obj);
    return NULL;
  }
  return obj;
}

static int export_json(struct pdb *d, size_t first, size_t last, FILE *out) {
  json_t *root = json_object(), *sessions = json_array(),
         *contexts = json_array();
  json_object_set_new(root, "database", json_string(d->path));
  json_object_set_new(root, "sessions", sessions);
  json_object_set_new(root, "contexts", contexts);
  int rc = 0;
  for (size_t i = first; i < last && rc == 0; i++) {
    json_t *s = session_json(d, &d->sessions[i]);
    if (s)
      json_array_append_new(sessions, s);
    else
      rc = CLI_EXIT_USAGE;
  }
  if (rc == 0) {
    const char *only = last - first == 1 ? d->sessions[first].session_h : NULL;
    sqlite3_stmt *st = prepare(
        d,
        "SELECT * FROM EXECUTION_CONTEXTS WHERE ENV_H IN (SELECT ENV_H FROM "
        "TEST_METRICS WHERE ?1 IS NULL OR SESSION_H = ?1) ORDER BY ENV_H",
        only);
    rc = !st || rows_json(d, st, contexts) ? CLI_EXIT_USAGE : 0;
  }
  if (rc == 0 && (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
                  fputc('\n', out) == EOF))
    rc = cli_error("error writing JSON");
  json_decref(root);
  return rc;
}

int cmd_export(int argc, char **argv) {
  struct export_options o = {PDB_SOURCE_INIT, "latest", NULL, 0};
  int rc = args_parse(argc, argv, export_options, export_help, export_option,
                      &o, NULL);
  if (rc)
    return ARGS_EXIT(rc);
  int all = strcmp(o.session, "all") == 0;
  struct pdb d;
  size_t first = 0, last;
  rc = pdb_open(&d, &o.src, all ? NULL : o.session, &first);
  last = all ? d.session_count : first + 1;
  FILE *out = rc == 0 ? cli_open_output(o.output) : NULL;
  if (rc == 0 && !out)
    rc = CLI_EXIT_USAGE;
  if (rc == 0) {
    const char *only = last - first == 1 ? d.sessions[first].session_h : NULL;
    if (o.json)
      rc = export_json(&d, first, last, out);
    else
      rc = export_csv(&d, last > first ? only : "", out);
    int close_rc = cli_close_output(out, o.output);
    if (rc == 0)
      rc = close_rc;
  }
  pdb_close(&d);
  return rc;
}
