/*
** The three records pymon stores, shaped like pytest-monitor's tables:
** the execution context, the session and one metrics row per item.
** Every sink (SQLite store, remote server) consumes exactly these.
*/
#ifndef PYMON_RECORD_H
#define PYMON_RECORD_H

/* EXECUTION_CONTEXTS; text widths follow the column declarations. */
struct pymon_context {
  int cpu_count;
  int cpu_frequency_mhz;
  char cpu_type[64];
  char cpu_vendor[256];
  int ram_total_mb;
  char machine_node[512];
  char machine_type[32];
  char machine_arch[16];
  char system_info[256];
  char runtime_info[512]; /* stored in PYTHON_INFO */
  char env_h[33];
};

/* TEST_SESSIONS */
struct pymon_session {
  char session_h[33];
  char run_date[40];      /* UTC ISO 8601, fraction omitted when zero */
  char scm_id[129];
  char *description_json; /* RUN_DESCRIPTION, a JSON object; malloc'd */
};

/* How an item ended; kept in PYMON_ITEM_OUTCOMES. */
enum pymon_outcome {
  PYMON_OUTCOME_RETURNED = 0,
  PYMON_OUTCOME_LONGJMP,
  PYMON_OUTCOME_EXIT,
  PYMON_OUTCOME_SIGNAL,
  PYMON_OUTCOME_KILLED,
  PYMON_OUTCOME_THREAD_EXIT, /* its thread ended in it: pthread_exit, cancelled */
  PYMON_OUTCOME_SANDBOXED,   /* its process sandboxed itself (seccomp, Landlock) */
  PYMON_OUTCOME_EXEC         /* its process exec'd another program */
};

/* TEST_METRICS, one finished item. */
struct pymon_metrics {
  const char *session_h;
  const char *env_h;
  char item_start_time[40];
  const char *item_path;
  const char *item;
  const char *item_variant;
  const char *item_fs_loc;
  const char *kind;      /* "function", "class", "module", "session" */
  const char *component; /* never NULL */
  double total_time;     /* seconds */
  double user_time;
  double kernel_time;
  double cpu_usage;      /* percent, 100 = one core */
  double mem_usage;      /* MB (2^20 bytes) */
  enum pymon_outcome outcome;
  int outcome_detail;    /* exit status or signal number */
};

const char *pymon_outcome_name(enum pymon_outcome outcome);

#endif /* PYMON_RECORD_H */
