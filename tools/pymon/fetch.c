/*
** Reading a pymon-server: its sessions, contexts and each session's
** metrics (GET /sessions/, /contexts/, /metrics/?session_h=) fetched over
** libcurl into an in-memory SQLite database made from the runtime's own
** schema text, so every subcommand reads a server exactly as it reads a
** file.  The JSON keys map to columns through the server's own resource
** table (tools/server/resources.c).  Any failure is fatal: a report from
** half a server would mislead.
*/
#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "cli.h"
#include "db.h"
#include "resources.h"
#include "schema.h"

/* A whole server's history arrives in memory; this only stops a runaway. */
#define MAX_REPLY_BYTES (512u << 20)

struct fetch {
  CURL *curl;
  char *base; /* without a trailing '/' */
  double timeout;
  sqlite3 *db;
  struct strbuf reply;
  int too_big;
  char curl_error[CURL_ERROR_SIZE];
};

/* The same address rule as PYMON_REMOTE_SERVER (runtime/src/address.c). */
static char *base_url(const char *address) {
  char why[128];
  char *url = pymon_server_url(address, why, sizeof why);
  if (!url) cli_error("bad server '%s': %s", address, why);
  return url;
}

static size_t take_reply(char *data, size_t size, size_t count, void *arg) {
  struct fetch *f = arg;
  size_t n = size * count;
  if (f->reply.len + n > MAX_REPLY_BYTES) {
    f->too_big = 1;
    return 0; /* makes libcurl fail the transfer */
  }
  sb_appendn(&f->reply, data, n);
  return n;
}

static int fetch_start(struct fetch *f, const char *address, double timeout) {
  memset(f, 0, sizeof *f);
  f->timeout = timeout;
  if (!(f->base = base_url(address)))
    return CLI_EXIT_USAGE;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
      !(f->curl = curl_easy_init()))
    return cli_error("cannot start libcurl to read %s", f->base);
  long ms = (long)(timeout * 1000 + 0.5);
  curl_easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT_MS, ms);
  curl_easy_setopt(f->curl, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, take_reply);
  curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, f);
  curl_easy_setopt(f->curl, CURLOPT_ERRORBUFFER, f->curl_error);
  curl_easy_setopt(f->curl, CURLOPT_USERAGENT, "pymon/" PYMON_VERSION);
  if (sqlite3_open(":memory:", &f->db) != SQLITE_OK ||
      sqlite3_exec(f->db, pymon_schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return cli_error("cannot create the in-memory database for %s: %s",
                     f->base, f->db ? sqlite3_errmsg(f->db) : "out of memory");
  return 0;
}

static void fetch_end(struct fetch *f) {
  if (f->curl)
    curl_easy_cleanup(f->curl);
  sb_free(&f->reply);
  free(f->base);
  if (f->db)
    sqlite3_close(f->db);
}

/* "pymon <cmd>: cannot read server URL: GET /path: why". */
static int fetch_error(const struct fetch *f, const char *path,
                       const char *fmt, ...) CLI_PRINTF(3, 4);
static int fetch_error(const struct fetch *f, const char *path,
                       const char *fmt, ...) {
  struct strbuf why = {0};
  va_list ap;
  va_start(ap, fmt);
  sb_vappendf(&why, fmt, ap);
  va_end(ap);
  cli_error("cannot read server %s: GET %s: %s", f->base, path,
            why.buf ? why.buf : "");
  sb_free(&why);
  return CLI_EXIT_USAGE;
}

/* The server's own {"error": ...} text, when the body carries one. */
static const char *server_message(json_t *body) {
  const char *msg = json_string_value(json_object_get(body, "error"));
  return msg ? msg : "";
}

/* GET base+path; *list is the reply's array under key, or NULL for 204
** (nothing stored).  The caller owns *doc, which holds *list. */
static int get_list(struct fetch *f, const char *path, const char *key,
                    json_t **doc, json_t **list) {
  struct strbuf url = {0};
  sb_appendf(&url, "%s%s", f->base, path);
  curl_easy_setopt(f->curl, CURLOPT_URL, url.buf);
  sb_free(&url);
  f->reply.len = 0;
  f->too_big = 0;
  f->curl_error[0] = '\0';
  *doc = *list = NULL;

  CURLcode cc = curl_easy_perform(f->curl);
  if (f->too_big)
    return fetch_error(f, path, "the reply is larger than %u MiB",
                       MAX_REPLY_BYTES >> 20);
  if (cc == CURLE_OPERATION_TIMEDOUT)
    return fetch_error(f, path, "no answer within %g s (see --timeout): %s",
                       f->timeout, f->curl_error);
  if (cc != CURLE_OK)
    return fetch_error(f, path, "%s",
                       *f->curl_error ? f->curl_error : curl_easy_strerror(cc));
  long status = 0;
  curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status == 204)
    return 0;
  json_error_t jerr;
  *doc = json_loadb(f->reply.buf ? f->reply.buf : "", f->reply.len, 0, &jerr);
  if (status != 200) {
    const char *msg = server_message(*doc);
    return fetch_error(f, path, "answered HTTP %ld%s%s (expected 200 or 204)",
                       status, *msg ? ": " : "", msg);
  }
  if (!*doc)
    return fetch_error(f, path, "malformed reply, not JSON: %s (line %d)",
                       jerr.text, jerr.line);
  *list = json_object_get(*doc, key);
  if (!json_is_array(*list))
    return fetch_error(f, path,
                       "malformed reply: expected an object with a \"%s\" "
                       "list",
                       key);
  return 0;
}

/* Bind one JSON value the way pymon-server stored it. */
static int bind_value(sqlite3_stmt *st, int col, const struct field *fd,
                      json_t *v) {
  switch (json_typeof(v)) {
  case JSON_STRING:
    return sqlite3_bind_text(st, col, json_string_value(v), -1,
                             SQLITE_TRANSIENT);
  case JSON_INTEGER:
    return sqlite3_bind_int64(st, col, json_integer_value(v));
  case JSON_REAL:
    return sqlite3_bind_double(st, col, json_real_value(v));
  case JSON_NULL:
    return sqlite3_bind_null(st, col);
  case JSON_OBJECT:
    if (fd->kind == FIELD_OBJECT) {
      char *text = json_dumps(v, FIELD_OBJECT_JSON_FLAGS);
      if (!text)
        return SQLITE_NOMEM;
      return sqlite3_bind_text(st, col, text, -1, free);
    }
    break;
  default:
    break;
  }
  return SQLITE_MISMATCH;
}

static const char *expected_json(enum field_kind kind) {
  switch (kind) {
  case FIELD_KEY: return "a string";
  case FIELD_OBJECT: return "an object";
  default: return "text, a number or null";
  }
}

/* One row per object of list, into res's table. */
static int insert_list(struct fetch *f, const char *path,
                       const struct wire_resource *res, json_t *list) {
  struct strbuf sql = {0};
  sb_appendf(&sql, "INSERT INTO %s (", res->table);
  for (int i = 0; i < res->field_count; i++)
    sb_appendf(&sql, "%s%s", i ? ", " : "", res->fields[i].column);
  sb_append(&sql, ") VALUES (");
  for (int i = 0; i < res->field_count; i++)
    sb_append(&sql, i ? ", ?" : "?");
  sb_append(&sql, ")");
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(f->db, sql.buf, -1, &st, NULL);
  sb_free(&sql);
  if (rc != SQLITE_OK)
    return fetch_error(f, path, "cannot store it: %s", sqlite3_errmsg(f->db));

  size_t index;
  json_t *item;
  json_array_foreach(list, index, item) {
    if (!json_is_object(item)) {
      rc = fetch_error(f, path, "malformed reply: %s %zu is not an object",
                       res->singular, index + 1);
      break;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (int i = 0; i < res->field_count && rc == 0; i++) {
      const struct field *fd = &res->fields[i];
      json_t *v = json_object_get(item, fd->key);
      if (!v && fd->kind != FIELD_KEY)
        continue; /* stays NULL */
      if (!v || (fd->kind == FIELD_KEY && !json_is_string(v)) ||
          bind_value(st, i + 1, fd, v) != SQLITE_OK)
        rc = fetch_error(f, path,
                         "malformed reply: %s %zu has %s '%s' (expected %s)",
                         res->singular, index + 1, v ? "a bad" : "no", fd->key,
                         expected_json(fd->kind));
    }
    if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
      rc = fetch_error(f, path, "cannot store it: %s", sqlite3_errmsg(f->db));
    if (rc)
      break;
  }
  sqlite3_finalize(st);
  return rc ? CLI_EXIT_USAGE : 0;
}

/* GET one list and store it; *doc (the caller's to free) holds it. */
static int fetch_list(struct fetch *f, const char *path,
                      const struct wire_resource *res, json_t **doc) {
  json_t *list;
  int rc = get_list(f, path, res->name, doc, &list);
  if (rc == 0 && list)
    rc = insert_list(f, path, res, list);
  return rc;
}

static int fetch_metrics(struct fetch *f, json_t *sessions) {
  size_t index;
  json_t *s;
  int rc = 0;
  json_array_foreach(sessions, index, s) {
    const char *h = json_string_value(json_object_get(s, "session_h"));
    char *escaped = curl_easy_escape(f->curl, h, 0);
    if (!escaped)
      return cli_error("out of memory");
    struct strbuf path = {0};
    sb_appendf(&path, "/metrics/?session_h=%s", escaped);
    curl_free(escaped);
    json_t *doc;
    rc = fetch_list(f, path.buf, &wire_metrics, &doc);
    json_decref(doc);
    sb_free(&path);
    if (rc)
      break;
  }
  return rc;
}

int pdb_fetch_server(const char *address, double timeout, sqlite3 **db,
                     char **url) {
  struct fetch f;
  json_t *sessions = NULL, *contexts = NULL;
  int rc = fetch_start(&f, address, timeout);
  if (rc == 0)
    rc = fetch_list(&f, "/sessions/", &wire_sessions, &sessions);
  if (rc == 0)
    rc = fetch_list(&f, "/contexts/", &wire_contexts, &contexts);
  if (rc == 0)
    rc = fetch_metrics(&f, json_object_get(sessions, wire_sessions.name));
  if (rc == 0 && sqlite3_exec(f.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    rc = cli_error("cannot store what %s served: %s", f.base,
                   sqlite3_errmsg(f.db));
  json_decref(sessions);
  json_decref(contexts);
  *url = xstrdup(f.base ? f.base : address);
  if (rc == 0) {
    *db = f.db;
    f.db = NULL;
  }
  fetch_end(&f);
  return rc;
}
