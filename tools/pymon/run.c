/*
** pymon run: run a test command (make check, ctest, a test binary) with
** pytest-monitor's options turned into PYMON_* environment variables.
** Fixing the run date and invocation directory here is what makes every
** test process below share one session.  The command's exit status is
** passed through; a signal death becomes 128 + the signal number.
*/
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"

enum {
  O_SCOPE = 1, O_PARAM_EXPLICIT, O_NO_MONITOR, O_REMOTE, O_DB, O_NO_DB,
  O_FORCE_COMPONENT, O_COMPONENT_PREFIX, O_DESCRIPTION, O_TAG, O_SCM_ID,
  O_REMOTE_TIMEOUT
};

static const struct cli_option run_options[] = {
    {"restrict-scope-to", 1, O_SCOPE},
    {"parametrization-explicit", 0, O_PARAM_EXPLICIT},
    {"no-monitor", 0, O_NO_MONITOR},
    {"remote-server", 1, O_REMOTE},
    {"db", 1, O_DB},
    {"no-db", 0, O_NO_DB},
    {"force-component", 1, O_FORCE_COMPONENT},
    {"component-prefix", 1, O_COMPONENT_PREFIX},
    {"description", 1, O_DESCRIPTION},
    {"tag", 1, O_TAG},
    {"scm-id", 1, O_SCM_ID},
    {"remote-timeout", 1, O_REMOTE_TIMEOUT},
    {NULL, 0, 0},
};

static const char run_help[] =
    "usage: pymon run [options] [--] <command> [args...]\n"
    "\n"
    "Run a test command so that every test process it starts records into\n"
    "one session. Exits with the command's status (128+N if killed by signal N).\n"
    "\n"
    "options (pytest-monitor's names):\n"
    "  --restrict-scope-to LIST   item kinds to record, comma-separated:\n"
    "                             function, class, module, session (default function)\n"
    "  --parametrization-explicit name parameters in variants: test_p[a_1-b_2]\n"
    "  --no-monitor               record nothing\n"
    "  --remote-server URL        also send results to a pymon/monitor server\n"
    "  --db PATH                  database file (default .pymon here)\n"
    "  --no-db                    do not write a local database\n"
    "  --force-component NAME     component of every test\n"
    "  --component-prefix NAME    prefix for every test's component\n"
    "  --description TEXT         session description (key \"msg\")\n"
    "  --tag KEY=VALUE            session tag; repeatable\n"
    "pymon's own:\n"
    "  --scm-id ID                SCM id of the session (default: git HEAD)\n"
    "  --remote-timeout SECONDS   give up on the remote server after this long\n";

struct run_settings {
  const char *scope, *remote, *db, *force_component, *component_prefix;
  const char *description, *scm_id, *remote_timeout;
  int parametrization_explicit, no_monitor, no_db;
  struct strbuf tags; /* PYMON_TAGS: KEY=VALUE,... with , and \ escaped */
};

static int check_scope(const char *list) {
  const char *p = list;
  for (;;) {
    size_t len = strcspn(p, ",");
    static const char *const kinds[] = {"function", "class", "module", "session"};
    int known = 0;
    for (size_t i = 0; i < 4; i++)
      known |= strlen(kinds[i]) == len && strncmp(p, kinds[i], len) == 0;
    if (!known)
      return cli_error("bad --restrict-scope-to value '%s': expected a "
                       "comma-separated list of function, class, module, session",
                       list);
    if (p[len] == '\0')
      return 0;
    p += len + 1;
  }
}

static int add_tag(struct strbuf *tags, const char *tag) {
  const char *eq = strchr(tag, '=');
  if (!eq || eq == tag)
    return cli_error("bad --tag '%s': expected KEY=VALUE", tag);
  if (tags->len)
    sb_append(tags, ",");
  for (const char *p = tag; *p; p++) {
    if (*p == ',' || *p == '\\')
      sb_append(tags, "\\");
    sb_appendn(tags, p, 1);
  }
  return 0;
}

static int run_option(void *ctx, int id, const char *v) {
  struct run_settings *s = ctx;
  switch (id) {
  case O_SCOPE: s->scope = v; break;
  case O_PARAM_EXPLICIT: s->parametrization_explicit = 1; break;
  case O_NO_MONITOR: s->no_monitor = 1; break;
  case O_REMOTE: s->remote = v; break;
  case O_DB: s->db = v; break;
  case O_NO_DB: s->no_db = 1; break;
  case O_FORCE_COMPONENT: s->force_component = v; break;
  case O_COMPONENT_PREFIX: s->component_prefix = v; break;
  case O_DESCRIPTION: s->description = v; break;
  case O_TAG: return add_tag(&s->tags, v);
  case O_SCM_ID: s->scm_id = v; break;
  case O_REMOTE_TIMEOUT: s->remote_timeout = v; break;
  }
  return 0;
}

/* Options, then their combinations; *command indexes the command. */
static int parse_run_options(int argc, char **argv, struct run_settings *s,
                             int *command) {
  int rc = args_parse(argc, argv, run_options, run_help, run_option, s,
                      command);
  if (rc)
    return rc;
  if (s->scope && check_scope(s->scope))
    return CLI_EXIT_USAGE;
  if (s->force_component && s->component_prefix)
    return cli_error("--force-component and --component-prefix cannot be used "
                     "together");
  double timeout;
  if (s->remote_timeout &&
      args_double("--remote-timeout", s->remote_timeout, 0, &timeout))
    return CLI_EXIT_USAGE;
  if (s->db && !*s->db)
    return cli_error("bad --db '': expected a file path");
  if (s->no_db && !s->remote) {
    cli_warn("--no-db without --remote-server: nothing would be stored, so "
             "monitoring is disabled");
    s->no_monitor = 1;
  }
  if (*command >= argc)
    return cli_error("no command given: pymon run [options] -- <command>");
  return 0;
}

static void set_env(const char *name, const char *value) {
  if (value && setenv(name, value, 1) != 0) {
    cli_error("cannot set %s: %s", name, strerror(errno));
    exit(CLI_EXIT_USAGE);
  }
}

/* Set only when the caller has not: a pymon run nested inside another
** stays in the outer session. */
static void default_env(const char *name, const char *value) {
  if (!getenv(name))
    set_env(name, value);
}

static void format_run_date(char out[40]) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  struct tm tm;
  time_t secs = tv.tv_sec;
  gmtime_r(&secs, &tm);
  size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
  if (tv.tv_usec)
    snprintf(out + n, 40 - n, ".%06ld", (long)tv.tv_usec);
}

static int export_settings(const struct run_settings *s) {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd))
    return cli_error("cannot read the current directory: %s", strerror(errno));
  char run_date[40];
  format_run_date(run_date);
  default_env("PYMON_RUN_DATE", run_date);
  default_env("PYMON_INVOCATION_DIR", cwd);

  set_env("PYMON_RESTRICT_SCOPE_TO", s->scope);
  set_env("PYMON_PARAMETRIZATION_EXPLICIT", s->parametrization_explicit ? "1" : NULL);
  set_env("PYMON_NO_MONITOR", s->no_monitor ? "1" : NULL);
  set_env("PYMON_NO_DB", s->no_db ? "1" : NULL);
  set_env("PYMON_REMOTE_SERVER", s->remote);
  set_env("PYMON_FORCE_COMPONENT", s->force_component);
  set_env("PYMON_COMPONENT_PREFIX", s->component_prefix);
  set_env("PYMON_DESCRIPTION", s->description);
  set_env("PYMON_TAGS", s->tags.len ? s->tags.buf : NULL);
  set_env("PYMON_SCM_ID", s->scm_id);
  set_env("PYMON_REMOTE_TIMEOUT", s->remote_timeout);
  if (s->db) {
    /* Test processes run in other directories (ctest): anchor the path. */
    struct strbuf db = {0};
    if (s->db[0] != '/')
      sb_appendf(&db, "%s/", cwd);
    sb_append(&db, s->db);
    set_env("PYMON_DB", db.buf);
    sb_free(&db);
  }
  return 0;
}

static volatile pid_t child_pid;

/* A terminal's ^C already reaches the whole foreground process group;
** only signals sent to pymon alone (kill, timeout) are passed on. */
static void forward_signal(int sig, siginfo_t *info, void *ctx) {
  (void)ctx;
  if (child_pid > 0 && (info->si_code == SI_USER || info->si_code == SI_QUEUE))
    kill(child_pid, sig);
}

static int run_command(char **command) {
  static const int forwarded[] = {SIGINT, SIGTERM};
  sigset_t block, old;
  sigemptyset(&block);
  for (size_t i = 0; i < 2; i++)
    sigaddset(&block, forwarded[i]);
  sigprocmask(SIG_BLOCK, &block, &old);

  pid_t pid = fork();
  if (pid < 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    return cli_error("cannot start '%s': %s", command[0], strerror(errno));
  }
  if (pid == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    execvp(command[0], command);
    int err = errno;
    cli_error("cannot run '%s': %s", command[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
  }

  child_pid = pid;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = forward_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < 2; i++)
    sigaction(forwarded[i], &sa, NULL);
  sigprocmask(SIG_SETMASK, &old, NULL);

  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return cli_error("lost track of '%s': %s", command[0], strerror(errno));
  }
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

int cmd_run(int argc, char **argv) {
  struct run_settings s;
  memset(&s, 0, sizeof s);
  int command = argc;
  int rc = parse_run_options(argc, argv, &s, &command);
  if (rc == 0)
    rc = export_settings(&s);
  sb_free(&s.tags);
  if (rc != 0)
    return ARGS_EXIT(rc);
  return run_command(argv + command);
}
