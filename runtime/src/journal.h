/*
** The crash-safe journal: each test process notes the start and the end
** of every monitored item in a file of its own next to the database
** (`<db>.pymon-journal/<pid>-<start>-<nonce>`), and the finished rows go
** into SQLite in batches.  A process that dies leaves its journal; the
** next pymon process using the database (or the parent of a forked child)
** imports it, closing the items that never ended.  docs/robustness.md.
*/
#ifndef PYMON_JOURNAL_H
#define PYMON_JOURNAL_H

#include <stddef.h>

#include "measure.h"
#include "record.h"
#include "store.h"

/* Rows wait at most this many, and this long after the last import,
** checked at each probe. */
#define PYMON_JOURNAL_BATCH_ROWS 256
#define PYMON_JOURNAL_BATCH_SECONDS 0.2

struct pymon_journal;

/* The names of an item, as its TEST_METRICS row has them. */
struct pymon_item_text {
  const char *item_path;
  const char *item;
  const char *item_variant;
  const char *item_fs_loc;
  const char *kind;
  const char *component;
};

/*
** Make this process's journal for the database file db_path.  NULL when
** there can be none (no file, no room, a file-size limit below its size,
** an unwritable directory): rows are then stored one by one.  Quiet: the
** store reports the faults that matter.  only_passed (PYMON_ONLY_PASSED)
** goes with the journal: whoever imports it stores what this process would.
*/
struct pymon_journal *pymon_journal_create(const char *db_path,
                                           const char *session_h,
                                           const struct pymon_context *context,
                                           int only_passed);

/* An item starts: a handle for its end, or 0 when it could not be noted
** (its row is then stored directly at its end). */
unsigned pymon_journal_begin(struct pymon_journal *j,
                             const struct pymon_item_text *text,
                             const struct pymon_sample *start);

/* The item's peak so far, for when the process dies before its end. */
void pymon_journal_peak(struct pymon_journal *j, unsigned handle, long peak_kb);

/* The item ended with these metrics: 0, or -1 when there is no room
** (store the row directly; the item is no longer in the journal). */
int pymon_journal_end(struct pymon_journal *j, unsigned handle,
                      const struct pymon_metrics *m);

/* A test's limits, stored with the next batch: 0 or -1 (no room). */
int pymon_journal_limits(struct pymon_journal *j, const char *item_path,
                         const char *item, const struct pymon_limit *limits,
                         size_t count);

/* The process was alive at this sample (what a SIGKILL leaves us). */
void pymon_journal_heartbeat(struct pymon_journal *j,
                             const struct pymon_sample *now);

/* Should the waiting rows be imported now?  By count when batch_rows
** (PYMON_JOURNAL_BATCH_ROWS unless set) are waiting, by time, or when
** the region is half full. */
int pymon_journal_due(const struct pymon_journal *j, double now_monotonic);
void pymon_journal_batch_rows(struct pymon_journal *j, size_t rows);

/* Not due by time until PYMON_JOURNAL_BATCH_SECONDS after now (a full
** batch still is); else the first row is due at once. */
void pymon_journal_no_import_before(struct pymon_journal *j, double now_monotonic);

/* Import the waiting rows in one transaction.  0, or -1 after the store's
** fault warning (the rows stay in the journal for a later process). */
int pymon_journal_import(struct pymon_journal *j, struct pymon_store *st,
                         double now_monotonic);

/*
** Handing rows to an importer process (importer.h).  hand_over gives it
** the waiting rows and starts the other region: 0, or 1 while it still
** works on the last range (try again later; wait for it when the region
** is nearly full).
*/
int pymon_journal_hand_over(struct pymon_journal *j, double now_monotonic);
int pymon_journal_handed_done(const struct pymon_journal *j);
int pymon_journal_nearly_full(const struct pymon_journal *j);
size_t pymon_journal_waiting(const struct pymon_journal *j);
const char *pymon_journal_file(const struct pymon_journal *j);

/* Store the handed range unless done (by the importer process, or by the
** owner when that process is gone; PYMON_JOURNALS keeps it exactly-once),
** then mark it done.  0, or -1 after the store's fault warning. */
int pymon_journal_import_handed(struct pymon_journal *j, struct pymon_store *st);

/* The importer process's view of the journal file at path (as
** pymon_journal_file gives it); NULL if it is not there or not one of
** this version. */
struct pymon_journal *pymon_journal_attach(const char *path);
void pymon_journal_detach(struct pymon_journal *j);

/* At process end, after the last import: remove the file when all is
** imported into st (st may be NULL: then the file stays for recovery). */
void pymon_journal_close(struct pymon_journal *j, struct pymon_store *st);

/* In a forked child: forget the parent's journal without touching it. */
void pymon_journal_abandon(struct pymon_journal *j);

/*
** The process ends now, the items still open with it (outcome and detail
** as stored for them; EXIT and EXEC end scopes as returned).  Async-signal-safe:
** only notes it in the journal, for whoever imports it.
*/
void pymon_journal_note_end(enum pymon_outcome outcome, int detail,
                            const struct pymon_sample *now);

/* Take back a noted end of this outcome (an exec that failed: the process
** goes on).  Async-signal-safe. */
void pymon_journal_take_back_end(enum pymon_outcome outcome);

/* Told of each TEST_METRICS row that recovery made for an item its
** process never ended, once it is stored (a remote server gets these:
** the process sent its other rows itself, as they ended). */
typedef void pymon_journal_closed_fn(const struct pymon_metrics *m);

/* Import every journal of db_path whose process has ended, then remove
** the directory if it is empty, unless keep_dir (more will come: a parent
** that goes on forking).  closed may be NULL. */
void pymon_journal_recover(const char *db_path, struct pymon_store *st, int keep_dir,
                           pymon_journal_closed_fn *closed);

/* Is there a journal directory for db_path? */
int pymon_journal_dir_exists(const char *db_path);

#endif /* PYMON_JOURNAL_H */
