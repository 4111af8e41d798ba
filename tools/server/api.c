/*
** Routes, input validation and JSON for the three resources.  Each
** resource is described once (JSON key, column, type, width); inserting,
** reading back, filtering and validating are all driven by that table,
** so the SQL and the checks cannot drift apart.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "resources.h"

#ifndef PYMON_VERSION
#define PYMON_VERSION "unknown"
#endif

#define MAX_FIELDS 16
#define SQL_SIZE 1024

struct resource;

/* A field that must name a stored row of another resource (foreign key). */
struct reference {
  int field;
  const struct resource *target;
};

struct resource {
  const struct wire_resource *wire;
  int key_field; /* index of the lookup key, -1: no single-item route */
  const char *order_by;
  const struct reference *refs;
  int ref_count;
  char insert_sql[SQL_SIZE];
  char select_sql[SQL_SIZE]; /* without WHERE / ORDER BY */
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct resource contexts = {&wire_contexts, 0, "ENV_H", NULL, 0, "", ""};
static struct resource sessions = {&wire_sessions, 0, "RUN_DATE, SESSION_H",
                                   NULL, 0, "", ""};
static const struct reference metric_refs[] = {{0, &sessions}, {1, &contexts}};
static struct resource metrics = {
    &wire_metrics, -1, "ITEM_START_TIME, ITEM_PATH, ITEM_VARIANT", metric_refs,
    COUNT(metric_refs), "", ""};
static struct resource *const resources[] = {&contexts, &sessions, &metrics};

/* Append to a fixed SQL buffer; the buffers are sized for these tables. */
static void sql_append(char *sql, const char *fmt, ...) {
  size_t used = strlen(sql);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql + used, SQL_SIZE - used, fmt, ap);
  va_end(ap);
}

static const char *sql_type(enum field_kind kind) {
  switch (kind) {
  case FIELD_INT: return "integer";
  case FIELD_NUMBER: return "double precision";
  default: return "varchar";
  }
}

static const char *key_column(const struct resource *res) {
  return res->wire->fields[res->key_field].column;
}

static void build_sql(struct resource *res) {
  res->insert_sql[0] = res->select_sql[0] = '\0';
  sql_append(res->insert_sql, "INSERT INTO %s (", res->wire->table);
  sql_append(res->select_sql, "SELECT ");
  for (int i = 0; i < res->wire->field_count; i++) {
    const char *sep = i ? ", " : "";
    sql_append(res->insert_sql, "%s%s", sep, res->wire->fields[i].column);
    sql_append(res->select_sql, "%s%s", sep, res->wire->fields[i].column);
  }
  if (res->ref_count == 0) {
    sql_append(res->insert_sql, ") VALUES (");
    for (int i = 0; i < res->wire->field_count; i++) {
      sql_append(res->insert_sql, "%s$%d", i ? ", " : "", i + 1);
    }
    /* Creating a known context or session again is not an error. */
    sql_append(res->insert_sql, ") ON CONFLICT DO NOTHING");
  } else {
    /* One statement stores the row only if what it refers to exists; the
    ** casts give PostgreSQL the parameter types a VALUES list would. */
    sql_append(res->insert_sql, ") SELECT ");
    for (int i = 0; i < res->wire->field_count; i++) {
      sql_append(res->insert_sql, "%sCAST($%d AS %s)", i ? ", " : "", i + 1,
                 sql_type(res->wire->fields[i].kind));
    }
    for (int i = 0; i < res->ref_count; i++) {
      const struct resource *t = res->refs[i].target;
      sql_append(res->insert_sql,
                 "%s EXISTS (SELECT 1 FROM %s WHERE %s = $%d)",
                 i ? " AND" : " WHERE", t->wire->table,
                 key_column(t), res->refs[i].field + 1);
    }
  }
  sql_append(res->select_sql, " FROM %s", res->wire->table);
}

void api_init(void) {
  for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++) {
    build_sql(resources[i]);
  }
}

void api_error(struct api_reply *reply, unsigned status, const char *field,
               const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  reply->status = status;
  reply->body = json_pack("{s:s}", "error", msg);
  if (reply->body && field) {
    json_object_set_new(reply->body, "field", json_string(field));
  }
}

static const char *json_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  default: return "null";
  }
}

/* Characters, not bytes: column widths count characters. */
static size_t utf8_length(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static int is_key_text(const char *s) {
  if (!*s) return 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-')) {
      return 0;
    }
  }
  return 1;
}

/* One validated row: parameter values plus the text we had to allocate. */
struct record {
  struct db_value values[MAX_FIELDS];
  char *owned[MAX_FIELDS];
  json_t *document; /* the parsed body; text values point into it */
};

static void record_free(struct record *rec) {
  for (int i = 0; i < MAX_FIELDS; i++) free(rec->owned[i]);
  json_decref(rec->document);
}

static const char *expected_name(enum field_kind kind) {
  switch (kind) {
  case FIELD_KEY: return "a non-empty identifier (letters, digits, '.', '_', '-')";
  case FIELD_INT: return "an integer";
  case FIELD_NUMBER: return "a number";
  case FIELD_OBJECT: return "a JSON object";
  default: return "a string";
  }
}

#define INT_FIELD_MAX 2147483647LL

/* Check and convert one field; 0, or -1 with a 400 reply naming it. */
static int validate_field(const struct field *f, json_t *v, int slot,
                          struct record *rec, struct api_reply *reply) {
  struct db_value *out = &rec->values[slot];
  if (!v || (json_is_null(v) && (f->flags & FIELD_NULLABLE))) {
    if (!v && !(f->flags & FIELD_OPTIONAL)) {
      api_error(reply, 400, f->key, "missing field '%s' (%s)", f->key,
                expected_name(f->kind));
      return -1;
    }
    out->type = DB_TEXT;
    out->text = "";
    return 0;
  }
  switch (f->kind) {
  case FIELD_TEXT:
  case FIELD_KEY:
    if (!json_is_string(v)) break;
    out->type = DB_TEXT;
    out->text = json_string_value(v);
    if (f->kind == FIELD_KEY && !is_key_text(out->text)) break;
    if (utf8_length(out->text) > f->width) {
      api_error(reply, 400, f->key,
                "field '%s' is longer than %u characters", f->key, f->width);
      return -1;
    }
    return 0;
  case FIELD_INT: {
    long long n;
    if (json_is_integer(v)) {
      n = json_integer_value(v);
    } else if (json_is_real(v) && (f->flags & FIELD_ROUND) &&
               json_real_value(v) > -1.0 &&
               json_real_value(v) < (double)INT_FIELD_MAX) {
      n = llround(json_real_value(v));
    } else {
      break;
    }
    if (n < 0 || n > INT_FIELD_MAX) {
      api_error(reply, 400, f->key, "field '%s' is out of range: %lld "
                "(expected 0 to %lld)", f->key, n, INT_FIELD_MAX);
      return -1;
    }
    out->type = DB_INT;
    out->integer = n;
    return 0;
  }
  case FIELD_NUMBER:
    if (!json_is_number(v)) break;
    out->type = DB_REAL;
    out->real = json_number_value(v);
    return 0;
  case FIELD_OBJECT:
    if (!json_is_object(v)) break;
    /* The text pytest-monitor (Python's json.dumps) and the runtime store. */
    rec->owned[slot] = json_dumps(v, FIELD_OBJECT_JSON_FLAGS);
    if (!rec->owned[slot]) {
      api_error(reply, 500, NULL, "out of memory");
      return -1;
    }
    out->type = DB_TEXT;
    out->text = rec->owned[slot];
    return 0;
  }
  api_error(reply, 400, f->key, "field '%s': expected %s, got %s", f->key,
            expected_name(f->kind), json_type_name(v));
  return -1;
}

static int validate(const struct resource *res, const struct api_request *req,
                    struct record *rec, struct api_reply *reply) {
  json_error_t jerr;
  json_t *body = json_loadb(req->body ? req->body : "", req->body_len,
                            JSON_REJECT_DUPLICATES, &jerr);
  if (!body) {
    api_error(reply, 400, NULL, "malformed JSON body: %s (line %d, column %d)",
              jerr.text, jerr.line, jerr.column);
    return -1;
  }
  if (!json_is_object(body)) {
    api_error(reply, 400, NULL, "the body must be a JSON object, got %s",
              json_type_name(body));
    json_decref(body);
    return -1;
  }
  rec->document = body;
  for (int i = 0; i < res->wire->field_count; i++) {
    json_t *v = json_object_get(body, res->wire->fields[i].key);
    if (validate_field(&res->wire->fields[i], v, i, rec, reply) != 0) return -1;
  }
  return 0;
}

static json_t *value_to_json(const struct field *f, const struct db_value *v) {
  if (v->type == DB_NULL) return json_null();
  switch (f->kind) {
  case FIELD_INT: return json_integer(db_value_int(v));
  case FIELD_NUMBER: return json_real(db_value_real(v));
  case FIELD_OBJECT:
    if (v->type == DB_TEXT) {
      json_t *obj = json_loads(v->text, 0, NULL);
      if (obj) return obj;
    }
    break; /* a plain-text description from an old database */
  default: break;
  }
  if (v->type == DB_TEXT) {
    json_t *s = json_string(v->text);
    return s ? s : json_null(); /* not UTF-8: nothing we can send */
  }
  char num[32];
  if (v->type == DB_INT) {
    snprintf(num, sizeof num, "%lld", v->integer);
  } else {
    snprintf(num, sizeof num, "%.17g", v->real);
  }
  return json_string(num);
}

static json_t *row_to_json(const struct resource *res,
                           const struct db_value *cols, int ncols) {
  json_t *obj = json_object();
  for (int i = 0; obj && i < res->wire->field_count && i < ncols; i++) {
    json_object_set_new(obj, res->wire->fields[i].key,
                        value_to_json(&res->wire->fields[i], &cols[i]));
  }
  return obj;
}

struct collector {
  const struct resource *res;
  json_t *list;
};

static int collect_row(void *arg, const struct db_value *cols, int ncols) {
  struct collector *c = arg;
  json_t *obj = row_to_json(c->res, cols, ncols);
  return obj ? json_array_append_new(c->list, obj) : -1;
}

static void storage_error(struct api_reply *reply, const char *what,
                          const char *err) {
  fprintf(stderr, "pymon-server: %s: %s\n", what, err);
  api_error(reply, 500, NULL, "storage error while %s", what);
}

/* The rows of res where columns[i] = params[i] for every filter, in the
** resource's order, as a JSON array; NULL with err on failure. */
static json_t *select_rows(struct db_pool *pool, const struct resource *res,
                           const struct db_value *params, const char **columns,
                           int nfilters, char *err, size_t errlen) {
  char sql[2 * SQL_SIZE];
  int n = snprintf(sql, sizeof sql, "%s", res->select_sql);
  for (int i = 0; i < nfilters; i++) {
    n += snprintf(sql + n, sizeof sql - (size_t)n, "%s%s = $%d",
                  i ? " AND " : " WHERE ", columns[i], i + 1);
  }
  snprintf(sql + n, sizeof sql - (size_t)n, " ORDER BY %s", res->order_by);
  struct collector c = {res, json_array()};
  if (!c.list) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (db_pool_exec(pool, sql, params, nfilters, collect_row, &c, err,
                   errlen) < 0) {
    json_decref(c.list);
    return NULL;
  }
  return c.list;
}

/* 200 {"<name>": [...]}, or 204 when nothing matches. */
static void query_list(struct db_pool *pool, const struct resource *res,
                       const struct db_value *params, const char **columns,
                       int nfilters, struct api_reply *reply) {
  char err[512];
  json_t *list = select_rows(pool, res, params, columns, nfilters, err,
                             sizeof err);
  if (!list) {
    storage_error(reply, "reading", err);
  } else if (json_array_size(list) == 0) {
    json_decref(list);
    reply->status = 204;
  } else {
    reply->status = 200;
    reply->body = json_pack("{s:o}", res->wire->name, list);
  }
}

/* Text fields filter lists: GET /metrics/?session_h=... */
static int is_filter(const struct field *f) {
  return f->kind == FIELD_TEXT || f->kind == FIELD_KEY;
}

static const struct field *find_filter(const struct resource *res,
                                       const char *key) {
  for (int i = 0; i < res->wire->field_count; i++) {
    const struct field *f = &res->wire->fields[i];
    if (is_filter(f) && strcmp(f->key, key) == 0) return f;
  }
  return NULL;
}

static void unknown_filter(const struct resource *res, const char *key,
                           struct api_reply *reply) {
  char known[512] = "";
  for (int i = 0; i < res->wire->field_count; i++) {
    const struct field *f = &res->wire->fields[i];
    if (!is_filter(f)) continue;
    size_t used = strlen(known);
    snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "",
             f->key);
  }
  api_error(reply, 400, key, "unknown filter '%s' for /%s/ (expected one of: %s)",
            key, res->wire->name, known);
}

/* GET /<name>/?field=value&...: every filter must match. */
static void list_resource(struct db_pool *pool, const struct resource *res,
                          const struct api_request *req,
                          struct api_reply *reply) {
  struct db_value params[MAX_FIELDS];
  const char *columns[MAX_FIELDS];
  int nfilters = 0;
  for (size_t a = 0; a < req->arg_count; a++) {
    const struct field *match = find_filter(res, req->args[a].key);
    if (!match || nfilters == MAX_FIELDS) {
      unknown_filter(res, req->args[a].key, reply);
      return;
    }
    params[nfilters].type = DB_TEXT;
    params[nfilters].text = req->args[a].value ? req->args[a].value : "";
    columns[nfilters++] = match->column;
  }
  query_list(pool, res, params, columns, nfilters, reply);
}

static void get_one(struct db_pool *pool, const struct resource *res,
                    const char *key, struct api_reply *reply) {
  struct db_value param = {DB_TEXT, key, 0, 0};
  const char *column = key_column(res);
  query_list(pool, res, &param, &column, 1, reply);
}

/* 1 when a row with this key exists, 0 when not, -1 on error. */
static int row_exists(struct db_pool *pool, const struct resource *res,
                      const char *key, char *err, size_t errlen) {
  struct db_value param = {DB_TEXT, key, 0, 0};
  const char *column = key_column(res);
  json_t *list = select_rows(pool, res, &param, &column, 1, err, errlen);
  if (!list) return -1;
  int found = json_array_size(list) > 0;
  json_decref(list);
  return found;
}

/* The row was not stored: say which reference names nothing. */
static void explain_references(struct db_pool *pool, const struct resource *res,
                               const struct record *rec,
                               struct api_reply *reply) {
  for (int i = 0; i < res->ref_count; i++) {
    const struct resource *target = res->refs[i].target;
    const char *key = rec->values[res->refs[i].field].text;
    char err[512];
    int found = row_exists(pool, target, key, err, sizeof err);
    if (found < 0) {
      storage_error(reply, "checking references", err);
      return;
    }
    if (!found) {
      const char *field = res->wire->fields[res->refs[i].field].key;
      api_error(reply, 400, field, "field '%s': unknown %s '%s' (POST /%s/ "
                "first)", field, target->wire->singular, key, target->wire->name);
      return;
    }
  }
  api_error(reply, 500, NULL, "the %s was not stored", res->wire->singular);
}

static void create_resource(struct db_pool *pool, const struct resource *res,
                            const struct api_request *req,
                            struct api_reply *reply) {
  struct record rec;
  memset(&rec, 0, sizeof rec);
  if (validate(res, req, &rec, reply) != 0) goto done;
  char err[512];
  int stored = db_pool_exec(pool, res->insert_sql, rec.values,
                            res->wire->field_count, NULL, NULL, err, sizeof err);
  if (stored < 0) {
    storage_error(reply, "storing", err);
    goto done;
  }
  if (stored == 0 && res->ref_count > 0) {
    explain_references(pool, res, &rec, reply);
    goto done;
  }
  reply->status = 201;
  reply->body = row_to_json(res, rec.values, res->wire->field_count);
done:
  record_free(&rec);
}

static void server_info(struct db_pool *pool, struct api_reply *reply) {
  reply->status = 200;
  reply->body = json_pack("{s:s, s:s, s:s, s:[s,s,s]}", "server",
                          "pymon-server", "version", PYMON_VERSION, "storage",
                          db_pool_driver_name(pool), "resources", "contexts",
                          "sessions", "metrics");
}

static void method_not_allowed(struct api_reply *reply, const char *method,
                               const char *allow) {
  api_error(reply, 405, NULL, "method %s is not allowed here (allowed: %s)",
            method, allow);
  reply->allow = allow;
}

void api_handle(struct db_pool *pool, const struct api_request *req,
                struct api_reply *reply) {
  memset(reply, 0, sizeof *reply);
  const char *path = req->path;
  const char *prefix = "/api/v1";
  size_t plen = strlen(prefix);
  if (strncmp(path, prefix, plen) == 0 &&
      (path[plen] == '/' || path[plen] == '\0')) {
    path += plen;
  }
  int is_get = strcmp(req->method, "GET") == 0 ||
               strcmp(req->method, "HEAD") == 0;
  int is_post = strcmp(req->method, "POST") == 0;
  if (path[0] == '\0' || strcmp(path, "/") == 0) {
    if (is_get) {
      server_info(pool, reply);
    } else {
      method_not_allowed(reply, req->method, "GET");
    }
    return;
  }
  /* /<name>[/[<key>[/]]] */
  const char *name = path + 1;
  const char *slash = strchr(name, '/');
  size_t name_len = slash ? (size_t)(slash - name) : strlen(name);
  const char *key = slash ? slash + 1 : "";
  size_t key_len = strlen(key);
  if (key_len > 0 && key[key_len - 1] == '/') key_len--;
  const struct resource *res = NULL;
  for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++) {
    if (strlen(resources[i]->wire->name) == name_len &&
        strncmp(resources[i]->wire->name, name, name_len) == 0) {
      res = resources[i];
    }
  }
  if (!res || memchr(key, '/', key_len) ||
      (key_len > 0 && res->key_field < 0)) {
    api_error(reply, 404, NULL, "no such route: %s", req->path);
    return;
  }
  if (key_len == 0) {
    if (is_get) {
      list_resource(pool, res, req, reply);
    } else if (is_post) {
      create_resource(pool, res, req, reply);
    } else {
      method_not_allowed(reply, req->method, "GET, POST");
    }
    return;
  }
  if (!is_get) {
    method_not_allowed(reply, req->method, "GET");
    return;
  }
  char *k = strndup(key, key_len);
  if (!k) {
    api_error(reply, 500, NULL, "out of memory");
    return;
  }
  get_one(pool, res, k, reply);
  free(k);
}
