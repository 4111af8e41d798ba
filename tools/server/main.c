/*
** pymon-server: stores what pymon (and pytest-monitor) clients send, in a
** .pymon-schema SQLite file or in PostgreSQL, and serves it back.
** See docs/remote.md.
*/
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "db.h"
#include "http.h"

#define DEFAULT_LISTEN "127.0.0.1:8050"
#define DEFAULT_DB ".pymon"
#define DEFAULT_MAX_BODY (1024 * 1024)
#define DEFAULT_THREADS 4

struct options {
  const char *listen;
  const char *db_path;
  const char *postgres_url;
  const char *token;
  const char *port_file;
  size_t max_body;
  unsigned threads;
  int verbose;
};

static void usage(FILE *out) {
  fprintf(out,
          "usage: pymon-server [--listen HOST:PORT] [--db PATH | --postgres URL]\n"
          "                    [--token TOKEN] [--max-body BYTES] [--threads N]\n"
          "                    [--port-file FILE] [--verbose]\n"
          "\n"
          "  --listen HOST:PORT  address to serve on (default " DEFAULT_LISTEN
          "; port 0: any free port)\n"
          "  --db PATH           SQLite database in the .pymon schema (default "
          DEFAULT_DB ")\n"
          "  --postgres URL      PostgreSQL connection URL or conninfo instead\n"
          "  --token TOKEN       writes need 'Authorization: Bearer TOKEN'\n"
          "                      (default: $PYMON_SERVER_TOKEN, else none)\n"
          "  --max-body BYTES    largest request body accepted (default %d)\n"
          "  --threads N         worker threads and database connections "
          "(default %d)\n"
          "  --port-file FILE    write the port actually bound to FILE\n"
          "  --verbose           log every request to stderr\n",
          DEFAULT_MAX_BODY, DEFAULT_THREADS);
}

_Noreturn static void usage_error(const char *fmt, const char *value) {
  fprintf(stderr, "pymon-server: error: ");
  fprintf(stderr, fmt, value);
  fprintf(stderr, "\n(run 'pymon-server --help' for the options)\n");
  exit(2);
}

static unsigned long long parse_count(const char *option, const char *value,
                                      unsigned long long min,
                                      unsigned long long max) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(value, &end, 10);
  if (errno || end == value || *end || value[0] == '-' || n < min || n > max) {
    fprintf(stderr, "pymon-server: error: %s '%s': expected a whole number "
            "from %llu to %llu\n", option, value, min, max);
    exit(2);
  }
  return n;
}

static void parse_options(int argc, char **argv, struct options *opt) {
  opt->listen = DEFAULT_LISTEN;
  opt->max_body = DEFAULT_MAX_BODY;
  opt->threads = DEFAULT_THREADS;
  opt->token = getenv("PYMON_SERVER_TOKEN");
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      usage(stdout);
      exit(0);
    }
    if (strcmp(arg, "--verbose") == 0) {
      opt->verbose = 1;
      continue;
    }
    static const char *const valued[] = {"--listen", "--db", "--postgres",
                                         "--token", "--max-body", "--threads",
                                         "--port-file"};
    const char *value = NULL;
    size_t which;
    for (which = 0; which < sizeof valued / sizeof valued[0]; which++) {
      size_t n = strlen(valued[which]);
      if (strncmp(arg, valued[which], n) != 0) continue;
      if (arg[n] == '=') {
        value = arg + n + 1;
      } else if (arg[n] == '\0') {
        if (i + 1 >= argc) usage_error("option %s needs a value", arg);
        value = argv[++i];
      } else {
        continue;
      }
      break;
    }
    if (!value) usage_error("unknown option '%s'", arg);
    switch (which) {
    case 0: opt->listen = value; break;
    case 1: opt->db_path = value; break;
    case 2: opt->postgres_url = value; break;
    case 3: opt->token = value; break;
    case 4:
      opt->max_body = (size_t)parse_count("--max-body", value, 1,
                                          (unsigned long long)1 << 32);
      break;
    case 5: opt->threads = (unsigned)parse_count("--threads", value, 1, 64); break;
    default: opt->port_file = value; break;
    }
  }
  if (opt->db_path && opt->postgres_url) {
    usage_error("--db and --postgres exclude each other (got --db '%s' too)",
                opt->db_path);
  }
  if (opt->db_path && !*opt->db_path) usage_error("--db '%s': empty path", "");
  if (opt->token && !*opt->token) opt->token = NULL;
  if (!opt->postgres_url && !opt->db_path) opt->db_path = DEFAULT_DB;
}

/* HOST:PORT, [IPv6]:PORT; the host may be a name. */
static void parse_listen(const char *listen, struct http_config *cfg) {
  const char *colon = strrchr(listen, ':');
  if (!colon || colon == listen || colon[1] == '\0') {
    usage_error("--listen '%s': expected HOST:PORT, e.g. 127.0.0.1:8050",
                listen);
  }
  char host[256];
  size_t hlen = (size_t)(colon - listen);
  if (listen[0] == '[' && hlen >= 2 && listen[hlen - 1] == ']') {
    listen++;
    hlen -= 2;
  }
  if (hlen >= sizeof host) usage_error("--listen '%s': host name too long", listen);
  memcpy(host, listen, hlen);
  host[hlen] = '\0';
  parse_count("--listen port", colon + 1, 0, 65535);
  struct addrinfo hints, *found = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  int rc = getaddrinfo(host, colon + 1, &hints, &found);
  if (rc != 0 || !found) {
    fprintf(stderr, "pymon-server: error: --listen '%s': cannot resolve '%s': "
            "%s\n", listen, host, gai_strerror(rc));
    exit(2);
  }
  memcpy(&cfg->addr, found->ai_addr, found->ai_addrlen);
  cfg->addr_len = found->ai_addrlen;
  freeaddrinfo(found);
}

/* Written whole then renamed, so a reader never sees a partial number. */
static int write_port_file(const char *path, unsigned port) {
  size_t n = strlen(path) + 8;
  char *tmp = malloc(n);
  if (!tmp) return -1;
  snprintf(tmp, n, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  int ok = f && fprintf(f, "%u\n", port) > 0;
  if (f && fclose(f) != 0) ok = 0;
  ok = ok && rename(tmp, path) == 0;
  if (!ok) unlink(tmp);
  free(tmp);
  return ok ? 0 : -1;
}

int main(int argc, char **argv) {
  struct options opt;
  memset(&opt, 0, sizeof opt);
  parse_options(argc, argv, &opt);
  struct http_config cfg;
  memset(&cfg, 0, sizeof cfg);
  parse_listen(opt.listen, &cfg);
  cfg.token = opt.token;
  cfg.max_body = opt.max_body;
  cfg.threads = opt.threads;
  cfg.verbose = opt.verbose;

  /* Block the stop signals before any thread starts: only main waits. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);

  char err[512];
  const struct db_driver *driver =
      opt.postgres_url ? &db_postgres_driver : &db_sqlite_driver;
  const char *target = opt.postgres_url ? opt.postgres_url : opt.db_path;
  struct db_pool *pool = db_pool_open(driver, target, (int)opt.threads, err,
                                      sizeof err);
  if (!pool) {
    fprintf(stderr, "pymon-server: error: %s\n", err);
    return 1;
  }
  api_init();
  struct http_server *server = http_start(pool, &cfg, err, sizeof err);
  if (!server) {
    fprintf(stderr, "pymon-server: error: --listen '%s': %s\n", opt.listen, err);
    db_pool_close(pool);
    return 1;
  }
  unsigned port = http_port(server);
  if (opt.port_file && write_port_file(opt.port_file, port) != 0) {
    fprintf(stderr, "pymon-server: error: cannot write --port-file '%s': %s\n",
            opt.port_file, strerror(errno));
    http_stop(server);
    db_pool_close(pool);
    return 1;
  }
  fprintf(stderr, "pymon-server: listening on port %u, storing in %s %s%s\n",
          port, driver->name, opt.postgres_url ? "database" : opt.db_path,
          opt.token ? " (writes need the token)" : "");

  int sig = 0;
  sigwait(&stop, &sig);
  fprintf(stderr, "pymon-server: %s received, stopping\n",
          sig == SIGINT ? "SIGINT" : "SIGTERM");
  http_stop(server);
  db_pool_close(pool);
  return 0;
}
