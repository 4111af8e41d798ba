/*
** The remote-server client: pytest-monitor's HTTP protocol (COMPAT.md,
** "Remote server protocol") over one reused libcurl easy handle.
**
** Every request is bounded by the configured timeout.  The first failure of
** any kind drops the remote with one warning; later calls return -1 at once.
** The "dropped" flag lives in one shared anonymous mapping per process tree,
** kept across close and reopen of the same address, so that a failure seen
** in a forked test process also stops its parent and later siblings (even
** those that reopen the remote), and a run pays the timeout once, not once
** per process.
**
** libcurl is loaded with dlopen when a remote server is configured, not
** linked: with its dependencies it costs every test program ~10 ms of
** start-up, and most runs never send anything.
*/
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "address.h"
#include "remote.h"
#include "warn.h"

#define REMOTE_DEFAULT_TIMEOUT 5.0
#define REMOTE_MAX_REPLY (1024 * 1024)
#define REMOTE_MAX_SOCKETS 8

/* Shared with forked children (MAP_SHARED), so one drop stops them all. */
struct remote_shared {
  atomic_int dropped;
  char address[1024]; /* the base URL the flag is about */
};

static struct remote_shared *shared_page;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_page_create(void) {
  void *page = mmap(NULL, sizeof *shared_page, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  shared_page = page == MAP_FAILED ? NULL : page;
}

struct pymon_remote {
  CURL *curl;
  struct curl_slist *headers;
  char *base;    /* scheme://host:port[/prefix], no trailing '/' */
  long timeout_ms;
  pid_t owner;   /* process that owns curl's connections */
  struct remote_shared *shared; /* shared_page, or our own if mmap failed */
  int shared_owned;
  /* Sockets curl opened for us: a forked child must not talk on them. */
  curl_socket_t sockets[REMOTE_MAX_SOCKETS];
  char *reply;
  size_t reply_len;
  int reply_overflow;
  char curl_error[CURL_ERROR_SIZE];
};

/* The libcurl functions we use, from the library loaded at first use. */
static struct {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *c, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL *c);
  CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
  void (*easy_cleanup)(CURL *c);
  const char *(*easy_strerror)(CURLcode code);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
  void (*slist_free_all)(struct curl_slist *list);
} lib;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_load_error[256]; /* empty once libcurl is ready */

static void load_curl(void) {
  static const char *const names[] = {
      "curl_global_init",  "curl_easy_init",     "curl_easy_setopt",
      "curl_easy_perform", "curl_easy_getinfo",  "curl_easy_cleanup",
      "curl_easy_strerror", "curl_slist_append", "curl_slist_free_all"};
  void **slots[] = {(void **)&lib.global_init,   (void **)&lib.easy_init,
                    (void **)&lib.easy_setopt,   (void **)&lib.easy_perform,
                    (void **)&lib.easy_getinfo,  (void **)&lib.easy_cleanup,
                    (void **)&lib.easy_strerror, (void **)&lib.slist_append,
                    (void **)&lib.slist_free_all};
  void *handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    snprintf(curl_load_error, sizeof curl_load_error,
             "cannot load libcurl (%s): install libcurl4", dlerror());
    return;
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (!(*slots[i] = dlsym(handle, names[i]))) {
      snprintf(curl_load_error, sizeof curl_load_error,
               "libcurl.so.4 has no %s", names[i]);
      return;
    }
  }
  CURLcode rc = lib.global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK)
    snprintf(curl_load_error, sizeof curl_load_error,
             "cannot initialise libcurl: %s", lib.easy_strerror(rc));
}

static size_t on_reply_data(char *data, size_t size, size_t nmemb, void *arg) {
  struct pymon_remote *r = arg;
  size_t n = size * nmemb;
  if (r->reply_len + n > REMOTE_MAX_REPLY) {
    r->reply_overflow = 1;
    return 0; /* makes curl fail the transfer */
  }
  char *grown = realloc(r->reply, r->reply_len + n + 1);
  if (!grown) return 0;
  memcpy(grown + r->reply_len, data, n);
  r->reply = grown;
  r->reply_len += n;
  r->reply[r->reply_len] = '\0';
  return n;
}

static curl_socket_t on_open_socket(void *arg, curlsocktype purpose,
                                    struct curl_sockaddr *addr) {
  struct pymon_remote *r = arg;
  (void)purpose;
  /* CLOEXEC: tests that exec (Criterion, libuv) must not inherit it. */
  curl_socket_t fd = socket(addr->family, addr->socktype | SOCK_CLOEXEC,
                            addr->protocol);
  if (fd == CURL_SOCKET_BAD) return fd;
  for (int i = 0; i < REMOTE_MAX_SOCKETS; i++) {
    if (r->sockets[i] == CURL_SOCKET_BAD) {
      r->sockets[i] = fd;
      break;
    }
  }
  return fd;
}

static int on_close_socket(void *arg, curl_socket_t fd) {
  struct pymon_remote *r = arg;
  for (int i = 0; i < REMOTE_MAX_SOCKETS; i++) {
    if (r->sockets[i] == fd) r->sockets[i] = CURL_SOCKET_BAD;
  }
  return close(fd);
}

/*
** In a forked child the parent's connections are shared kernel objects:
** anything curl sends or closes politely (TLS close_notify) would corrupt
** the parent's stream.  Point those descriptors at /dev/null first, then
** let curl clean up as usual.
*/
static void detach_inherited_sockets(struct pymon_remote *r) {
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int i = 0; i < REMOTE_MAX_SOCKETS; i++) {
    if (r->sockets[i] == CURL_SOCKET_BAD) continue;
    if (null_fd >= 0) {
      (void)dup3(null_fd, r->sockets[i], O_CLOEXEC);
    }
  }
  if (null_fd >= 0) close(null_fd);
}

static int configure_handle(struct pymon_remote *r) {
  CURL *c = lib.easy_init();
  if (!c) return -1;
  for (int i = 0; i < REMOTE_MAX_SOCKETS; i++) r->sockets[i] = CURL_SOCKET_BAD;
  lib.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, r->timeout_ms);
  lib.easy_setopt(c, CURLOPT_TIMEOUT_MS, r->timeout_ms);
  lib.easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
  lib.easy_setopt(c, CURLOPT_USERAGENT, "pymon/" PYMON_VERSION);
  lib.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_reply_data);
  lib.easy_setopt(c, CURLOPT_WRITEDATA, r);
  lib.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  lib.easy_setopt(c, CURLOPT_OPENSOCKETDATA, r);
  lib.easy_setopt(c, CURLOPT_CLOSESOCKETFUNCTION, on_close_socket);
  lib.easy_setopt(c, CURLOPT_CLOSESOCKETDATA, r);
  lib.easy_setopt(c, CURLOPT_ERRORBUFFER, r->curl_error);
  lib.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  r->curl = c;
  r->owner = getpid();
  return 0;
}

/* After fork: drop the inherited connection and start a fresh handle. */
static int ensure_own_handle(struct pymon_remote *r) {
  if (r->curl && r->owner == getpid()) return 0;
  if (r->curl) {
    detach_inherited_sockets(r);
    lib.easy_cleanup(r->curl);
    r->curl = NULL;
  }
  return configure_handle(r);
}

/* The base URL, or NULL with the whole message in err. */
static char *base_url(const char *address, char *err, size_t errlen) {
  char why[128];
  char *url = pymon_server_url(address, why, sizeof why);
  if (!url) snprintf(err, errlen, "remote server '%s': %s", address, why);
  return url;
}

static int add_header(struct pymon_remote *r, const char *header) {
  struct curl_slist *list = lib.slist_append(r->headers, header);
  if (!list) return -1;
  r->headers = list;
  return 0;
}

struct pymon_remote *pymon_remote_open(const char *address, double timeout,
                                       char *err, size_t errlen) {
  if (!address || !*address) {
    snprintf(err, errlen, "remote server address is empty");
    return NULL;
  }
  pthread_once(&curl_once, load_curl);
  if (curl_load_error[0]) {
    snprintf(err, errlen, "remote server '%s': %s", address, curl_load_error);
    return NULL;
  }
  struct pymon_remote *r = calloc(1, sizeof *r);
  if (!r) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  r->base = base_url(address, err, errlen);
  if (!r->base) {
    free(r);
    return NULL;
  }
  if (!(timeout > 0) || !isfinite(timeout)) timeout = REMOTE_DEFAULT_TIMEOUT;
  r->timeout_ms = (long)ceil(timeout * 1000.0);

  pthread_once(&shared_once, shared_page_create);
  if (shared_page) {
    r->shared = shared_page;
  } else {
    r->shared = calloc(1, sizeof *r->shared); /* per process, still works */
    r->shared_owned = 1;
  }

  const char *token = getenv("PYMON_REMOTE_TOKEN");
  int header_fail = add_header(r, "Content-Type: application/json") ||
                    add_header(r, "Accept: application/json") ||
                    add_header(r, "Expect:");
  if (!header_fail && token && *token) {
    size_t n = strlen(token) + sizeof "Authorization: Bearer ";
    char *line = malloc(n);
    if (line) {
      snprintf(line, n, "Authorization: Bearer %s", token);
      header_fail = add_header(r, line);
      free(line);
    } else {
      header_fail = 1;
    }
  }
  if (!r->shared || header_fail || configure_handle(r) != 0) {
    snprintf(err, errlen, "cannot set up the HTTP client for '%s'", address);
    pymon_remote_close(r);
    return NULL;
  }
  /* A new address starts afresh; the same one stays dropped if it was. */
  if (strncmp(r->shared->address, r->base, sizeof r->shared->address) != 0) {
    snprintf(r->shared->address, sizeof r->shared->address, "%s", r->base);
    atomic_store(&r->shared->dropped, 0);
  }
  return r;
}

static int is_dropped(const struct pymon_remote *r) {
  return !r || atomic_load(&r->shared->dropped);
}

/* The one warning of the run; callers return -1 after it. */
PYMON_PRINTF(2, 3)
static int drop_remote(struct pymon_remote *r, const char *fmt, ...) {
  if (atomic_exchange(&r->shared->dropped, 1)) return -1;
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  pymon_warn("remote server %s: %s; results are no longer sent to it "
             "(local storage goes on)", r->base, what);
  return -1;
}

/* The server's own explanation, when it sent a JSON {"error": ...}. */
static const char *reply_reason(json_t *reply) {
  json_t *e = json_is_object(reply) ? json_object_get(reply, "error") : NULL;
  if (!json_is_string(e)) {
    e = json_is_object(reply) ? json_object_get(reply, "message") : NULL;
  }
  return json_is_string(e) ? json_string_value(e) : NULL;
}

/*
** One request.  On a transport failure, drops the remote and returns -1;
** otherwise stores the HTTP status and the parsed JSON reply (NULL when
** the body is empty or not JSON; *body_bad says which).
*/
static int remote_request(struct pymon_remote *r, const char *method,
                          const char *path, json_t *body, long *status,
                          json_t **reply, int *body_bad) {
  *reply = NULL;
  *body_bad = 0;
  if (ensure_own_handle(r) != 0) {
    return drop_remote(r, "cannot set up the HTTP client");
  }
  char *payload = NULL;
  if (body) {
    payload = json_dumps(body, JSON_COMPACT);
    if (!payload) return drop_remote(r, "cannot encode the %s body", path);
  }
  size_t url_len = strlen(r->base) + strlen(path) + 1;
  char *url = malloc(url_len);
  if (!url) {
    free(payload);
    return drop_remote(r, "out of memory");
  }
  snprintf(url, url_len, "%s%s", r->base, path);

  free(r->reply);
  r->reply = NULL;
  r->reply_len = 0;
  r->reply_overflow = 0;
  r->curl_error[0] = '\0';
  lib.easy_setopt(r->curl, CURLOPT_URL, url);
  if (payload) {
    lib.easy_setopt(r->curl, CURLOPT_POSTFIELDS, payload);
    lib.easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
  } else {
    lib.easy_setopt(r->curl, CURLOPT_HTTPGET, 1L);
  }
  CURLcode rc = lib.easy_perform(r->curl);
  free(url);
  free(payload);
  if (rc != CURLE_OK) {
    if (r->reply_overflow) {
      return drop_remote(r, "%s %s: reply larger than %d bytes", method, path,
                         REMOTE_MAX_REPLY);
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return drop_remote(r, "%s %s: no answer within %.1f s", method, path,
                         (double)r->timeout_ms / 1000.0);
    }
    return drop_remote(r, "%s %s: %s", method, path,
                       r->curl_error[0] ? r->curl_error
                                        : lib.easy_strerror(rc));
  }
  lib.easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, status);
  if (r->reply_len > 0) {
    *reply = json_loadb(r->reply, r->reply_len, 0, NULL);
    if (!*reply) *body_bad = 1;
  }
  return 0;
}

/* Drop with a message naming the unexpected status (and server reason). */
static int unexpected_status(struct pymon_remote *r, const char *method,
                             const char *path, long status, json_t *reply,
                             const char *expected) {
  const char *reason = reply_reason(reply);
  int rc = drop_remote(r, "%s %s answered HTTP %ld%s%s (expected %s)", method,
                       path, status, reason ? ": " : "", reason ? reason : "",
                       expected);
  json_decref(reply);
  return rc;
}

/*
** GET {collection}{h}: 1 known, 0 unknown, -1 dropped.  A 200 whose list
** under `list_key` is empty counts as unknown, as pytest-monitor reads it.
*/
static int remote_lookup(struct pymon_remote *r, const char *collection,
                         const char *h, const char *list_key) {
  char path[256];
  snprintf(path, sizeof path, "/%s/%s", collection, h);
  long status = 0;
  json_t *reply;
  int body_bad;
  if (remote_request(r, "GET", path, NULL, &status, &reply, &body_bad) != 0) {
    return -1;
  }
  if (status == 204) {
    json_decref(reply);
    return 0;
  }
  if (status != 200) {
    return unexpected_status(r, "GET", path, status, reply, "200 or 204");
  }
  if (!json_is_object(reply)) {
    json_decref(reply);
    return drop_remote(r, "GET %s answered 200 without a JSON object%s", path,
                       body_bad ? " (malformed body)" : "");
  }
  json_t *list = json_object_get(reply, list_key);
  int known = !json_is_array(list) || json_array_size(list) > 0;
  json_decref(reply);
  return known;
}

/* POST {collection}; `accept_ok`: 200 ("already present") is fine too. */
static int remote_create(struct pymon_remote *r, const char *collection,
                         json_t *body, int accept_ok) {
  char path[64];
  snprintf(path, sizeof path, "/%s/", collection);
  if (!body) return drop_remote(r, "cannot build the %s body", path);
  long status = 0;
  json_t *reply;
  int body_bad;
  int rc = remote_request(r, "POST", path, body, &status, &reply, &body_bad);
  json_decref(body);
  if (rc != 0) return -1;
  if (status == 201 || (accept_ok && status == 200)) {
    json_decref(reply);
    return 0;
  }
  return unexpected_status(r, "POST", path, status, reply,
                           accept_ok ? "201 or 200" : "201");
}

static int lookup_then_create(struct pymon_remote *r, const char *collection,
                              const char *h, const char *list_key,
                              json_t *body) {
  int known = remote_lookup(r, collection, h, list_key);
  if (known != 0) {
    json_decref(body);
    return known > 0 ? 0 : -1;
  }
  return remote_create(r, collection, body, 1);
}

int pymon_remote_context(struct pymon_remote *r,
                         const struct pymon_context *ctx) {
  if (is_dropped(r)) return -1;
  json_t *body = json_pack(
      "{s:i, s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s}",
      "cpu_count", ctx->cpu_count, "cpu_frequency", ctx->cpu_frequency_mhz,
      "cpu_type", ctx->cpu_type, "cpu_vendor", ctx->cpu_vendor, "ram_total",
      ctx->ram_total_mb, "machine_node", ctx->machine_node, "machine_type",
      ctx->machine_type, "machine_arch", ctx->machine_arch, "system_info",
      ctx->system_info, "python_info", ctx->runtime_info, "h", ctx->env_h);
  return lookup_then_create(r, "contexts", ctx->env_h, "contexts", body);
}

int pymon_remote_session(struct pymon_remote *r,
                         const struct pymon_session *session) {
  if (is_dropped(r)) return -1;
  json_t *description;
  if (session->description_json && *session->description_json) {
    description = json_loads(session->description_json, 0, NULL);
    if (!json_is_object(description)) {
      json_decref(description);
      return drop_remote(r, "the session description is not a JSON object");
    }
  } else {
    description = json_object();
  }
  json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "session_h",
                           session->session_h, "run_date", session->run_date,
                           "scm_ref", session->scm_id, "description",
                           description);
  return lookup_then_create(r, "sessions", session->session_h, "sessions",
                            body);
}

/* jansson cannot encode NaN or infinities; neither means anything here. */
static json_t *json_finite(double v) {
  return json_real(isfinite(v) ? v : 0.0);
}

static const char *or_empty(const char *s) {
  return s ? s : "";
}

int pymon_remote_metrics(struct pymon_remote *r, const struct pymon_metrics *m) {
  if (is_dropped(r)) return -1;
  json_t *body = json_pack(
      "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
      "session_h", or_empty(m->session_h), "context_h", or_empty(m->env_h),
      "item_start_time", m->item_start_time, "item_path",
      or_empty(m->item_path), "item", or_empty(m->item), "item_variant",
      or_empty(m->item_variant), "item_fs_loc", or_empty(m->item_fs_loc),
      "kind", or_empty(m->kind), "component", or_empty(m->component),
      "total_time", json_finite(m->total_time), "user_time",
      json_finite(m->user_time), "kernel_time", json_finite(m->kernel_time),
      "cpu_usage", json_finite(m->cpu_usage), "mem_usage",
      json_finite(m->mem_usage));
  return remote_create(r, "metrics", body, 0);
}

void pymon_remote_close(struct pymon_remote *r) {
  if (!r) return;
  if (r->curl) {
    if (r->owner != getpid()) detach_inherited_sockets(r);
    lib.easy_cleanup(r->curl);
  }
  lib.slist_free_all(r->headers);
  if (r->shared_owned) free(r->shared);
  free(r->reply);
  free(r->base);
  free(r);
}
