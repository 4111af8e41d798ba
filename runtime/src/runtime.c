/*
** The runtime's life cycle (see runtime.h).  The configuration is read by
** a constructor so a bad PYMON_* value stops the program with status 2
** before any test runs; everything costly (git, /proc reads, opening the
** database) waits for the first monitored item.
**
** Rows go through the process's journal (journal.h) and reach the
** database in batches; without a journal (no database file, no room for
** one) each row is stored on its own, as soon as the item ends.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "importer.h"
#include "journal.h"
#include "measure.h"
#include "remote.h"
#include "runtime.h"
#include "runcmd.h"
#include "session.h"
#include "store.h"
#include "utc.h"
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
static char *db_path;                   /* the store's file, once known */
static struct pymon_journal *journal;
static int journal_tried;               /* in this process */
static int forked;                      /* children may have left journals */
static int prepared;                    /* session and context worked out */
static int context_settled;             /* ... CPU_TYPE, MACHINE_NODE too */
static int parent_holds_store;          /* a forked child whose parent does */
static int parent_stores_rows;          /* ... or will, at its next fork or exit */
static int importer_unwanted;           /* off, failed, or the process ends */

/* Starting the importer takes a few milliseconds (exec, loading, opening
** the database) that a process ending soon after would wait for: it
** starts when this many rows have come quickly (in under
** PYMON_JOURNAL_BATCH_SECONDS); until then they wait in the journal, and
** a process that ends first stores them once, at its end. */
#define IMPORTER_AFTER_ROWS (4 * PYMON_JOURNAL_BATCH_ROWS)

__attribute__((constructor)) static void pymon_runtime_load(void) {
  char err[1024];
  pymon_importer_serve_if_asked(); /* returns unless this is an importer */
  if (pymon_config_load(&config, err, sizeof err) != 0)
    pymon_usage_error("%s", err);
  if (config.no_monitor) return;
  importer_unwanted = !config.background_import;
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

void pymon_runtime_disable(void) {
  if (state != RUNTIME_FINISHED) state = RUNTIME_OFF;
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

static const char *store_path(void) {
  if (!db_path) db_path = config.db_path ? strdup(config.db_path) : default_db_path();
  return db_path;
}

/* The remote server's client, made once: 1, or 0 when there is none. */
static int connect_remote(void) {
  char err[1024];
  if (!remote && remote_wanted) {
    remote = pymon_remote_open(config.remote_server, config.remote_timeout, err, sizeof err);
    if (!remote) pymon_warn("%s", err);
  }
  if (!remote) remote_wanted = 0; /* dropped for the rest of the run */
  return remote != NULL;
}

static void drop_remote(void) {
  pymon_remote_close(remote); /* a failed call warned */
  remote = NULL;
  remote_wanted = 0;
}

/* This process's context and session go first, before its rows. */
static void open_remote(void) {
  if (connect_remote() && (pymon_remote_context(remote, &context) != 0 ||
                           pymon_remote_session(remote, &session.session) != 0))
    drop_remote();
}

/* A row, this process's or one that recovery made (its process sent the
** session and context). */
static void send_to_remote(const struct pymon_metrics *m) {
  if (connect_remote() && pymon_remote_metrics(remote, m) != 0) drop_remote();
}

/* Import the journals that ended processes left for this database; the
** rows of the items they never ended go to the remote server too. */
static void recover_journals(int keep_dir) {
  if (store && pymon_journal_dir_exists(db_path))
    pymon_journal_recover(db_path, store, keep_dir, send_to_remote);
}

/*
** Without clear_refs (a kernel without it, some sandboxes) MEM_USAGE is the
** process's peak so far.  Said once per host and kernel in a database, at
** the first process that opens it, not on every test process's stderr nor
** by programs that run no test.  st: NULL when there is no database.
*/
static int reset_warning_considered;

static void warn_without_reset(struct pymon_store *st) {
  char key[512], kept[64];
  struct utsname u;
  int why;
  if (reset_warning_considered) return;
  reset_warning_considered = 1;
  if (pymon_measure_resets(&why)) return;
  int keyed = st && uname(&u) == 0;
  if (keyed)
    snprintf(key, sizeof key, PYMON_ANSWER_NO_CLEAR_REFS "%s|%s", u.nodename, u.release);
  if (keyed && pymon_store_answer(st, key, kept, sizeof kept) == 1) return;
  pymon_warn("cannot reset the peak-memory mark (/proc/self/clear_refs: %s); "
             "MEM_USAGE will be the process peak so far", strerror(why));
  if (keyed) pymon_store_keep_answer(st, key, strerror(why));
}

static struct pymon_store *connect_store(const char *path) {
  char err[1024];
  struct pymon_store *st = pymon_store_open(path, err, sizeof err);
  /* A forked child's rows wait in its journal for the parent, which says
  ** what is wrong with the database if anything is: a child that dropped
  ** its privileges cannot write the parent's database, and is quiet. */
  if (!st) {
    if (!parent_stores_rows) pymon_warn("%s", err);
    return NULL;
  }
  /* The parent checkpoints when it closes, once for all its children. */
  if (parent_holds_store) pymon_store_keep_wal(st);
  warn_without_reset(st);
  return st;
}

/*
** CPU_TYPE is `uname -p`'s answer: a fork and exec that cost a test
** process 3 ms, for an answer that changes only with the uname binary.
** The database keeps it by the binary's identity and the host.
*/
static void settle_cpu_type(void) {
  char key[8192], kept[sizeof context.cpu_type];
  int keyed = store && pymon_context_cpu_type_key(key, sizeof key) == 0;
  int found = keyed && pymon_store_answer(store, key, kept, sizeof kept) == 1;
  /* Under valgrind the command's hidden child is a copy of this process
  ** with its own valgrind report, where SQLite's memory (reached by inner
  ** pointers only) would be "possibly lost": it runs with the database
  ** closed. */
  int reopen = !found && store && pymon_under_valgrind();
  if (reopen) {
    pymon_store_close(store);
    store = NULL;
  }
  pymon_context_set_cpu_type(&context, found ? kept : NULL);
  if (reopen) store = connect_store(db_path);
  if (keyed && !found && store) pymon_store_keep_answer(store, key, context.cpu_type);
}

/*
** MACHINE_NODE is socket.getfqdn(): name lookups that take a fraction of a
** millisecond when /etc/hosts answers, and the resolver's timeouts (10 s
** by default) when a DNS server that does not answer has to, as in a
** sandbox without network: in every test process, where pytest-monitor
** waits once per session.  The database keeps the answer by the host name
** and the resolver's files; one given after a failed lookup only for the
** hour, so that the name is looked up again once the resolver answers.
*/
#define FAILED_LOOKUP "|after a failed lookup, hour "

static void settle_machine_node(void) {
  /* The key of an answer after a failed lookup: key, FAILED_LOOKUP, hour. */
  char key[4096], failed_prefix[sizeof key + 64], failed[sizeof failed_prefix + 32];
  char kept[sizeof context.machine_node];
  int keyed = store && pymon_context_machine_node_key(key, sizeof key) == 0;
  if (keyed) {
    snprintf(failed_prefix, sizeof failed_prefix, "%s" FAILED_LOOKUP, key);
    snprintf(failed, sizeof failed, "%s%lld", failed_prefix, (long long)(time(NULL) / 3600));
    if (pymon_store_answer(store, key, kept, sizeof kept) == 1 ||
        pymon_store_answer(store, failed, kept, sizeof kept) == 1) {
      pymon_context_set_machine_node(&context, kept);
      return;
    }
  }
  int lookup_failed = pymon_context_set_machine_node(&context, NULL);
  /* Earlier hours' answers after failed lookups go, whatever this one is. */
  if (keyed && store && pymon_store_forget_answers(store, failed_prefix) == 0)
    pymon_store_keep_answer(store, lookup_failed ? failed : key, context.machine_node);
}

/* The context's fields that come from commands and lookups, once. */
static void settle_context(void) {
  if (context_settled) return;
  context_settled = 1;
  settle_cpu_type();
  settle_machine_node();
}

static void open_store(void) {
  const char *path = store_path();
  if (!path) return;
  if (!store) store = connect_store(path); /* else held since a fork */
  settle_context();
  if (store && (pymon_store_context(store, &context) != 0 ||
                pymon_store_session(store, &session.session) != 0)) {
    pymon_store_close(store);
    store = NULL;
  }
  if (!store) store_wanted = 0; /* warned once; never retried */
}

/* The database at a forked child's first row (not opened at its start:
** runtime_start), and what ended processes left there. */
static int need_store(void) {
  if (store_wanted && !store) {
    open_store();
    recover_journals(0);
  }
  return store != NULL;
}

static void drop_store(void) {
  pymon_store_close(store);
  store = NULL;
  store_wanted = 0;
}

/* The session and the machine's context, once per process and its forks. */
static int prepare(void) {
  char err[1024];
  if (prepared) return 1;
  if (pymon_session_init(&session, &config, err, sizeof err) != 0) {
    pymon_warn("%s; monitoring is disabled", err);
    state = RUNTIME_OFF;
    return 0;
  }
  pymon_context_collect(&context, NULL);
  /* Also for a runner that only forks: it sends what its children's
  ** journals tell of tests they never ended. */
  remote_wanted = config.remote_server != NULL;
  prepared = 1;
  return 1;
}

int pymon_runtime_start(const char *compiler) {
  if (state == RUNTIME_STARTED) return 1;
  if (state != RUNTIME_IDLE || !prepare()) return 0;
  pymon_context_set_runtime(&context, compiler);
  store_wanted = !config.no_db;
  /* A forked child whose parent holds the database leaves its rows to the
  ** parent (pymon_runtime_finish); it opens the database only if it has
  ** to store some itself. */
  int deferred = store_wanted && parent_stores_rows;
  if (store_wanted && !deferred) open_store();
  settle_context(); /* without a database */
  if (!store && !deferred) warn_without_reset(NULL);
  if (remote_wanted) open_remote();
  recover_journals(0); /* after open_remote: it gets the rows made here */
  if (!store && !remote && !deferred) {
    state = RUNTIME_OFF;
    return 0;
  }
  state = RUNTIME_STARTED;
  return 1;
}

/* This process's journal, made at its first item. */
static struct pymon_journal *the_journal(double now) {
  if (journal || journal_tried || !store_wanted || state != RUNTIME_STARTED)
    return journal;
  journal_tried = 1;
  if (store_path())
    journal = pymon_journal_create(db_path, session.session.session_h, &context,
                                   config.only_passed);
  /* Its parent stores a short child's rows (pymon_runtime_finish). */
  if (journal && parent_stores_rows) pymon_journal_no_import_before(journal, now);
  if (journal && !importer_unwanted) pymon_journal_batch_rows(journal, IMPORTER_AFTER_ROWS);
  return journal;
}

unsigned pymon_runtime_begin(const struct pymon_item_text *text,
                             const struct pymon_sample *start) {
  struct pymon_journal *j = the_journal(start->monotonic);
  if (!j) return 0;
  pymon_journal_heartbeat(j, start);
  return pymon_journal_begin(j, text, start);
}

void pymon_runtime_peak(unsigned handle, long peak_kb) {
  if (journal && handle) pymon_journal_peak(journal, handle, peak_kb);
}

void pymon_runtime_alive(const struct pymon_sample *now) {
  if (journal) pymon_journal_heartbeat(journal, now);
}

/* The importer process failed: its work comes back to this process. */
static int importer_gone(void) {
  pymon_importer_stop();
  importer_unwanted = 1;
  return 0;
}

/*
** Hand the waiting rows to the importer process, started once
** IMPORTER_AFTER_ROWS rows came quickly (a suite of many short tests;
** slower ones are imported here, their cost is small beside theirs).  1
** when it takes them.
*/
static int hand_to_importer(double now) {
  if (importer_unwanted && pymon_importer_running()) return 0; /* finishing */
  if (!pymon_importer_running()) {
    if (importer_unwanted || pymon_journal_waiting(journal) < IMPORTER_AFTER_ROWS) return 0;
    pymon_journal_batch_rows(journal, PYMON_JOURNAL_BATCH_ROWS); /* then a batch at a time */
    if (pymon_importer_start(pymon_store_file(store), journal) != 0) {
      importer_unwanted = 1;
      return 0;
    }
  }
  int busy = pymon_journal_hand_over(journal, now);
  if (busy && pymon_journal_nearly_full(journal)) {
    if (pymon_importer_wait(journal) != 0) return importer_gone();
    busy = pymon_journal_hand_over(journal, now);
  }
  if (!busy && pymon_importer_poke() != 0) return importer_gone();
  return 1;
}

/* At the end: the importer finishes the range it has (one still starting
** is stopped at once) and checkpoints while this process stores the rest;
** this process closes the database last. */
static void finish_importer(void) {
  importer_unwanted = 1;
  if (pymon_importer_ready())
    pymon_importer_finish(journal);
  else
    pymon_importer_cancel();
}

static void import_journal(double now) {
  if (!need_store()) return; /* the rows wait in the journal for a later process */
  if (hand_to_importer(now)) return;
  if (pymon_journal_import(journal, store, now) != 0) {
    drop_store();
    return;
  }
  if (forked) {
    forked = 0;
    recover_journals(1); /* its own journal's close removes the directory */
  }
}

int pymon_runtime_tick(double now) {
  if (!journal || !pymon_journal_due(journal, now)) return 0;
  import_journal(now);
  return 1;
}

/* ITEM_START_TIME, for the sinks that take the row as it is (the journal
** keeps the start itself and formats it at import). */
static void format_start(struct pymon_metrics *m, const struct timespec *start) {
  if (!m->item_start_time[0])
    pymon_format_utc(m->item_start_time, (long long)start->tv_sec,
                     start->tv_nsec / 1000);
}

void pymon_runtime_record(struct pymon_metrics *m, const struct timespec *start,
                          unsigned handle) {
  if (state != RUNTIME_STARTED) return;
  m->session_h = session.session.session_h;
  m->env_h = context.env_h;
  int with_metrics = !config.only_passed || m->outcome == PYMON_OUTCOME_RETURNED;
  if (remote_wanted && !remote) open_remote();
  if (remote && with_metrics) { /* the server has TEST_METRICS rows only */
    format_start(m, start);
    send_to_remote(m);
  }
  if (handle && journal && pymon_journal_end(journal, handle, m) == 0) return;
  if (!need_store()) return;
  format_start(m, start);
  if (pymon_store_item(store, m, with_metrics) != 0) drop_store();
}

void pymon_runtime_limits(const char *item_path, const char *item,
                          const struct pymon_limit *limits, size_t count) {
  /* No limits to store, and none stored when this process opened the
  ** database: nothing to replace (most suites have no limits at all). */
  if (count == 0 && store && !pymon_store_had_limits(store)) return;
  struct pymon_journal *j = the_journal(pymon_measure_monotonic());
  if (j && pymon_journal_limits(j, item_path, item, limits, count) == 0) return;
  if (!need_store()) return;
  if (pymon_store_begin(store, "test limits") != 0) {
    drop_store();
    return;
  }
  pymon_store_limits(store, item_path, item, limits, count);
  if (pymon_store_commit(store, "test limits") != 0) drop_store();
}

void pymon_runtime_finish(void) {
  if (journal && parent_stores_rows && !store) {
    /* A short forked child (a test per child, as Check runs them): the
    ** parent stores its rows at its next fork or its exit, and this child
    ** need not open the database at all. */
    pymon_journal_close(journal, NULL);
    journal = NULL;
  }
  if (journal) {
    finish_importer();
    import_journal(pymon_measure_monotonic());
    pymon_journal_close(journal, store);
    journal = NULL;
    pymon_importer_stop(); /* its connection closed: ours checkpoints last */
  }
  /* What ended processes left: forked children, copies made by clone()
  ** (which end without notice), tests killed beside us. */
  recover_journals(0);
  if (store) pymon_store_close(store);
  if (remote) pymon_remote_close(remote);
  store = NULL;
  remote = NULL;
  state = RUNTIME_FINISHED;
}

void pymon_runtime_after_fork_child(int parent_recovers) {
  /* The parent's SQLite connection and journal still belong to the parent:
  ** let go of them without touching the files.  The remote client sees the
  ** new process id itself and opens a connection of its own. */
  parent_holds_store = store != NULL;
  /* A runner that has monitored nothing itself recovers its children's
  ** journals at its next fork or exit, even before the database exists. */
  parent_stores_rows = parent_recovers && (parent_holds_store || (state == RUNTIME_IDLE && prepared));
  pymon_store_abandon(store);
  store = NULL;
  pymon_journal_abandon(journal);
  journal = NULL;
  pymon_importer_forget();
  journal_tried = 0;
  forked = 0;
}

/*
** A runner forking a child per test (Check) gets the session and context
** worked out once, for every child to inherit, and holds a connection to
** the database: while it is open, a child's connection finds the WAL index
** ready, and the children leave checkpointing (and its fsyncs) to it.
*/
void pymon_runtime_before_fork(void) {
  char err[1024];
  if (state != RUNTIME_IDLE || !prepare()) return;
  /* Only a database that exists, or that a child's journal asks for: a
  ** program that forks but runs no test must not leave one behind. */
  if (!store && !config.no_db && store_path() &&
      (access(db_path, F_OK) == 0 || pymon_journal_dir_exists(db_path))) {
    store = pymon_store_open(db_path, err, sizeof err); /* else the child says why */
    /* The children's rows name this session; their journals bring their
    ** contexts. */
    if (store && pymon_store_session(store, &session.session) != 0) {
      pymon_store_close(store);
      store = NULL;
    }
  }
  settle_context(); /* once, for every child */
  if (forked) recover_journals(1); /* what the children before left us */
}

void pymon_runtime_after_fork_parent(void) { forked = 1; }

void pymon_runtime_recover_children(void) {
  char err[1024];
  struct pymon_session_info info;
  static char no_scm[1] = "";
  struct pymon_config quick = config;
  if (state != RUNTIME_IDLE || !forked) return;
  state = RUNTIME_FINISHED;
  if (config.no_db) return;
  /* Only the database's path is needed: no SCM lookup. */
  quick.scm_id = no_scm;
  if (!config.db_path && !prepared) {
    if (pymon_session_init(&info, &quick, err, sizeof err) != 0) return;
    session.invocation_dir = info.invocation_dir;
    info.invocation_dir = NULL;
    pymon_session_free(&info);
  }
  if (!store) { /* else held since a fork */
    if (!store_path() || !pymon_journal_dir_exists(db_path)) return;
    store = pymon_store_open(db_path, err, sizeof err);
    if (!store) {
      pymon_warn("%s", err);
      return;
    }
    /* The children's rows name this runner's session (none if it was
    ** started without: then they are another process's journals). */
    if (prepared) pymon_store_session(store, &session.session);
  }
  recover_journals(0);
  pymon_store_close(store);
  store = NULL;
  pymon_remote_close(remote); /* made for recovered rows */
  remote = NULL;
}
