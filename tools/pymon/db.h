/*
** Reading a .pymon database, or a pymon-server loaded into memory in the
** same schema: opening and validating it (exists, is SQLite, holds
** pytest-monitor's tables), the options naming it, the sessions in run order,
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
  char *path; /* file, or the server's URL */
  int has_outcomes; /* PYMON_ITEM_OUTCOMES exists */
  int has_limits;   /* PYMON_ITEM_LIMITS exists */
  struct psession *sessions; /* oldest first */
  size_t session_count, session_cap;
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

/* Where a reading subcommand's data comes from: --db, --server, --timeout. */
struct pdb_source {
  const char *path;   /* NULL: $PYMON_DB, else ./.pymon */
  const char *server; /* a pymon-server's address instead, or NULL */
  double timeout;     /* seconds, for the server */
};
#define PDB_SOURCE_INIT {NULL, NULL, 10.0}

/* Option ids above every subcommand's own, for its option table. */
enum { O_SOURCE_DB = 100, O_SOURCE_SERVER, O_SOURCE_TIMEOUT };
#define PDB_SOURCE_OPTIONS                                                     \
  {"db", 1, O_SOURCE_DB}, {"server", 1, O_SOURCE_SERVER},                      \
      {"timeout", 1, O_SOURCE_TIMEOUT}
#define PDB_SOURCE_HELP                                                        \
  "\nwhere the data comes from:\n"                                             \
  "  --db PATH      database file (default $PYMON_DB, else .pymon); an\n"      \
  "                 http:// or https:// URL means --server URL\n"             \
  "  --server ADDR  a pymon-server instead: host:port or http(s)://host[:port]\n"\
  "                 [/prefix], as for PYMON_REMOTE_SERVER\n"                   \
  "  --timeout S    give up on the server after S seconds (default 10)\n"

/* Apply one of the options above (other ids are ignored): 0 or
** CLI_EXIT_USAGE with a message. */
int pdb_source_option(struct pdb_source *src, int id, const char *value);

/* Open the source read-only and, when spec is not NULL, find the session
** it names (see pdb_find_session) into *index.  Returns 0, or
** CLI_EXIT_USAGE with a message naming the file or server and the
** problem.  Close with pdb_close whatever it returned. */
int pdb_open(struct pdb *d, const struct pdb_source *src, const char *spec,
             size_t *index);
void pdb_close(struct pdb *d);

/* Load what the pymon-server at address serves into a new in-memory
** database in pytest-monitor's schema (fetch.c).  *url is the server's
** base URL for messages.  0, or CLI_EXIT_USAGE with a message. */
int pdb_fetch_server(const char *address, double timeout, sqlite3 **db,
                     char **url);

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
