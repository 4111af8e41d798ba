/*
** Local storage: the .pymon SQLite database in pytest-monitor's schema,
** plus pymon's own PYMON_* tables.  Safe for many processes writing one
** file at once.  A storage fault is reported once on stderr and turns the
** store off; it never changes a test's outcome nor touches stored rows.
*/
#ifndef PYMON_STORE_H
#define PYMON_STORE_H

#include <stddef.h>

#include "record.h"

struct pymon_store;

/* The metrics a `monitor_limit:METRIC=VALUE` annotation may name. */
#define PYMON_LIMIT_METRIC_COUNT 4
extern const char *const pymon_limit_metrics[PYMON_LIMIT_METRIC_COUNT];

/* One per-test limit from such an annotation. */
struct pymon_limit {
  const char *metric; /* TOTAL_TIME, CPU_TIME, MEM_USAGE or CPU_USAGE */
  double value;
};

/*
** Open (creating if needed) the database at path and make sure the schema
** exists, appending to an existing pytest-monitor database untouched.
** Returns NULL with a message in err when the file cannot be used.
*/
struct pymon_store *pymon_store_open(const char *path, char *err,
                                     size_t errlen);

/* A command's answer kept by its key (PYMON_COMMAND_ANSWERS), into out:
** 1 found, 0 not, -1 on error.  keep_answer, and forget_answers (of every
** key that starts with prefix): 0, or -1 after the store's fault warning. */
int pymon_store_answer(struct pymon_store *st, const char *command, char *out,
                       size_t outlen);
int pymon_store_keep_answer(struct pymon_store *st, const char *command,
                            const char *answer);
int pymon_store_forget_answers(struct pymon_store *st, const char *prefix);

/* The key of the answer kept when /proc/self/clear_refs could not be
** written, HOST|RELEASE following it; the answer is why (pymon report
** tells of it). */
#define PYMON_ANSWER_NO_CLEAR_REFS "/proc/self/clear_refs|"

/* Insert the context / session unless already present. 0 or -1. */
int pymon_store_context(struct pymon_store *st, const struct pymon_context *ctx);
int pymon_store_session(struct pymon_store *st,
                        const struct pymon_session *session);

/* Store one finished item right away, in a transaction of its own: its
** outcome row, and its TEST_METRICS row unless with_metrics is 0. 0 or -1. */
int pymon_store_item(struct pymon_store *st, const struct pymon_metrics *m,
                     int with_metrics);

/*
** A batch: pymon_store_begin opens one write transaction (0, or -1 after
** the fault warning naming `what`); the calls below add to it and return
** 0 or -1 (the first failure makes the rest no-ops); pymon_store_commit
** ends it (0, or -1 after the fault warning naming `what`, everything
** rolled back).  Between begin and commit the store is held by the
** calling thread.
*/
int pymon_store_begin(struct pymon_store *st, const char *what);
int pymon_store_add(struct pymon_store *st, const struct pymon_metrics *m,
                    long pid, int with_metrics);
/* Replace the limits stored for one test by these (count may be 0). */
int pymon_store_limits(struct pymon_store *st, const char *item_path,
                       const char *item, const struct pymon_limit *limits,
                       size_t count);
/* Did PYMON_ITEM_LIMITS hold rows when the store was opened? */
int pymon_store_had_limits(const struct pymon_store *st);

/* How far a journal was imported (PYMON_JOURNALS): 1 found, 0 not, -1. */
int pymon_store_journal_get(struct pymon_store *st, const char *journal,
                            long long *imported, int *finished);
int pymon_store_journal_set(struct pymon_store *st, const char *journal,
                            long long imported, int finished);
int pymon_store_commit(struct pymon_store *st, const char *what);

/* Drop a finished journal's bookkeeping row once its file is gone. */
int pymon_store_forget_journal(struct pymon_store *st, const char *journal);

/* The database's absolute path (the path given, for one SQLite has none),
** which stays right when the program changes directory. */
const char *pymon_store_file(const struct pymon_store *st);

/* Do not checkpoint the WAL into the database at close, even as the last
** connection: for a forked test process whose parent holds a connection
** and checkpoints at its own close. */
void pymon_store_keep_wal(struct pymon_store *st);

/* Copy the WAL into the database file whenever a commit leaves it this
** many pages long (SQLite's default: 1000), so that the last connection's
** close has that much at most to copy. */
void pymon_store_checkpoint_every(struct pymon_store *st, int pages);

/* Copy what the WAL holds into the database file now, as far as readers
** allow (a passive checkpoint: it waits for no one). */
void pymon_store_checkpoint(struct pymon_store *st);

void pymon_store_close(struct pymon_store *st);

/* In a forked child: let go of the parent's connection without touching
** the database (no checkpoint, no lock), so a fresh one can be opened.
** A leaked connection would share SQLite's per-file lock records with the
** new one, which then believes it holds locks only the parent holds. */
void pymon_store_abandon(struct pymon_store *st);

#endif /* PYMON_STORE_H */
