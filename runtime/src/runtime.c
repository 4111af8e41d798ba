/*
** The runtime's life cycle (see runtime.h).  The configuration is read by
** a constructor so a bad PYMON_* value stops the program with status 2
** before any test runs; everything costly (git, /proc reads, opening the
** database) waits for the first monitored item.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "remote.h"
#include "runtime.h"
#include "session.h"
#include "store.h"
#include "warn.h"

enum runtime_state {
  RUNTIME_OFF,      /* PYMON_NO_MONITOR, or turned off by a fault */
  RUNTIME_IDLE,     /* configured, nothing monitored yet */
  RUNTIME_STARTED,  /* session and sinks ready */
  RUNTIME_FINISHED  /* process is exiting */
};

static enum runtime_state state = RUNTIME_OFF;
static struct pymon_config config;
static struct pymon_session_info session;
static struct pymon_context context;
static struct pymon_store *store;
static struct pymon_remote *remote;
static int store_wanted, remote_wanted; /* reopen these after fork */

__attribute__((constructor)) static void pymon_runtime_load(void) {
  char err[1024];
  if (pymon_config_load(&config, err, sizeof err) != 0)
    pymon_usage_error("%s", err);
  if (config.no_monitor) return;
  if (config.no_db && !config.remote_server) {
    pymon_warn("PYMON_NO_DB is set without PYMON_REMOTE_SERVER: nothing "
               "would be stored, monitoring is disabled");
    return;
  }
  state = RUNTIME_IDLE;
}

int pymon_runtime_enabled(void) {
  return state == RUNTIME_IDLE || state == RUNTIME_STARTED;
}

const struct pymon_config *pymon_runtime_config(void) { return &config; }

const char *pymon_runtime_invocation_dir(void) {
  return session.invocation_dir ? session.invocation_dir : ".";
}

static char *default_db_path(void) {
  const char *dir = pymon_runtime_invocation_dir();
  size_t n = strlen(dir) + sizeof "/.pymon";
  char *path = malloc(n);
  if (path) snprintf(path, n, "%s/.pymon", dir);
  return path;
}

static void open_store(void) {
  char err[1024];
  char *path = config.db_path ? config.db_path : default_db_path();
  if (!path) return;
  store = pymon_store_open(path, err, sizeof err);
  if (!store) pymon_warn("%s", err);
  else if (pymon_store_context(store, &context) != 0 ||
           pymon_store_session(store, &session.session) != 0) {
    pymon_store_close(store);
    store = NULL;
  }
  if (path != config.db_path) free(path);
  if (!store) store_wanted = 0; /* warned once; never retried */
}

static void open_remote(void) {
  char err[1024];
  remote = pymon_remote_open(config.remote_server, config.remote_timeout, err,
                             sizeof err);
  if (!remote) {
    pymon_warn("%s", err);
  } else if (pymon_remote_context(remote, &context) != 0 ||
             pymon_remote_session(remote, &session.session) != 0) {
    pymon_remote_close(remote);
    remote = NULL;
  }
  if (!remote) remote_wanted = 0; /* dropped for the rest of the run */
}

int pymon_runtime_start(const char *compiler) {
  char err[1024];
  if (state == RUNTIME_STARTED) return 1;
  if (state != RUNTIME_IDLE) return 0;
  if (pymon_session_init(&session, &config, err, sizeof err) != 0) {
    pymon_warn("%s; monitoring is disabled", err);
    state = RUNTIME_OFF;
    return 0;
  }
  pymon_context_collect(&context, compiler ? compiler : "");
  pymon_context_hash(&context);
  store_wanted = !config.no_db;
  remote_wanted = config.remote_server != NULL;
  if (store_wanted) open_store();
  if (remote_wanted) open_remote();
  if (!store && !remote) {
    state = RUNTIME_OFF;
    return 0;
  }
  state = RUNTIME_STARTED;
  return 1;
}

void pymon_runtime_record(struct pymon_metrics *m) {
  if (state != RUNTIME_STARTED) return;
  m->session_h = session.session.session_h;
  m->env_h = context.env_h;
  if (store_wanted && !store) open_store(); /* first row in a forked child */
  if (remote_wanted && !remote) open_remote();
  if (store && pymon_store_metrics(store, m) != 0) {
    pymon_store_close(store);
    store = NULL;
    store_wanted = 0;
  }
  if (remote && pymon_remote_metrics(remote, m) != 0) {
    pymon_remote_close(remote);
    remote = NULL;
    remote_wanted = 0;
  }
}

void pymon_runtime_finish(void) {
  if (store) pymon_store_close(store);
  if (remote) pymon_remote_close(remote);
  store = NULL;
  remote = NULL;
  state = RUNTIME_FINISHED;
}

void pymon_runtime_after_fork_child(void) {
  /* The parent's SQLite connection still belongs to the parent: let go of
  ** it without touching the files.  The remote client sees the new process
  ** id itself and opens a connection of its own. */
  pymon_store_abandon(store);
  store = NULL;
}
