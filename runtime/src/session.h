/*
** The session: one test run, shared by every test process that a single
** `make check`, `ctest` or `pymon run` starts.  Decides the run date, the
** invocation directory, the SCM id and the RUN_DESCRIPTION JSON, and
** derives SESSION_H from them.
*/
#ifndef PYMON_SESSION_H
#define PYMON_SESSION_H

#include <stddef.h>

#include "config.h"
#include "record.h"

struct pymon_session_info {
  struct pymon_session session;
  char *invocation_dir; /* absolute; ITEM_FS_LOC is relative to it */
};

/*
** Work out the session for this process from cfg and, where cfg leaves them
** open, from the process tree (see docs/sessions.md).  Returns 0, or -1 with
** a message in err.
*/
int pymon_session_init(struct pymon_session_info *info,
                       const struct pymon_config *cfg, char *err,
                       size_t errlen);
void pymon_session_free(struct pymon_session_info *info);

#endif /* PYMON_SESSION_H */
