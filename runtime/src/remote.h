/*
** The remote-server client: pytest-monitor's HTTP protocol over libcurl.
** An unreachable or misbehaving server drops the remote for the rest of
** the run with one warning; local storage goes on.
*/
#ifndef PYMON_REMOTE_H
#define PYMON_REMOTE_H

#include <stddef.h>

#include "record.h"

struct pymon_remote;

/* address: "host:port" or a full http(s) URL; timeout in seconds. */
struct pymon_remote *pymon_remote_open(const char *address, double timeout,
                                       char *err, size_t errlen);
/* Look the context/session up and create it when unknown. 0 or -1. */
int pymon_remote_context(struct pymon_remote *r, const struct pymon_context *ctx);
int pymon_remote_session(struct pymon_remote *r,
                         const struct pymon_session *session);
int pymon_remote_metrics(struct pymon_remote *r, const struct pymon_metrics *m);
void pymon_remote_close(struct pymon_remote *r);

#endif /* PYMON_REMOTE_H */
