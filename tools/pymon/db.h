/*
** Reading a .pymon database: opening and validating it (exists, is
** SQLite, holds pytest-monitor's tables), the sessions in run order,
** naming a session (full SESSION_H, unique prefix, latest, previous) and
** loading metric rows with their context and outcome.
*/
#ifndef PYMON_DB_H
#define PYMON_DB_H

#include <stddef.h>
#include <sqlite3.h>

struct psession {
  char *session_h;
  char *run_date;
  char *scm_id;
  char *description; /* RUN_DESCRIPTION text as stored */
};

struct pdb {
  sqlite3 *db;
  char *path;
  int has_outcomes; /* PYMON_ITEM_OUTCOMES exists */
  int has_limits;   /* PYMON_ITEM_LIMITS exists */
  struct psession *sessions; /* oldest first */
  size_t session_count;
};

/* One TEST_METRICS row; every string is non-NULL. */
struct prow {
  char *session_h, *run_date, *env_h, *start_time;
  char *item_path, *item, *variant, *fs_loc, *kind, *component;
  char *name;      /* "ITEM_PATH::ITEM_VARIANT", how pymon names a test */
  char *ctx_class; /* CPU_VENDOR|CPU_COUNT|MACHINE_TYPE, "" if unknown */
  char *outcome;   /* PYMON_ITEM_OUTCOMES.OUTCOME, "" if not recorded */
  double total_time, user_time, kernel_time, cpu_usage, mem_usage;
};

struct prows {
  struct prow *v;
  size_t n, cap;
};

/* Open read-only; path NULL means $PYMON_DB, else ./.pymon.  Returns 0,
** or CLI_EXIT_USAGE with a message naming the file and the problem. */
int pdb_open(struct pdb *d, const char *path);
void pdb_close(struct pdb *d);

/* Index of the session named by spec: a full SESSION_H or a unique
** prefix, "latest" or "previous".  0, or CLI_EXIT_USAGE with a message. */
int pdb_find_session(const struct pdb *d, const char *spec, size_t *index);

/* Append the rows of one session, in start order. 0 or CLI_EXIT_USAGE. */
int pdb_session_rows(struct pdb *d, const char *session_h, struct prows *rows);

/* Append every row of the test called name (ITEM_VARIANT, ITEM, or
** ITEM_PATH::ITEM_VARIANT) over all sessions, oldest first. */
int pdb_test_rows(struct pdb *d, const char *name, struct prows *rows);

void prows_free(struct prows *rows);

/* Per-test limits from the source annotations (PYMON_ITEM_LIMITS). */
struct plimit {
  char *item_path, *item, *metric;
  double limit;
};
int pdb_limits(struct pdb *d, struct plimit **out, size_t *count);
void pdb_free_limits(struct plimit *limits, size_t count);

/* How many characters of a SESSION_H are shown ("%.12s"). */
#define SHORT_HASH "%.12s"

#endif /* PYMON_DB_H */
