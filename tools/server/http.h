/*
** The HTTP side of pymon-server: libmicrohttpd with a pool of worker
** threads, request bodies bounded in size, the optional write token, and
** the hand-off of each complete request to the routes in api.c.
*/
#ifndef PYMON_SERVER_HTTP_H
#define PYMON_SERVER_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

#include "db.h"

struct http_config {
  struct sockaddr_storage addr; /* where to listen; port 0: any free port */
  socklen_t addr_len;
  const char *token; /* NULL: writes need no token */
  size_t max_body;   /* larger request bodies get 413 */
  unsigned threads;
  int verbose;       /* log every request to stderr */
};

struct http_server;

struct http_server *http_start(struct db_pool *pool,
                               const struct http_config *cfg, char *err,
                               size_t errlen);
/* The port actually bound (useful after asking for port 0). */
unsigned http_port(struct http_server *server);
void http_stop(struct http_server *server);

#endif /* PYMON_SERVER_HTTP_H */
