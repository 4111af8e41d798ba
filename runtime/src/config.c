/*
** PYMON_* environment variables -> struct pymon_config.  Each variable has
** one parser in the table below; a bad value, two conflicting options or an
** unknown PYMON_ name (a typo) is a usage error whose message names the
** variable, the value and what is accepted.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "address.h"
#include "config.h"

extern char **environ;

typedef int (*parse_fn)(struct pymon_config *cfg, const char *name,
                        const char *value, char *err, size_t errlen);

struct variable {
  const char *name;
  parse_fn parse;
  const char *accepted; /* what the error message says is accepted */
};

static int bad_value(const struct variable *v, const char *value, char *err,
                     size_t errlen) {
  snprintf(err, errlen, "%s='%s': expected %s", v->name, value, v->accepted);
  return -1;
}

/* Empty means unset, as for an option not given. */
static int parse_bool(const char *value, int *out) {
  static const char *const yes[] = {"1", "true", "yes", "on"};
  static const char *const no[] = {"0", "false", "no", "off"};
  if (*value == '\0') return 0;
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    if (strcasecmp(value, yes[i]) == 0) return *out = 1, 0;
    if (strcasecmp(value, no[i]) == 0) return *out = 0, 0;
  }
  return -1;
}

static int set_no_monitor(struct pymon_config *cfg, const char *name,
                          const char *value, char *err, size_t errlen) {
  return parse_bool(value, &cfg->no_monitor);
}

static int set_no_db(struct pymon_config *cfg, const char *name,
                     const char *value, char *err, size_t errlen) {
  return parse_bool(value, &cfg->no_db);
}

static int set_only_passed(struct pymon_config *cfg, const char *name,
                           const char *value, char *err, size_t errlen) {
  return parse_bool(value, &cfg->only_passed);
}

static int set_background_import(struct pymon_config *cfg, const char *name,
                                 const char *value, char *err, size_t errlen) {
  return parse_bool(value, &cfg->background_import);
}

static int set_explicit(struct pymon_config *cfg, const char *name,
                        const char *value, char *err, size_t errlen) {
  return parse_bool(value, &cfg->parametrization_explicit);
}

/* Copy value into *slot; empty means unset.  -1 only when out of memory. */
static int set_text(char **slot, const char *value, char *err, size_t errlen) {
  if (*value == '\0') return 0;
  *slot = strdup(value);
  if (*slot) return 0;
  snprintf(err, errlen, "out of memory");
  return -2;
}

static int set_db(struct pymon_config *cfg, const char *name,
                  const char *value, char *err, size_t errlen) {
  return set_text(&cfg->db_path, value, err, errlen);
}

static int set_force_component(struct pymon_config *cfg, const char *name,
                               const char *value, char *err, size_t errlen) {
  return set_text(&cfg->force_component, value, err, errlen);
}

static int set_component_prefix(struct pymon_config *cfg, const char *name,
                                const char *value, char *err, size_t errlen) {
  return set_text(&cfg->component_prefix, value, err, errlen);
}

static int set_description(struct pymon_config *cfg, const char *name,
                           const char *value, char *err, size_t errlen) {
  return set_text(&cfg->description, value, err, errlen);
}

static int set_invocation_dir(struct pymon_config *cfg, const char *name,
                              const char *value, char *err, size_t errlen) {
  return set_text(&cfg->invocation_dir, value, err, errlen);
}

/* Set but empty is meaningful here: "no SCM", so detection is skipped. */
static int set_scm_id(struct pymon_config *cfg, const char *name,
                      const char *value, char *err, size_t errlen) {
  cfg->scm_id = strdup(value);
  if (cfg->scm_id) return 0;
  snprintf(err, errlen, "out of memory");
  return -2;
}

static int set_remote(struct pymon_config *cfg, const char *name,
                      const char *value, char *err, size_t errlen) {
  char why[128];
  if (*value == '\0') return 0;
  char *url = pymon_server_url(value, why, sizeof why);
  if (!url) return -1;
  free(url);
  return set_text(&cfg->remote_server, value, err, errlen);
}

static int set_scope(struct pymon_config *cfg, const char *name,
                     const char *value, char *err, size_t errlen) {
  static const struct { const char *word; unsigned bit; } scopes[] = {
    {"function", PYMON_SCOPE_FUNCTION}, {"module", PYMON_SCOPE_MODULE},
    {"class", PYMON_SCOPE_CLASS}, {"session", PYMON_SCOPE_SESSION}};
  unsigned bits = 0;
  const char *p = value;
  if (*value == '\0') return 0;
  for (;;) {
    size_t len = strcspn(p, ",");
    const char *s = p, *e = p + len;
    while (s < e && *s == ' ') s++;
    while (e > s && e[-1] == ' ') e--;
    size_t i, n = sizeof scopes / sizeof scopes[0];
    for (i = 0; i < n; i++)
      if ((size_t)(e - s) == strlen(scopes[i].word) &&
          strncmp(s, scopes[i].word, (size_t)(e - s)) == 0)
        break;
    if (i == n) return -1; /* unknown word or empty item */
    bits |= scopes[i].bit;
    if (p[len] == '\0') break;
    p += len + 1;
  }
  cfg->restrict_scope = bits;
  return 0;
}

static int add_tag(struct pymon_config *cfg, const char *name,
                   const char *value, const char *item, char *err,
                   size_t errlen) {
  const char *eq = strchr(item, '=');
  if (!eq || eq == item) {
    snprintf(err, errlen,
             "%s='%s': tag '%s' %s; expected comma-separated KEY=VALUE items "
             "(\\, for a comma inside one)",
             name, value, item, eq ? "has an empty key" : "has no '='");
    return -2;
  }
  struct pymon_tag *tags =
      realloc(cfg->tags, (cfg->tag_count + 1) * sizeof *tags);
  if (!tags) return snprintf(err, errlen, "out of memory"), -2;
  cfg->tags = tags;
  struct pymon_tag *t = &tags[cfg->tag_count];
  t->key = strndup(item, (size_t)(eq - item));
  t->value = strdup(eq + 1);
  if (!t->key || !t->value) {
    free(t->key);
    free(t->value);
    return snprintf(err, errlen, "out of memory"), -2;
  }
  cfg->tag_count++;
  return 0;
}

/* KEY=VALUE[,KEY=VALUE...]; "\," is a comma and "\\" a backslash. */
static int set_tags(struct pymon_config *cfg, const char *name,
                    const char *value, char *err, size_t errlen) {
  if (*value == '\0') return 0;
  char *item = malloc(strlen(value) + 1);
  if (!item) return snprintf(err, errlen, "out of memory"), -2;
  size_t len = 0;
  int rc = 0;
  for (const char *p = value;; p++) {
    if (*p == '\\' && (p[1] == ',' || p[1] == '\\')) {
      item[len++] = *++p;
    } else if (*p == ',' || *p == '\0') {
      item[len] = '\0';
      rc = add_tag(cfg, name, value, item, err, errlen);
      if (rc != 0 || *p == '\0') break;
      len = 0;
    } else {
      item[len++] = *p;
    }
  }
  free(item);
  return rc;
}

/* Exactly YYYY-MM-DDTHH:MM:SS[.ffffff], a real UTC time, fraction non-zero. */
static int set_run_date(struct pymon_config *cfg, const char *name,
                        const char *value, char *err, size_t errlen) {
  static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddd";
  size_t len = strlen(value);
  struct tm tm = {0}, back;
  if (len == 0) return 0;
  if (len != 19 && len != 26) return -1;
  for (size_t i = 0; i < len; i++) {
    int digit = value[i] >= '0' && value[i] <= '9';
    if (shape[i] == 'd' ? !digit : value[i] != shape[i]) return -1;
  }
  if (len == 26 && strcmp(value + 20, "000000") == 0) return -1;
  if (sscanf(value, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
             &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  back = tm;
  time_t t = timegm(&back);
  if (!gmtime_r(&t, &back) || back.tm_year != tm.tm_year ||
      back.tm_mon != tm.tm_mon || back.tm_mday != tm.tm_mday ||
      back.tm_hour != tm.tm_hour || back.tm_min != tm.tm_min ||
      back.tm_sec != tm.tm_sec)
    return -1;
  return set_text(&cfg->run_date, value, err, errlen);
}

static int set_timeout(struct pymon_config *cfg, const char *name,
                       const char *value, char *err, size_t errlen) {
  char *end;
  if (*value == '\0') return 0;
  errno = 0;
  double t = strtod(value, &end);
  if (end == value || *end != '\0' || errno != 0 || !isfinite(t) || t <= 0)
    return -1;
  cfg->remote_timeout = t;
  return 0;
}

/* Read by session.c; checked here so a bad list is a usage error too. */
static int check_runners(struct pymon_config *cfg, const char *name,
                         const char *value, char *err, size_t errlen) {
  const char *p = value;
  if (*value == '\0') return 0;
  for (;;) {
    size_t len = strcspn(p, ",");
    if (len == 0 || len > 15) return -1; /* comm names are at most 15 bytes */
    if (p[len] == '\0') return 0;
    p += len + 1;
  }
}

/* PYMON_REMOTE_TOKEN is read by remote.c when it connects: any text. */
static int accept_token(struct pymon_config *cfg, const char *name,
                        const char *value, char *err, size_t errlen) {
  return 0;
}

static const char bool_words[] =
    "one of 1, 0, true, false, yes, no, on, off (any case), or empty";

static const struct variable variables[] = {
  {"PYMON_NO_MONITOR", set_no_monitor, bool_words},
  {"PYMON_NO_DB", set_no_db, bool_words},
  {"PYMON_DB", set_db, "a file path"},
  {"PYMON_REMOTE_SERVER", set_remote,
   "host:port (port 1-65535) or an http:// or https:// URL"},
  {"PYMON_RESTRICT_SCOPE_TO", set_scope,
   "a comma list of function, module, class, session"},
  {"PYMON_PARAMETRIZATION_EXPLICIT", set_explicit, bool_words},
  {"PYMON_FORCE_COMPONENT", set_force_component, "a component name"},
  {"PYMON_COMPONENT_PREFIX", set_component_prefix, "a component name"},
  {"PYMON_DESCRIPTION", set_description, "a text"},
  {"PYMON_TAGS", set_tags,
   "comma-separated KEY=VALUE items (\\, for a comma inside one)"},
  {"PYMON_INVOCATION_DIR", set_invocation_dir, "a directory"},
  {"PYMON_RUN_DATE", set_run_date,
   "a UTC time YYYY-MM-DDTHH:MM:SS or YYYY-MM-DDTHH:MM:SS.ffffff "
   "(6 digits, omitted when zero)"},
  {"PYMON_SCM_ID", set_scm_id, "a revision id"},
  {"PYMON_REMOTE_TIMEOUT", set_timeout, "a positive number of seconds"},
  {"PYMON_REMOTE_TOKEN", accept_token, "a token for the server's --token"},
  {"PYMON_ONLY_PASSED", set_only_passed, bool_words},
  {"PYMON_BACKGROUND_IMPORT", set_background_import, bool_words},
  /* Internal: which ancestor processes delimit a session (docs/sessions.md). */
  {"PYMON_SESSION_RUNNERS", check_runners,
   "a comma list of process names (at most 15 characters each)"},
};

#define VARIABLE_COUNT (sizeof variables / sizeof variables[0])

static int is_known(const char *name, size_t len) {
  if (len > 11 && strncmp(name, "PYMON_TEST_", 11) == 0) return 1;
  for (size_t i = 0; i < VARIABLE_COUNT; i++)
    if (strlen(variables[i].name) == len &&
        strncmp(variables[i].name, name, len) == 0)
      return 1;
  return 0;
}

static int check_unknown(char *err, size_t errlen) {
  for (char **e = environ; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (strncmp(*e, "PYMON_", 6) != 0 || !eq) continue;
    if (is_known(*e, (size_t)(eq - *e))) continue;
    int n = snprintf(err, errlen, "%.*s='%s': unknown variable; expected one of",
                     (int)(eq - *e), *e, eq + 1);
    for (size_t i = 0; i < VARIABLE_COUNT && n > 0 && (size_t)n < errlen; i++)
      n += snprintf(err + n, errlen - (size_t)n, "%s %s",
                    i ? "," : "", variables[i].name);
    return -1;
  }
  return 0;
}

int pymon_config_load(struct pymon_config *cfg, char *err, size_t errlen) {
  memset(cfg, 0, sizeof *cfg);
  cfg->restrict_scope = PYMON_SCOPE_FUNCTION;
  cfg->remote_timeout = 5.0;
  cfg->background_import = 1;
  if (errlen) err[0] = '\0';

  int rc = check_unknown(err, errlen);
  for (size_t i = 0; i < VARIABLE_COUNT && rc == 0; i++) {
    const char *value = getenv(variables[i].name);
    if (!value) continue;
    rc = variables[i].parse(cfg, variables[i].name, value, err, errlen);
    if (rc == -1) bad_value(&variables[i], value, err, errlen);
  }
  if (rc == 0 && cfg->force_component && cfg->component_prefix) {
    snprintf(err, errlen,
             "PYMON_FORCE_COMPONENT='%s' and PYMON_COMPONENT_PREFIX='%s': "
             "expected at most one of them (they are incompatible, as "
             "--force-component and --component-prefix are)",
             cfg->force_component, cfg->component_prefix);
    rc = -1;
  }
  if (rc != 0) {
    pymon_config_free(cfg);
    return -1;
  }
  return 0;
}

void pymon_config_free(struct pymon_config *cfg) {
  free(cfg->db_path);
  free(cfg->remote_server);
  free(cfg->force_component);
  free(cfg->component_prefix);
  free(cfg->description);
  for (size_t i = 0; i < cfg->tag_count; i++) {
    free(cfg->tags[i].key);
    free(cfg->tags[i].value);
  }
  free(cfg->tags);
  free(cfg->invocation_dir);
  free(cfg->run_date);
  free(cfg->scm_id);
  memset(cfg, 0, sizeof *cfg);
  cfg->restrict_scope = PYMON_SCOPE_FUNCTION;
  cfg->remote_timeout = 5.0;
  cfg->background_import = 1;
}
