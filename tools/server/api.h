/*
** The server's routes (the manual's chapter 7, also under /api/v1 like the
** reference server), independent of the HTTP library: a request comes in
** as method, path, query arguments and body; a status and JSON go out.
*/
#ifndef PYMON_SERVER_API_H
#define PYMON_SERVER_API_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"

struct api_arg {
  const char *key;
  const char *value;
};

struct api_request {
  const char *method;
  const char *path; /* without the query string */
  const struct api_arg *args;
  size_t arg_count;
  const char *body;
  size_t body_len;
};

struct api_reply {
  unsigned status;
  json_t *body;      /* NULL: no body (204) */
  const char *allow; /* methods for a 405, else NULL */
};

/* Build the SQL text of every route once, before serving. */
void api_init(void);

void api_handle(struct db_pool *pool, const struct api_request *req,
                struct api_reply *reply);

/* A {"error": message} reply, for the HTTP layer's own refusals too. */
void api_error(struct api_reply *reply, unsigned status, const char *field,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif /* PYMON_SERVER_API_H */
