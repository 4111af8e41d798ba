/*
** Run-time configuration: the PYMON_* environment variables, each the
** counterpart of one pytest-monitor command-line option.  Parsing is strict:
** a bad value is reported naming the variable, the value and what is
** accepted, and the process exits with status 2 before any test runs.
*/
#ifndef PYMON_CONFIG_H
#define PYMON_CONFIG_H

#include <stddef.h>

/* Scope bits for restrict_scope. */
#define PYMON_SCOPE_FUNCTION 0x1u
#define PYMON_SCOPE_CLASS 0x2u
#define PYMON_SCOPE_MODULE 0x4u
#define PYMON_SCOPE_SESSION 0x8u

struct pymon_tag {
  char *key;
  char *value;
};

struct pymon_config {
  int no_monitor;              /* PYMON_NO_MONITOR */
  int no_db;                   /* PYMON_NO_DB */
  char *db_path;               /* PYMON_DB, NULL: <invocation dir>/.pymon */
  char *remote_server;         /* PYMON_REMOTE_SERVER, NULL when none */
  unsigned restrict_scope;     /* PYMON_RESTRICT_SCOPE_TO, PYMON_SCOPE_* */
  int parametrization_explicit; /* PYMON_PARAMETRIZATION_EXPLICIT */
  char *force_component;       /* PYMON_FORCE_COMPONENT */
  char *component_prefix;      /* PYMON_COMPONENT_PREFIX */
  char *description;           /* PYMON_DESCRIPTION */
  struct pymon_tag *tags;      /* PYMON_TAGS, in order given */
  size_t tag_count;
  char *invocation_dir;        /* PYMON_INVOCATION_DIR, NULL: detected */
  char *run_date;              /* PYMON_RUN_DATE, NULL: detected */
  char *scm_id;                /* PYMON_SCM_ID, NULL: detected */
  double remote_timeout;       /* PYMON_REMOTE_TIMEOUT seconds */
  int only_passed;             /* PYMON_ONLY_PASSED: abnormal ends get no
                                  TEST_METRICS row */
  int background_import;       /* PYMON_BACKGROUND_IMPORT (default on) */
};

/*
** Fill *cfg from the environment.  Returns 0, or -1 with a complete,
** user-facing message (naming the variable, the value and what is
** accepted) in err.
*/
int pymon_config_load(struct pymon_config *cfg, char *err, size_t errlen);
void pymon_config_free(struct pymon_config *cfg);

#endif /* PYMON_CONFIG_H */
