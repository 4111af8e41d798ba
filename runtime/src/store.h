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

/*
** Open (creating if needed) the database at path and make sure the schema
** exists, appending to an existing pytest-monitor database untouched.
** Returns NULL with a message in err when the file cannot be used.
*/
struct pymon_store *pymon_store_open(const char *path, char *err,
                                     size_t errlen);

/* Insert the context / session unless already present. 0 or -1. */
int pymon_store_context(struct pymon_store *st, const struct pymon_context *ctx);
int pymon_store_session(struct pymon_store *st,
                        const struct pymon_session *session);

/* Store one finished item right away (with its outcome). 0 or -1. */
int pymon_store_metrics(struct pymon_store *st, const struct pymon_metrics *m);

void pymon_store_close(struct pymon_store *st);

/* In a forked child: let go of the parent's connection without touching
** the database (no checkpoint, no lock), so a fresh one can be opened.
** A leaked connection would share SQLite's per-file lock records with the
** new one, which then believes it holds locks only the parent holds. */
void pymon_store_abandon(struct pymon_store *st);

#endif /* PYMON_STORE_H */
