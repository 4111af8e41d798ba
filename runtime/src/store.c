/*
** The .pymon SQLite store.  Many test processes append to one file at
** once (WAL, a busy timeout, BEGIN IMMEDIATE with retries); a fault is
** reported once and switches the store off, and SQLite's transactions make
** sure rows already stored are never damaged.  Existing tables are never
** altered: a pytest-monitor database is simply appended to.
**
** Rows arrive one at a time (pymon_store_item, one transaction each) or
** in batches imported from a journal (pymon_store_begin ... commit), where
** PYMON_JOURNALS records in the same transaction how far each journal has
** been imported, so no row is ever imported twice.
*/
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fds.h"
#include "schema.h"
#include "store.h"
#include "warn.h"

/* How long a write waits for other writers before it is a fault. */
#define BUSY_TIMEOUT_MS 5000

/* pymon's own table: how each stored item ended (docs/schema.md). */
static const char own_schema_sql[] =
  "CREATE TABLE IF NOT EXISTS PYMON_ITEM_OUTCOMES (\n"
  "    SESSION_H varchar(64),\n"
  "    ENV_H varchar(64),\n"
  "    ITEM_START_TIME varchar(64),\n"
  "    ITEM_PATH varchar(4096),\n"
  "    ITEM_VARIANT varchar(2048),\n"
  "    KIND varchar(64),\n"
  "    OUTCOME varchar(16),\n"
  "    DETAIL integer,\n"
  "    PID integer\n"
  ");\n"
  "CREATE TABLE IF NOT EXISTS PYMON_ITEM_LIMITS (\n"
  "    ITEM_PATH varchar(4096),\n"
  "    ITEM varchar(2048),\n"
  "    METRIC varchar(64),\n"
  "    \"LIMIT\" float\n"
  ");\n"
  "CREATE TABLE IF NOT EXISTS PYMON_JOURNALS (\n"
  "    JOURNAL varchar(128) primary key not null,\n"
  "    IMPORTED integer,\n"
  "    FINISHED integer\n"
  ");\n"
  "CREATE TABLE IF NOT EXISTS PYMON_COMMAND_ANSWERS (\n"
  "    COMMAND varchar(1024) primary key not null,\n"
  "    ANSWER varchar(256)\n"
  ");\n";

#define OWN_TABLES \
  "'PYMON_ITEM_OUTCOMES', 'PYMON_ITEM_LIMITS', 'PYMON_JOURNALS', 'PYMON_COMMAND_ANSWERS'"
#define TABLE_COUNT 7

enum statement {
  ST_BEGIN,
  ST_COMMIT,
  ST_ROLLBACK,
  ST_FIND_CONTEXT,
  ST_INSERT_CONTEXT,
  ST_FIND_SESSION,
  ST_INSERT_SESSION,
  ST_INSERT_OUTCOME,
  ST_ANY_LIMITS,
  ST_DELETE_LIMITS,
  ST_INSERT_LIMIT,
  ST_FIND_JOURNAL,
  ST_SET_JOURNAL,
  ST_FORGET_JOURNAL,
  ST_FIND_ANSWER,
  ST_KEEP_ANSWER,
  ST_FORGET_ANSWERS,
  ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
  [ST_BEGIN] = "BEGIN IMMEDIATE",
  [ST_COMMIT] = "COMMIT",
  [ST_ROLLBACK] = "ROLLBACK",
  [ST_FIND_CONTEXT] = "SELECT 1 FROM EXECUTION_CONTEXTS WHERE ENV_H = ?1",
  [ST_INSERT_CONTEXT] =
    "INSERT OR IGNORE INTO EXECUTION_CONTEXTS(ENV_H, CPU_COUNT, "
    "CPU_FREQUENCY_MHZ, CPU_TYPE, CPU_VENDOR, RAM_TOTAL_MB, MACHINE_NODE, "
    "MACHINE_TYPE, MACHINE_ARCH, SYSTEM_INFO, PYTHON_INFO) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  [ST_FIND_SESSION] = "SELECT 1 FROM TEST_SESSIONS WHERE SESSION_H = ?1",
  [ST_INSERT_SESSION] =
    "INSERT OR IGNORE INTO TEST_SESSIONS(SESSION_H, RUN_DATE, SCM_ID, "
    "RUN_DESCRIPTION) VALUES (?1, ?2, ?3, ?4)",
  [ST_INSERT_OUTCOME] =
    "INSERT INTO PYMON_ITEM_OUTCOMES(SESSION_H, ENV_H, ITEM_START_TIME, "
    "ITEM_PATH, ITEM_VARIANT, KIND, OUTCOME, DETAIL, PID) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  [ST_ANY_LIMITS] = "SELECT 1 FROM PYMON_ITEM_LIMITS LIMIT 1",
  [ST_DELETE_LIMITS] =
    "DELETE FROM PYMON_ITEM_LIMITS WHERE ITEM_PATH = ?1 AND ITEM = ?2",
  [ST_INSERT_LIMIT] =
    "INSERT INTO PYMON_ITEM_LIMITS(ITEM_PATH, ITEM, METRIC, \"LIMIT\") "
    "VALUES (?1, ?2, ?3, ?4)",
  [ST_FIND_JOURNAL] =
    "SELECT IMPORTED, FINISHED FROM PYMON_JOURNALS WHERE JOURNAL = ?1",
  [ST_SET_JOURNAL] =
    "INSERT INTO PYMON_JOURNALS(JOURNAL, IMPORTED, FINISHED) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(JOURNAL) DO UPDATE SET IMPORTED = excluded.IMPORTED, "
    "FINISHED = excluded.FINISHED",
  [ST_FORGET_JOURNAL] = "DELETE FROM PYMON_JOURNALS WHERE JOURNAL = ?1",
  [ST_FIND_ANSWER] = "SELECT ANSWER FROM PYMON_COMMAND_ANSWERS WHERE COMMAND = ?1",
  [ST_KEEP_ANSWER] =
    "INSERT OR REPLACE INTO PYMON_COMMAND_ANSWERS(COMMAND, ANSWER) VALUES (?1, ?2)",
  [ST_FORGET_ANSWERS] =
    "DELETE FROM PYMON_COMMAND_ANSWERS WHERE substr(COMMAND, 1, length(?1)) = ?1",
};

/*
** TEST_METRICS rows are inserted GROUP_ROWS at a time by one statement (a
** statement's own cost is a good part of a row's), from copies held here
** until the group is full or the batch ends.  SQLite keeps bindings across
** a reset, so the group statement rebinds only the texts that changed: rows
** of one test file mostly differ in their item, variant and start time.
*/
#define GROUP_ROWS 16
#define METRICS_TEXTS 9   /* SESSION_H .. COMPONENT */
#define METRICS_FIGURES 5 /* TOTAL_TIME .. MEM_USAGE */
#define METRICS_COLUMNS                                                        \
  "SESSION_H, ENV_H, ITEM_START_TIME, ITEM_PATH, ITEM, ITEM_VARIANT, "         \
  "ITEM_FS_LOC, KIND, COMPONENT, TOTAL_TIME, USER_TIME, KERNEL_TIME, "         \
  "CPU_USAGE, MEM_USAGE"

struct kept_text {
  char *text;
  size_t len, cap;
  int changed; /* since the group statement last had it bound */
};

struct pending_row {
  struct kept_text text[METRICS_TEXTS];
  double figure[METRICS_FIGURES];
};

struct pymon_store {
  sqlite3 *db;
  char *path;
  int off;          /* a fault happened: store nothing more */
  int shield_fsize; /* a file-size limit is set: keep SIGXFSZ from killing */
  pthread_mutex_t lock;
  sqlite3_stmt *stmt[ST_COUNT];
  int batch_failed; /* a statement of the open batch failed */
  sqlite3_stmt *insert_rows[GROUP_ROWS + 1]; /* by row count; made when needed */
  struct pending_row pending[GROUP_ROWS];
  unsigned pending_count;
  int limits_stored; /* PYMON_ITEM_LIMITS has rows: 1, 0, or -1 not known */
  int had_limits;    /* ... when the store was opened (1 if unknown) */
};

const char *const pymon_limit_metrics[PYMON_LIMIT_METRIC_COUNT] = {
  "TOTAL_TIME", "CPU_TIME", "MEM_USAGE", "CPU_USAGE"};

const char *pymon_outcome_name(enum pymon_outcome outcome) {
  switch (outcome) {
  case PYMON_OUTCOME_RETURNED: return "returned";
  case PYMON_OUTCOME_LONGJMP: return "longjmp";
  case PYMON_OUTCOME_EXIT: return "exit";
  case PYMON_OUTCOME_SIGNAL: return "signal";
  case PYMON_OUTCOME_KILLED: return "killed";
  case PYMON_OUTCOME_THREAD_EXIT: return "thread_exit";
  case PYMON_OUTCOME_SANDBOXED: return "sandboxed";
  case PYMON_OUTCOME_EXEC: return "exec";
  }
  return "unknown";
}

/*
** Past RLIMIT_FSIZE the kernel sends SIGXFSZ, which kills by default.  While
** we write, the signal is blocked (the write then fails with EFBIG, which
** SQLite reports as a full disk) and one raised by our write is discarded.
*/
struct fsize_shield {
  int active;
  int was_pending;
  sigset_t old_mask;
};

static void shield_up(const struct pymon_store *st, struct fsize_shield *sh) {
  sigset_t xfsz, pending;
  sh->active = 0;
  if (!st->shield_fsize) return;
  sigemptyset(&xfsz);
  sigaddset(&xfsz, SIGXFSZ);
  if (pthread_sigmask(SIG_BLOCK, &xfsz, &sh->old_mask) != 0) return;
  sh->active = 1;
  sh->was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGXFSZ);
}

static void shield_down(struct fsize_shield *sh) {
  sigset_t xfsz, pending;
  static const struct timespec no_wait = {0, 0};
  if (!sh->active) return;
  sigemptyset(&xfsz);
  sigaddset(&xfsz, SIGXFSZ);
  if (!sh->was_pending && !sigismember(&sh->old_mask, SIGXFSZ) &&
      sigpending(&pending) == 0 && sigismember(&pending, SIGXFSZ))
    sigtimedwait(&xfsz, NULL, &no_wait);
  pthread_sigmask(SIG_SETMASK, &sh->old_mask, NULL);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
** Step a statement that yields no row we need.  SQLite may report
** SQLITE_BUSY without consulting the busy handler (e.g. while another
** process recovers the WAL), so retry until the timeout has passed.
*/
static int step_retry(sqlite3_stmt *stmt) {
  double deadline = now_seconds() + BUSY_TIMEOUT_MS / 1000.0;
  for (;;) {
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW) rc = SQLITE_DONE;
    if ((rc & 0xff) != SQLITE_BUSY || now_seconds() > deadline) return rc;
    struct timespec pause = {0, 2 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
}

/* SQLite's message, plus the system's reason when it has one. */
static void describe_error(sqlite3 *db, int rc, char *out, size_t outlen) {
  int sys = db ? sqlite3_system_errno(db) : 0;
  const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (sys != 0)
    snprintf(out, outlen, "%s (%s)", msg, strerror(sys));
  else
    snprintf(out, outlen, "%s", msg);
}

/* The single warning of this process's store; it is off from now on. */
static int fault(struct pymon_store *st, const char *what) {
  char reason[512];
  describe_error(st->db, SQLITE_ERROR, reason, sizeof reason);
  pymon_warn("cannot store %s in '%s': %s; nothing more is stored there by "
             "this process", what, st->path, reason);
  if (!sqlite3_get_autocommit(st->db)) step_retry(st->stmt[ST_ROLLBACK]);
  st->off = 1;
  return -1;
}

static int exec_retry(sqlite3 *db, const char *sql) {
  double deadline = now_seconds() + BUSY_TIMEOUT_MS / 1000.0;
  for (;;) {
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if ((rc & 0xff) != SQLITE_BUSY || now_seconds() > deadline) return rc;
    struct timespec pause = {0, 2 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
}

/* Create missing tables only; a complete schema costs no write lock, so a
** database written by pytest-monitor is not touched at all. */
static int ensure_schema(sqlite3 *db) {
  static const char count_sql[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('TEST_SESSIONS', 'TEST_METRICS', 'EXECUTION_CONTEXTS', " OWN_TABLES ")";
  sqlite3_stmt *count;
  int rc = sqlite3_prepare_v2(db, count_sql, -1, &count, NULL);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(count);
  int tables = rc == SQLITE_ROW ? sqlite3_column_int(count, 0) : 0;
  sqlite3_finalize(count);
  if (rc != SQLITE_ROW) return rc;
  if (tables == TABLE_COUNT) return SQLITE_OK;

  if ((rc = exec_retry(db, "BEGIN IMMEDIATE")) != SQLITE_OK) return rc;
  rc = sqlite3_exec(db, pymon_schema_sql, NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, own_schema_sql, NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = exec_retry(db, "COMMIT");
  if (rc != SQLITE_OK) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* WAL lets readers and writers of many processes proceed together; keep
** whatever mode the file can have (a network file system may refuse). */
static int choose_journal(sqlite3 *db) {
  sqlite3_stmt *pragma;
  int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &pragma, NULL);
  if (rc != SQLITE_OK) return rc;
  double deadline = now_seconds() + BUSY_TIMEOUT_MS / 1000.0;
  while ((rc = sqlite3_step(pragma)) == SQLITE_BUSY && now_seconds() <= deadline)
    sqlite3_reset(pragma);
  int wal = rc == SQLITE_ROW &&
            sqlite3_stricmp((const char *)sqlite3_column_text(pragma, 0), "wal") == 0;
  sqlite3_finalize(pragma);
  if (rc != SQLITE_ROW) return rc;
  if (wal) return sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
  return SQLITE_OK;
}

/*
** SQLite's descriptors kept from the program (fds.h): a program that
** closed SQLite's number and opened a file of its own there would get
** SQLite's pages in it.  The unix VFS opens and closes its files through
** these two (xSetSystemCall), for every connection of the process.  A
** descriptor is moved up only when no other one of the process has its
** file open: moving closes the first number, and any close drops the
** process's POSIX locks on the file, another connection's too.
*/
#define OPEN_FILES 64
static sqlite3_syscall_ptr vfs_open, vfs_close;
static pthread_once_t keep_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t open_files_lock = PTHREAD_MUTEX_INITIALIZER;
static struct open_file {
  int fd; /* -1: free */
  dev_t dev;
  ino_t ino;
} open_files[OPEN_FILES];

static int open_kept(const char *path, int flags, int mode) {
  struct stat sb;
  int fd = ((int (*)(const char *, int, int))vfs_open)(path, flags, mode);
  if (fd < 0 || fstat(fd, &sb) != 0) return fd;
  pthread_mutex_lock(&open_files_lock);
  int shared = 0, slot = -1;
  for (int i = 0; i < OPEN_FILES; i++) {
    if (open_files[i].fd < 0) slot = slot < 0 ? i : slot;
    else shared |= open_files[i].dev == sb.st_dev && open_files[i].ino == sb.st_ino;
  }
  if (slot >= 0) { /* else untracked: never moved, so never a lock dropped */
    if (!shared) fd = pymon_fd_keep(fd);
    else pymon_fd_protect(fd);
    open_files[slot] = (struct open_file){fd, sb.st_dev, sb.st_ino};
  }
  pthread_mutex_unlock(&open_files_lock);
  return fd;
}

static int close_released(int fd) {
  pthread_mutex_lock(&open_files_lock);
  for (int i = 0; i < OPEN_FILES; i++)
    if (open_files[i].fd == fd) open_files[i].fd = -1;
  pthread_mutex_unlock(&open_files_lock);
  pymon_fd_release(fd);
  return ((int (*)(int))vfs_close)(fd);
}

static void keep_sqlite_fds(void) {
  sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
  for (int i = 0; i < OPEN_FILES; i++) open_files[i].fd = -1;
  if (!vfs || vfs->iVersion < 3 || !vfs->xSetSystemCall || !vfs->xGetSystemCall) return;
  vfs_open = vfs->xGetSystemCall(vfs, "open");
  vfs_close = vfs->xGetSystemCall(vfs, "close");
  if (!vfs_open || !vfs_close) return;
  vfs->xSetSystemCall(vfs, "open", (sqlite3_syscall_ptr)open_kept);
  vfs->xSetSystemCall(vfs, "close", (sqlite3_syscall_ptr)close_released);
}

static void free_store(struct pymon_store *st) {
  for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(st->stmt[i]);
  for (int n = 1; n <= GROUP_ROWS; n++) sqlite3_finalize(st->insert_rows[n]);
  for (int r = 0; r < GROUP_ROWS; r++)
    for (int i = 0; i < METRICS_TEXTS; i++) free(st->pending[r].text[i].text);
  sqlite3_close(st->db);
  pthread_mutex_destroy(&st->lock);
  free(st->path);
  free(st);
}

static void bind_text(sqlite3_stmt *stmt, int index, const char *text) {
  sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
}

/* Row found by a ST_FIND_* (key) or ST_ANY_* (NULL) statement?  1, 0, or
** -1 on error. */
static int row_exists(sqlite3_stmt *find, const char *key) {
  if (key) bind_text(find, 1, key);
  int rc = sqlite3_step(find);
  sqlite3_reset(find);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

struct pymon_store *pymon_store_open(const char *path, char *err,
                                     size_t errlen) {
  struct pymon_store *st = calloc(1, sizeof *st);
  struct rlimit fsize;
  struct fsize_shield sh;
  int rc;

  if (!st || !(st->path = strdup(path))) {
    free(st);
    snprintf(err, errlen, "cannot open database '%s': out of memory", path);
    return NULL;
  }
  pthread_once(&keep_once, keep_sqlite_fds);
  pthread_mutex_init(&st->lock, NULL);
  st->shield_fsize = getrlimit(RLIMIT_FSIZE, &fsize) == 0 &&
                     fsize.rlim_cur != RLIM_INFINITY;
  shield_up(st, &sh);
  rc = sqlite3_open_v2(path, &st->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                           SQLITE_OPEN_NOMUTEX, /* st->lock serialises */
                       NULL);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    if (sqlite3_db_readonly(st->db, "main") == 1) {
      snprintf(err, errlen, "cannot open database '%s': the file is read-only",
               path);
      free_store(st);
      shield_down(&sh);
      return NULL;
    }
    rc = choose_journal(st->db);
  }
  /* Appending rows needs few pages at hand; SQLite's default 2 MB cache
  ** grew into the test process's MEM_USAGE as the rows came in. */
  if (rc == SQLITE_OK) rc = sqlite3_exec(st->db, "PRAGMA cache_size=-256", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = ensure_schema(st->db);
  for (int i = 0; i < ST_COUNT && rc == SQLITE_OK; i++)
    rc = sqlite3_prepare_v3(st->db, statement_sql[i], -1,
                            SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL);
  if (rc == SQLITE_OK) /* errors: assume some */
    st->had_limits = row_exists(st->stmt[ST_ANY_LIMITS], NULL) != 0;
  if (rc != SQLITE_OK) {
    char reason[512];
    describe_error(st->db, rc, reason, sizeof reason);
    snprintf(err, errlen, "cannot open database '%s': %s", path, reason);
    free_store(st); /* closing may write too: still shielded */
    st = NULL;
  }
  shield_down(&sh);
  return st;
}

/* Run `insert` (bound already) in its own write transaction. */
static int write_one(struct pymon_store *st, sqlite3_stmt *insert) {
  struct fsize_shield sh;
  shield_up(st, &sh);
  int rc = step_retry(st->stmt[ST_BEGIN]);
  if (rc == SQLITE_DONE) rc = step_retry(insert);
  if (rc == SQLITE_DONE) rc = step_retry(st->stmt[ST_COMMIT]);
  shield_down(&sh);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Common entry of the insert functions: take the lock unless off. */
static int begin_call(struct pymon_store *st) {
  if (!st) return -1;
  pthread_mutex_lock(&st->lock);
  if (!st->off) return 0;
  pthread_mutex_unlock(&st->lock);
  return -1;
}

static int end_call(struct pymon_store *st, int rc, const char *what) {
  if (rc != 0) fault(st, what);
  pthread_mutex_unlock(&st->lock);
  return rc;
}

int pymon_store_context(struct pymon_store *st, const struct pymon_context *ctx) {
  if (begin_call(st) != 0) return -1;
  int rc = row_exists(st->stmt[ST_FIND_CONTEXT], ctx->env_h);
  if (rc == 0) {
    sqlite3_stmt *s = st->stmt[ST_INSERT_CONTEXT];
    bind_text(s, 1, ctx->env_h);
    sqlite3_bind_int(s, 2, ctx->cpu_count);
    sqlite3_bind_int(s, 3, ctx->cpu_frequency_mhz);
    bind_text(s, 4, ctx->cpu_type);
    bind_text(s, 5, ctx->cpu_vendor);
    sqlite3_bind_int(s, 6, ctx->ram_total_mb);
    bind_text(s, 7, ctx->machine_node);
    bind_text(s, 8, ctx->machine_type);
    bind_text(s, 9, ctx->machine_arch);
    bind_text(s, 10, ctx->system_info);
    bind_text(s, 11, ctx->runtime_info);
    rc = write_one(st, s);
  }
  return end_call(st, rc < 0 ? -1 : 0, "the execution context");
}

int pymon_store_answer(struct pymon_store *st, const char *command, char *out,
                       size_t outlen) {
  sqlite3_stmt *find = st->stmt[ST_FIND_ANSWER];
  if (begin_call(st) != 0) return -1;
  bind_text(find, 1, command);
  int rc = sqlite3_step(find);
  if (rc == SQLITE_ROW) {
    const unsigned char *answer = sqlite3_column_text(find, 0);
    snprintf(out, outlen, "%s", answer ? (const char *)answer : "");
  }
  sqlite3_reset(find);
  pthread_mutex_unlock(&st->lock); /* not finding it is no fault */
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int pymon_store_keep_answer(struct pymon_store *st, const char *command,
                            const char *answer) {
  sqlite3_stmt *keep = st->stmt[ST_KEEP_ANSWER];
  if (begin_call(st) != 0) return -1;
  bind_text(keep, 1, command);
  bind_text(keep, 2, answer);
  return end_call(st, write_one(st, keep), "a command's answer");
}

int pymon_store_forget_answers(struct pymon_store *st, const char *prefix) {
  sqlite3_stmt *forget = st->stmt[ST_FORGET_ANSWERS];
  if (begin_call(st) != 0) return -1;
  bind_text(forget, 1, prefix);
  return end_call(st, write_one(st, forget), "a command's answer");
}

int pymon_store_session(struct pymon_store *st,
                        const struct pymon_session *session) {
  if (begin_call(st) != 0) return -1;
  int rc = row_exists(st->stmt[ST_FIND_SESSION], session->session_h);
  if (rc == 0) {
    sqlite3_stmt *s = st->stmt[ST_INSERT_SESSION];
    bind_text(s, 1, session->session_h);
    bind_text(s, 2, session->run_date);
    bind_text(s, 3, session->scm_id);
    bind_text(s, 4, session->description_json ? session->description_json : "{}");
    rc = write_one(st, s);
  }
  return end_call(st, rc < 0 ? -1 : 0, "the session");
}

/* Bind and run the inserts of one item: its metrics row (unless left out)
** and its outcome row. */
/* Copy text into k unless it holds it already.  0, or -1 out of memory. */
static int keep_text(struct kept_text *k, const char *text) {
  size_t len = strlen(text);
  if (k->text && k->len == len && memcmp(k->text, text, len) == 0) return 0;
  if (len + 1 > k->cap) {
    char *grown = realloc(k->text, len + 1);
    if (!grown) return -1;
    k->text = grown;
    k->cap = len + 1;
  }
  memcpy(k->text, text, len + 1);
  k->len = len;
  k->changed = 1;
  return 0;
}

/* Queue m's TEST_METRICS row.  0, or -1 out of memory. */
static int pend_row(struct pymon_store *st, const struct pymon_metrics *m) {
  struct pending_row *row = &st->pending[st->pending_count];
  const char *texts[METRICS_TEXTS] = {
      m->session_h, m->env_h, m->item_start_time, m->item_path, m->item,
      m->item_variant, m->item_fs_loc, m->kind, m->component ? m->component : ""};
  for (int i = 0; i < METRICS_TEXTS; i++)
    if (keep_text(&row->text[i], texts[i]) != 0) return -1;
  row->figure[0] = m->total_time;
  row->figure[1] = m->user_time;
  row->figure[2] = m->kernel_time;
  row->figure[3] = m->cpu_usage;
  row->figure[4] = m->mem_usage;
  st->pending_count++;
  return 0;
}

/* The statement inserting n rows, prepared on first use. */
static sqlite3_stmt *rows_statement(struct pymon_store *st, unsigned n) {
  static const char head[] = "INSERT INTO TEST_METRICS(" METRICS_COLUMNS ") VALUES ";
  static const char row[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  char sql[sizeof head + GROUP_ROWS * sizeof row];
  if (st->insert_rows[n]) return st->insert_rows[n];
  size_t len = sizeof head - 1;
  memcpy(sql, head, len);
  for (unsigned r = 0; r < n; r++) {
    if (r) sql[len++] = ',';
    memcpy(sql + len, row, sizeof row - 1);
    len += sizeof row - 1;
  }
  sql[len] = '\0';
  if (sqlite3_prepare_v3(st->db, sql, (int)len, SQLITE_PREPARE_PERSISTENT,
                         &st->insert_rows[n], NULL) != SQLITE_OK)
    st->insert_rows[n] = NULL;
  return st->insert_rows[n];
}

/* Insert the queued rows.  SQLITE_DONE or SQLite's error. */
static int flush_rows(struct pymon_store *st) {
  unsigned n = st->pending_count;
  int full = n == GROUP_ROWS;
  if (n == 0) return SQLITE_DONE;
  st->pending_count = 0;
  sqlite3_stmt *s = rows_statement(st, n);
  if (!s) return sqlite3_errcode(st->db);
  int index = 1;
  for (unsigned r = 0; r < n; r++) {
    struct pending_row *row = &st->pending[r];
    for (int i = 0; i < METRICS_TEXTS; i++, index++) {
      struct kept_text *k = &row->text[i];
      if (full && !k->changed) continue;
      sqlite3_bind_text(s, index, k->text, (int)k->len, SQLITE_STATIC);
      if (full) k->changed = 0;
    }
    for (int i = 0; i < METRICS_FIGURES; i++, index++)
      sqlite3_bind_double(s, index, row->figure[i]);
  }
  int rc = step_retry(s);
  if (!full) sqlite3_clear_bindings(s); /* the kept texts may move */
  return rc;
}

/* Queue m's metrics row (unless with_metrics is 0) and store its outcome
** row; most items return, which is what no outcome row says. */
static int insert_item(struct pymon_store *st, const struct pymon_metrics *m,
                       long pid, int with_metrics) {
  sqlite3_stmt *o = st->stmt[ST_INSERT_OUTCOME];
  int rc = SQLITE_DONE;
  if (with_metrics) {
    if (pend_row(st, m) != 0) return SQLITE_NOMEM;
    if (st->pending_count == GROUP_ROWS) rc = flush_rows(st);
  }
  if (rc != SQLITE_DONE || m->outcome == PYMON_OUTCOME_RETURNED) return rc;
  bind_text(o, 1, m->session_h);
  bind_text(o, 2, m->env_h);
  bind_text(o, 3, m->item_start_time);
  bind_text(o, 4, m->item_path);
  bind_text(o, 5, m->item_variant);
  bind_text(o, 6, m->kind);
  bind_text(o, 7, pymon_outcome_name(m->outcome));
  sqlite3_bind_int(o, 8, m->outcome_detail);
  sqlite3_bind_int64(o, 9, (sqlite3_int64)pid);
  return step_retry(o);
}

int pymon_store_item(struct pymon_store *st, const struct pymon_metrics *m,
                     int with_metrics) {
  struct fsize_shield sh;
  if (begin_call(st) != 0) return -1;
  shield_up(st, &sh);
  int rc = step_retry(st->stmt[ST_BEGIN]);
  if (rc == SQLITE_DONE) rc = insert_item(st, m, (long)getpid(), with_metrics);
  if (rc == SQLITE_DONE) rc = flush_rows(st);
  st->pending_count = 0;
  if (rc == SQLITE_DONE) rc = step_retry(st->stmt[ST_COMMIT]);
  shield_down(&sh);
  return end_call(st, rc == SQLITE_DONE ? 0 : -1, "a test item");
}

/* ------------------------------------------------------------------ */
/* Batches: one write transaction for many rows.                       */

static struct fsize_shield batch_shield; /* one batch at a time: st->lock */

int pymon_store_begin(struct pymon_store *st, const char *what) {
  if (begin_call(st) != 0) return -1;
  shield_up(st, &batch_shield);
  st->batch_failed = 0;
  st->limits_stored = -1; /* other processes may have stored some since */
  if (step_retry(st->stmt[ST_BEGIN]) == SQLITE_DONE) return 0;
  shield_down(&batch_shield);
  return end_call(st, -1, what);
}

/* Inside a batch: remember the first failure, skip the rest. */
static int batch_step(struct pymon_store *st, int rc) {
  if (rc != SQLITE_DONE) st->batch_failed = 1;
  return rc == SQLITE_DONE ? 0 : -1;
}

int pymon_store_add(struct pymon_store *st, const struct pymon_metrics *m,
                    long pid, int with_metrics) {
  if (st->batch_failed) return -1;
  return batch_step(st, insert_item(st, m, pid, with_metrics));
}

int pymon_store_limits(struct pymon_store *st, const char *item_path,
                       const char *item, const struct pymon_limit *limits,
                       size_t count) {
  sqlite3_stmt *del = st->stmt[ST_DELETE_LIMITS];
  sqlite3_stmt *ins = st->stmt[ST_INSERT_LIMIT];
  if (st->batch_failed) return -1;
  /* Most suites have no limits: then no test has old ones to replace,
  ** and a DELETE per test would cost about as much as its row. */
  if (st->limits_stored < 0) {
    int rc = row_exists(st->stmt[ST_ANY_LIMITS], NULL);
    if (rc < 0) return batch_step(st, sqlite3_errcode(st->db));
    st->limits_stored = rc;
  }
  if (count == 0 && !st->limits_stored) return 0;
  st->limits_stored = 1;
  bind_text(del, 1, item_path);
  bind_text(del, 2, item);
  int rc = step_retry(del);
  for (size_t i = 0; i < count && rc == SQLITE_DONE; i++) {
    bind_text(ins, 1, item_path);
    bind_text(ins, 2, item);
    bind_text(ins, 3, limits[i].metric);
    sqlite3_bind_double(ins, 4, limits[i].value);
    rc = step_retry(ins);
  }
  return batch_step(st, rc);
}

int pymon_store_journal_get(struct pymon_store *st, const char *journal,
                            long long *imported, int *finished) {
  sqlite3_stmt *find = st->stmt[ST_FIND_JOURNAL];
  if (st->batch_failed) return -1;
  bind_text(find, 1, journal);
  int rc = sqlite3_step(find);
  if (rc == SQLITE_ROW) {
    *imported = sqlite3_column_int64(find, 0);
    *finished = sqlite3_column_int(find, 1);
  }
  sqlite3_reset(find);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return 0;
  st->batch_failed = 1;
  return -1;
}

int pymon_store_journal_set(struct pymon_store *st, const char *journal,
                            long long imported, int finished) {
  sqlite3_stmt *set = st->stmt[ST_SET_JOURNAL];
  if (st->batch_failed) return -1;
  bind_text(set, 1, journal);
  sqlite3_bind_int64(set, 2, imported);
  sqlite3_bind_int(set, 3, finished);
  return batch_step(st, step_retry(set));
}

int pymon_store_commit(struct pymon_store *st, const char *what) {
  if (!st->batch_failed) batch_step(st, flush_rows(st));
  st->pending_count = 0;
  int rc = st->batch_failed ? -1 : batch_step(st, step_retry(st->stmt[ST_COMMIT]));
  shield_down(&batch_shield);
  return end_call(st, rc, what);
}

int pymon_store_forget_journal(struct pymon_store *st, const char *journal) {
  struct fsize_shield sh;
  if (begin_call(st) != 0) return -1;
  shield_up(st, &sh);
  bind_text(st->stmt[ST_FORGET_JOURNAL], 1, journal);
  int rc = step_retry(st->stmt[ST_FORGET_JOURNAL]);
  shield_down(&sh);
  return end_call(st, rc == SQLITE_DONE ? 0 : -1, "the journal bookkeeping");
}

const char *pymon_store_file(const struct pymon_store *st) {
  const char *file = sqlite3_db_filename(st->db, "main");
  return file && *file ? file : st->path;
}

int pymon_store_had_limits(const struct pymon_store *st) { return st->had_limits; }

void pymon_store_keep_wal(struct pymon_store *st) {
  sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
}

void pymon_store_checkpoint_every(struct pymon_store *st, int pages) {
  sqlite3_wal_autocheckpoint(st->db, pages);
}

void pymon_store_checkpoint(struct pymon_store *st) {
  if (begin_call(st) != 0) return;
  sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  pthread_mutex_unlock(&st->lock); /* a checkpoint left for later is no fault */
}

void pymon_store_close(struct pymon_store *st) {
  struct fsize_shield sh;
  if (!st) return;
  shield_up(st, &sh); /* closing may checkpoint the WAL into the file */
  free_store(st);
  shield_down(&sh);
}

void pymon_store_abandon(struct pymon_store *st) {
  if (!st) return;
  sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  pthread_mutex_init(&st->lock, NULL); /* a parent thread may have held it */
  free_store(st);
}
