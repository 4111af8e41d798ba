/*
** The importer process: a helper that stores a test process's journaled
** rows in SQLite while the tests go on, so a suite of many short tests
** pays for measuring and journaling only, and the database work runs on
** another core.  It is the test program itself, exec'd from
** /proc/self/exe with PYMON_IMPORTER set, whose constructor serves
** instead of running main.  It is not the program's child (the program's
** wait(-1) and SIGCHLD handler never see it), and it ends when the test
** process closes its socket.  Any failure (no exec, a store fault, a
** crash) leaves the work to the test process itself.  docs/robustness.md.
*/
#ifndef PYMON_IMPORTER_H
#define PYMON_IMPORTER_H

#include "journal.h"

/* Start the importer for journal j of database db_path: 0, or -1 (the
** caller imports itself). */
int pymon_importer_start(const char *db_path, struct pymon_journal *j);

/* Is an importer running for this process? */
int pymon_importer_running(void);

/* Tell it that a range was handed over: 0, or -1 when it is gone. */
int pymon_importer_poke(void);

/* Has it stored a range yet (it is past its start)? */
int pymon_importer_ready(void);

/* Wait until it has stored the handed range: 0, or -1 when it is gone. */
int pymon_importer_wait(const struct pymon_journal *j);

/* At the end: it stores the range it has (we wait for that) and then
** checkpoints while we store the rest; stop waits until it has closed
** the database. */
void pymon_importer_finish(const struct pymon_journal *j);

/* Let it finish and reap it. */
void pymon_importer_stop(void);

/* Kill it (still starting, it would make us wait) and reap it; what it
** was handed comes back to this process. */
void pymon_importer_cancel(void);

/* In a forked child: the parent's importer is not ours. */
void pymon_importer_forget(void);

/* In a constructor, before anything else: when this process was started
** as an importer, serve and exit; otherwise return. */
void pymon_importer_serve_if_asked(void);

#endif /* PYMON_IMPORTER_H */
