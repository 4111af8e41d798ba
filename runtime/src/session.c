/*
** The session shared by every test process of one run.  Processes agree on
** it without talking to each other: each finds the same "runner" ancestor
** (make, ctest, ...) and derives the run date from that process's start
** time and the invocation directory from its working directory
** (docs/sessions.md).  The environment overrides both, as `pymon run` does.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "md5hex.h"
#include "scm.h"
#include "session.h"
#include "utc.h"

#define DEFAULT_RUNNERS "make,gmake,ctest,ninja,meson,samu,pymon"

struct proc_entry {
  int ppid;
  char comm[64];
  unsigned long long start_ticks; /* field 22: clock ticks after boot */
};

/* Parse /proc/<pid>/stat; comm may hold spaces and ')', so cut at the last. */
static int read_proc_stat(int pid, struct proc_entry *pe) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *open = strchr(buf, '('), *close = strrchr(buf, ')');
  if (!open || !close || close < open) return -1;
  snprintf(pe->comm, sizeof pe->comm, "%.*s", (int)(close - open - 1), open + 1);
  if (sscanf(close + 1,
             " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
             "%*d %*d %*d %*d %llu",
             &pe->ppid, &pe->start_ticks) != 2)
    return -1;
  return 0;
}

static int in_list(const char *list, const char *word) {
  size_t len = strlen(word);
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    if (n == len && strncmp(p, word, n) == 0) return 1;
    p += n + (p[n] == ',');
  }
  return 0;
}

/* The outermost ancestor whose name is a runner's, or this process. */
static int session_anchor(struct proc_entry *anchor) {
  const char *runners = getenv("PYMON_SESSION_RUNNERS");
  struct proc_entry pe;
  int found = 0, pid = getppid();
  if (!runners || !*runners) runners = DEFAULT_RUNNERS;
  for (int depth = 0; pid > 0 && depth < 4096; depth++) {
    if (read_proc_stat(pid, &pe) != 0) break;
    if (in_list(runners, pe.comm)) {
      *anchor = pe;
      found = pid;
    }
    pid = pe.ppid;
  }
  if (found) return found;
  read_proc_stat(getpid(), anchor);
  return getpid();
}

/* Boot time from /proc/stat: the same value for every process. */
static long long boot_time(void) {
  char line[256];
  long long btime = 0;
  FILE *f = fopen("/proc/stat", "r");
  if (!f) return 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "btime %lld", &btime) == 1) break;
  fclose(f);
  return btime;
}

static void start_date(const struct proc_entry *pe, char out[40]) {
  long hz = sysconf(_SC_CLK_TCK);
  if (hz <= 0) hz = 100;
  long long seconds = boot_time() + (long long)(pe->start_ticks / (unsigned long long)hz);
  long us = (long)((pe->start_ticks % (unsigned long long)hz) * 1000000ULL /
                   (unsigned long long)hz);
  pymon_format_utc(out, seconds, us);
}

/* Working directory of pid, or NULL. */
static char *read_cwd(int pid) {
  char path[64], buf[PATH_MAX];
  snprintf(path, sizeof path, "/proc/%d/cwd", pid);
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n <= 0) return NULL;
  buf[n] = '\0';
  return strdup(buf);
}

/* Where pid was started, resolved: the PWD its shell left in its initial
** environment, or "" when it has none. */
static void started_in(int pid, char out[PATH_MAX]) {
  char path[64];
  static char env[65536];
  out[0] = '\0';
  snprintf(path, sizeof path, "/proc/%d/environ", pid);
  FILE *f = fopen(path, "re");
  if (!f) return;
  size_t n = fread(env, 1, sizeof env - 1, f);
  fclose(f);
  env[n] = '\0';
  for (size_t i = 0; i < n; i += strlen(env + i) + 1)
    if (strncmp(env + i, "PWD=", 4) == 0) {
      if (!realpath(env + i + 4, out)) out[0] = '\0';
      return;
    }
}

/*
** The runner's working directory, or this process's when it cannot be
** read.  A runner may step into a test's directory for a moment while it
** starts a test (ctest does, also while other tests run).  So the
** directory counts at once when it is where the runner was started (its
** PWD), and otherwise only once it has stayed the same for SETTLE_READS
** reads a millisecond apart (a runner started elsewhere, as make -C is).
*/
#define SETTLE_READS 10

static char *runner_cwd(int pid) {
  char buf[PATH_MAX], start[PATH_MAX];
  char *seen = read_cwd(pid);
  started_in(pid, start);
  for (int same = 1, tries = 0; seen && tries < 100; tries++) {
    if (strcmp(seen, start) == 0 || same >= SETTLE_READS) return seen;
    struct timespec pause = {0, 1000 * 1000};
    nanosleep(&pause, NULL);
    char *again = read_cwd(pid);
    same = again && strcmp(again, seen) == 0 ? same + 1 : 1;
    free(seen);
    seen = again;
  }
  if (seen) return seen;
  return getcwd(buf, sizeof buf) ? strdup(buf) : strdup("/");
}


/* CI information as pytest-monitor collects it, plus GitHub Actions. */
static void add_ci_info(json_t *obj) {
  static const struct {
    const char *build, *branch, *branch_alt, *name;
  } ci[] = {
    {"BUILD_NUMBER", "BRANCH_NAME", "JOB_NAME", "jenkinsci"},
    {"CIRCLE_BUILD_NUM", "CIRCLE_JOB", NULL, "circleci"},
    {"TRAVIS_BUILD_NUMBER", "TRAVIS_BUILD_ID", NULL, "travisci"},
    {"DRONE_BUILD_NUMBER", "DRONE_REPO_BRANCH", NULL, "droneci"},
    {"CI_PIPELINE_ID", "CI_JOB_NAME", NULL, "gitlabci"},
    {"BITBUCKET_BUILD_NUMBER", "BITBUCKET_BRANCH", NULL, "bitbucketci"},
    {"GITHUB_RUN_NUMBER", "GITHUB_REF_NAME", NULL, "githubci"},
  };
  for (size_t i = 0; i < sizeof ci / sizeof ci[0]; i++) {
    const char *build = getenv(ci[i].build), *branch = getenv(ci[i].branch);
    if (!branch && ci[i].branch_alt) branch = getenv(ci[i].branch_alt);
    if (strcmp(ci[i].name, "githubci") == 0) {
      const char *gha = getenv("GITHUB_ACTIONS");
      if (!gha || strcmp(gha, "true") != 0) continue;
      if (!build) build = "";
      if (!branch) branch = "";
    }
    if (!build || !branch) continue;
    json_object_set_new(obj, "pipeline_branch", json_string(branch));
    json_object_set_new(obj, "pipeline_build_no", json_string(build));
    json_object_set_new(obj, "__ci__", json_string(ci[i].name));
    return;
  }
}

/*
** Bytes that are not UTF-8 reach Python as lone surrogates U+DC80..U+DCFF
** (surrogateescape), which json.dumps writes as "\udc80".."\udcff".  To get
** the same text from jansson, which accepts only valid UTF-8, each such byte
** stands in as U+F780..U+F7FF (private use) and the escapes are renamed
** after dumping; if the text already holds one of those code points, the
** bytes become U+FFFD instead.
*/
#define STAND_IN_BASE 0xF700u

static size_t utf8_sequence(const unsigned char *p) {
  unsigned cp;
  size_t n;
  if (p[0] < 0x80) return 1;
  if ((p[0] & 0xE0) == 0xC0) n = 2, cp = p[0] & 0x1Fu;
  else if ((p[0] & 0xF0) == 0xE0) n = 3, cp = p[0] & 0x0Fu;
  else if ((p[0] & 0xF8) == 0xF0) n = 4, cp = p[0] & 0x07u;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (p[i] & 0x3Fu);
  }
  static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

static int has_stand_ins(const unsigned char *p) {
  for (; *p; p++) /* U+F780..U+F7FF is EF 9E/9F xx in UTF-8 */
    if (p[0] == 0xEF && (p[1] == 0x9E || p[1] == 0x9F)) return 1;
  return 0;
}

/* `text` as valid UTF-8, bad bytes replaced as above; malloc'd. */
static char *python_utf8(const char *text) {
  const unsigned char *p = (const unsigned char *)text;
  int stand_ins = !has_stand_ins(p);
  char *out = malloc(strlen(text) * 3 + 1), *o = out;
  if (!out) return NULL;
  while (*p) {
    size_t n = utf8_sequence(p);
    if (n) {
      memcpy(o, p, n);
      o += n, p += n;
      continue;
    }
    unsigned cp = stand_ins ? STAND_IN_BASE + *p : 0xFFFDu;
    *o++ = (char)(0xE0 | cp >> 12);
    *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
    *o++ = (char)(0x80 | (cp & 0x3F));
    p++;
  }
  *o = '\0';
  return out;
}

static int set_string(json_t *obj, const char *key, const char *value) {
  char *k = python_utf8(key), *v = python_utf8(value);
  int rc = k && v ? json_object_set_new(obj, k, json_string(v)) : -1;
  free(k);
  free(v);
  return rc;
}

/* Python json.dumps escapes: lowercase hex, stand-ins back to surrogates. */
static void python_escapes(char *json) {
  for (char *p = json; *p; p++) {
    if (*p != '\\') continue;
    if (p[1] == 'u') {
      for (int i = 2; i < 6 && p[i]; i++) p[i] = (char)tolower((unsigned char)p[i]);
      if (p[2] == 'f' && p[3] == '7' && p[4] && strchr("89abcdef", p[4]))
        p[2] = 'd', p[3] = 'c'; /* \uf7XX -> \udcXX */
    }
    if (p[1]) p++; /* skip the escaped character, e.g. the second of \\ */
  }
}

/* RUN_DESCRIPTION: CI info, "msg", then the tags (a later key wins but
** keeps its first position, as in a Python dict). */
static char *description_json(const struct pymon_config *cfg, char *err,
                              size_t errlen) {
  json_t *obj = json_object();
  char *text = NULL;
  if (!obj) return snprintf(err, errlen, "out of memory"), NULL;
  add_ci_info(obj);
  int rc = 0;
  if (cfg->description && *cfg->description)
    rc = set_string(obj, "msg", cfg->description);
  for (size_t i = 0; i < cfg->tag_count && rc == 0; i++)
    rc = set_string(obj, cfg->tags[i].key, cfg->tags[i].value);
  text = rc == 0 ? json_dumps(obj, JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) : NULL;
  if (text) python_escapes(text);
  else snprintf(err, errlen, "out of memory");
  json_decref(obj);
  return text;
}

int pymon_session_init(struct pymon_session_info *info,
                       const struct pymon_config *cfg, char *err,
                       size_t errlen) {
  struct pymon_session *s = &info->session;
  struct proc_entry anchor = {0};
  int anchor_pid = 0;

  memset(info, 0, sizeof *info);
  if (!cfg->run_date || !cfg->invocation_dir)
    anchor_pid = session_anchor(&anchor);

  if (cfg->invocation_dir) {
    char resolved[PATH_MAX];
    if (!realpath(cfg->invocation_dir, resolved)) {
      snprintf(err, errlen, "PYMON_INVOCATION_DIR='%s': expected an existing "
               "directory (%s)", cfg->invocation_dir, strerror(errno));
      return -1;
    }
    info->invocation_dir = strdup(resolved);
  } else {
    info->invocation_dir = runner_cwd(anchor_pid);
  }
  if (!info->invocation_dir) return snprintf(err, errlen, "out of memory"), -1;

  if (cfg->run_date)
    snprintf(s->run_date, sizeof s->run_date, "%s", cfg->run_date);
  else
    start_date(&anchor, s->run_date);

  if (cfg->scm_id)
    snprintf(s->scm_id, sizeof s->scm_id, "%s", cfg->scm_id);
  else
    pymon_scm_detect(info->invocation_dir, s->scm_id, sizeof s->scm_id);

  s->description_json = description_json(cfg, err, errlen);
  if (!s->description_json) {
    pymon_session_free(info);
    return -1;
  }
  const char *const parts[] = {s->scm_id, s->run_date, s->description_json};
  pymon_md5_hex(parts, 3, s->session_h);
  return 0;
}

void pymon_session_free(struct pymon_session_info *info) {
  free(info->session.description_json);
  free(info->invocation_dir);
  memset(info, 0, sizeof *info);
}
