/*
** libmicrohttpd glue.  A request's body is collected up to the size limit;
** past it, or without the right token, the body is read and thrown away
** and the refusal (413 / 401) sent once the client has finished sending,
** so the client always gets to read it.  A client announcing a too-large
** body with "Expect: 100-continue" is refused before it sends anything.
*/
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "http.h"

struct http_server {
  struct MHD_Daemon *daemon;
  struct db_pool *pool;
  struct http_config cfg;
};

/* Per-connection request state, from the first callback to completion. */
struct request {
  char *body;
  size_t len;
  size_t cap;
  unsigned refusal; /* 401 or 413 once decided; the body is discarded */
};

#define MAX_QUERY_ARGS 32

struct arg_list {
  struct api_arg args[MAX_QUERY_ARGS];
  size_t count;
  int overflow;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value) {
  struct arg_list *list = cls;
  (void)kind;
  if (list->count == MAX_QUERY_ARGS) {
    list->overflow = 1;
    return MHD_NO;
  }
  list->args[list->count].key = key;
  list->args[list->count].value = value;
  list->count++;
  return MHD_YES;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn,
                                  struct api_reply *reply) {
  struct MHD_Response *resp;
  if (reply->body && reply->status != 204) {
    char *text = json_dumps(reply->body, JSON_COMPACT);
    if (!text) return MHD_NO;
    size_t len = strlen(text);
    text[len] = '\n'; /* json_dumps' terminator: a newline is nicer for curl */
    resp = MHD_create_response_from_buffer(len + 1, text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
      free(text);
      return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/json");
  } else {
    resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
  }
  if (reply->allow) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, reply->allow);
  if (reply->status == 401) {
    MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  }
  enum MHD_Result rc = MHD_queue_response(conn, reply->status, resp);
  MHD_destroy_response(resp);
  json_decref(reply->body);
  reply->body = NULL;
  return rc;
}

/* Constant-time, so the token cannot be guessed byte by byte. */
static int token_matches(const char *header, const char *token) {
  static const char scheme[] = "Bearer ";
  if (!header || strncasecmp(header, scheme, sizeof scheme - 1) != 0) return 0;
  const char *given = header + sizeof scheme - 1;
  size_t glen = strlen(given), tlen = strlen(token);
  unsigned char diff = glen != tlen;
  for (size_t i = 0; i < tlen; i++) {
    diff |= (unsigned char)(token[i] ^ (i < glen ? given[i] : 0));
  }
  return diff == 0;
}

static void refusal_reply(const struct http_server *srv, unsigned status,
                          struct api_reply *reply) {
  memset(reply, 0, sizeof *reply);
  if (status == 401) {
    api_error(reply, 401, NULL, "writing needs 'Authorization: Bearer <token>' "
              "with the server's token");
  } else {
    api_error(reply, 413, NULL, "request body larger than %zu bytes",
              srv->cfg.max_body);
  }
}

/* Decide at the first callback whether this request will be refused. */
static unsigned early_refusal(const struct http_server *srv,
                              struct MHD_Connection *conn, const char *method) {
  if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) return 0;
  if (srv->cfg.token &&
      !token_matches(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_AUTHORIZATION),
                     srv->cfg.token)) {
    return 401;
  }
  const char *length = MHD_lookup_connection_value(
      conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (length && strtoull(length, NULL, 10) > srv->cfg.max_body) return 413;
  return 0;
}

static void append_body(const struct http_server *srv, struct request *req,
                        const char *data, size_t size) {
  if (req->refusal) return;
  if (size > srv->cfg.max_body - req->len) {
    req->refusal = 413;
    free(req->body);
    req->body = NULL;
    req->len = req->cap = 0;
    return;
  }
  if (req->len + size + 1 > req->cap) {
    size_t cap = req->cap ? req->cap : 1024;
    while (cap < req->len + size + 1) cap *= 2;
    char *grown = realloc(req->body, cap);
    if (!grown) {
      req->refusal = 413;
      return;
    }
    req->body = grown;
    req->cap = cap;
  }
  memcpy(req->body + req->len, data, size);
  req->len += size;
  req->body[req->len] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **state) {
  struct http_server *srv = cls;
  struct request *req = *state;
  struct api_reply reply;
  (void)version;
  if (!req) {
    req = calloc(1, sizeof *req);
    if (!req) return MHD_NO;
    *state = req;
    req->refusal = early_refusal(srv, conn, method);
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_EXPECT);
    if (req->refusal && expect && strcasecmp(expect, "100-continue") == 0) {
      refusal_reply(srv, req->refusal, &reply);
      return send_reply(conn, &reply);
    }
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    append_body(srv, req, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (req->refusal) {
    refusal_reply(srv, req->refusal, &reply);
  } else {
    struct arg_list args = {.count = 0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &args);
    struct api_request areq = {method, url, args.args, args.count, req->body,
                               req->len};
    if (args.overflow) {
      memset(&reply, 0, sizeof reply);
      api_error(&reply, 400, NULL, "more than %d query arguments",
                MAX_QUERY_ARGS);
    } else {
      api_handle(srv->pool, &areq, &reply);
    }
  }
  if (srv->cfg.verbose) {
    fprintf(stderr, "pymon-server: %s %s -> %u\n", method, url, reply.status);
  }
  return send_reply(conn, &reply);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code) {
  struct request *req = *state;
  (void)cls;
  (void)conn;
  (void)code;
  if (req) {
    free(req->body);
    free(req);
    *state = NULL;
  }
}

struct http_server *http_start(struct db_pool *pool,
                               const struct http_config *cfg, char *err,
                               size_t errlen) {
  struct http_server *srv = calloc(1, sizeof *srv);
  if (!srv) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  srv->pool = pool;
  srv->cfg = *cfg;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  if (cfg->addr.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  srv->daemon = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
      (const struct sockaddr *)&srv->cfg.addr, MHD_OPTION_THREAD_POOL_SIZE,
      cfg->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
  if (!srv->daemon) {
    snprintf(err, errlen, "cannot listen (address in use or not available?)");
    free(srv);
    return NULL;
  }
  return srv;
}

unsigned http_port(struct http_server *srv) {
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : 0;
}

void http_stop(struct http_server *srv) {
  if (!srv) return;
  MHD_stop_daemon(srv->daemon);
  free(srv);
}
