/*
** The probe: pymon_enter / pymon_exit, which the compiler plugins call
** around every instrumented function, and the items they open and close.
**
** Function items live on a per-thread stack together with the stack
** pointer of their call, which the probe reads itself (abi.h).  An item
** left by longjmp is ended at the next probe: every item entered below
** the jump's landing point when that is known (jump.c), otherwise when a
** call at or above it is entered or an outer item returns.  Class, module
** and session items are per process: a module item opens when a monitored
** function of that module starts after one of another module, as pytest
** runs modules one after the other.
**
** Every monitored item that is open is on one list; each probe closes a
** measuring segment whose peak memory is folded into all of them.  One
** mutex serialises the probes; a probe costs a few system calls.
**
** How the process ends decides how its open items end: exit() and
** _exit() end them here (outcome exit), abort() and fatal signals note the
** end in the journal for whoever imports it (ends.c), and SIGKILL leaves
** only the last probe's time (docs/robustness.md).
*/
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "measure.h"
#include "naming.h"
#include "probe.h"
#include "pymon/abi.h"
#include "record.h"
#include "runtime.h"
#include "session.h"
#include "warn.h"

#define PYMON_API __attribute__((visibility("default")))
#define MAX_DEPTH 64

enum item_kind { KIND_FUNCTION, KIND_CLASS, KIND_MODULE, KIND_SESSION };
static const char *const kind_names[] = {"function", "class", "module",
                                         "session"};

/* What the runtime works out once per translation unit. */
struct module_cache {
  struct pymon_module_names names;
  char *component;
  int usable;
};

/* ... and once per instrumented function. */
struct site_cache {
  struct module_cache *module;
  const char *item;  /* function name */
  unsigned pushed;   /* pushed_arg_bytes() */
  int usable;
};

struct item {
  enum item_kind kind;
  int monitored;
  uintptr_t sp;            /* function items: caller's stack pointer at enter */
  const char *name;        /* ITEM */
  const char *variant;     /* ITEM_VARIANT */
  const char *path;        /* ITEM_PATH */
  const char *fs_loc;      /* ITEM_FS_LOC */
  const char *component;
  struct module_cache *module;
  const char *suite;
  struct pymon_sample start;
  long peak_kb;
  unsigned journal;                   /* handle of its start in the journal */
  struct item *prev_open, *next_open; /* list of open monitored items */
  char *variant_buf;                  /* reused for parametrized calls */
};

struct thread_stack {
  unsigned depth;
  unsigned overflow; /* calls deeper than MAX_DEPTH, not monitored */
  struct item items[MAX_DEPTH];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct item *open_items;     /* monitored open items, newest first */
static struct item module_item, class_item, session_item;
static pthread_key_t stack_key;
static _Thread_local struct thread_stack *this_thread;
static int started;                  /* probe state set up */

/* The last longjmp of this thread, until the next probe looks at it. */
static _Thread_local struct {
  int pending;
  uintptr_t target_sp; /* stack pointer it lands at; 0: not known */
  struct pymon_sample sample;
} last_jump;
static int finished;                 /* process exiting */
static int sandboxed;                /* sandboxed itself: no system call of ours */
static int exit_hooked;              /* finish_at_exit registered */

/* ------------------------------------------------------------------ */
/* Open items and their memory peaks.                                  */

static void link_open(struct item *it) {
  it->prev_open = NULL;
  it->next_open = open_items;
  if (open_items) open_items->prev_open = it;
  open_items = it;
}

static void unlink_open(struct item *it) {
  if (it->prev_open) it->prev_open->next_open = it->next_open;
  else open_items = it->next_open;
  if (it->next_open) it->next_open->prev_open = it->prev_open;
  it->prev_open = it->next_open = NULL;
}

static void fold_peak(long kb) {
  for (struct item *it = open_items; it; it = it->next_open)
    if (kb > it->peak_kb) {
      it->peak_kb = kb;
      pymon_runtime_peak(it->journal, kb);
    }
}

/* An item that begins right after another ended starts from that end's
** sample (taken with the peak-memory mark reset), so two tests called
** back to back cost one probe between them, not two.  The gap, harness
** code between the tests, then counts toward the new item; beyond
** BOUNDARY_SHARE_SECONDS it is measured as usual. */
#define BOUNDARY_SHARE_SECONDS 20e-6
static struct pymon_sample boundary;
static int boundary_fresh; /* set by item_end, used at most once */

static int start_at_boundary(struct pymon_sample *start, double now) {
  if (!boundary_fresh) return 0;
  boundary_fresh = 0;
  if (now - boundary.monotonic > BOUNDARY_SHARE_SECONDS) return 0;
  *start = boundary;
  start->segment_peak_kb = 0; /* the open segment started at the boundary */
  return 1;
}

/* Start measuring `it` and put it on the open list.  now: a monotonic
** reading with nothing slow since (it decides whether the last end's
** sample is this start). */
static void item_begin(struct item *it, double now) {
  if (!start_at_boundary(&it->start, now)) {
    unsigned what = PYMON_MEASURE_OPEN;
    if (open_items) what |= PYMON_MEASURE_CLOSE;
    pymon_measure_probe(&it->start, what);
    fold_peak(it->start.segment_peak_kb);
  }
  it->peak_kb = 0;
  const struct pymon_item_text text = {it->path, it->name, it->variant, it->fs_loc,
                                       kind_names[it->kind],
                                       it->component ? it->component : ""};
  it->journal = pymon_runtime_begin(&text, &it->start);
  link_open(it);
}

/* Stop measuring `it`, take it off the open list and store its row. */
static void item_end(struct item *it, enum pymon_outcome outcome, int detail) {
  struct pymon_sample end;
  struct pymon_metrics m;

  unlink_open(it);
  it->monitored = 0;
  /* Always start a new segment: the next item may begin from here. */
  pymon_measure_probe(&end, PYMON_MEASURE_CLOSE | PYMON_MEASURE_OPEN);
  boundary = end;
  boundary_fresh = 1;
  fold_peak(end.segment_peak_kb);
  if (end.segment_peak_kb > it->peak_kb) it->peak_kb = end.segment_peak_kb;
  pymon_runtime_alive(&end);
  /* Left by a jump: it ended at the jump, not now. */
  if (outcome == PYMON_OUTCOME_LONGJMP && last_jump.pending &&
      last_jump.sample.monotonic >= it->start.monotonic) {
    end.monotonic = last_jump.sample.monotonic;
    end.user = last_jump.sample.user;
    end.kernel = last_jump.sample.kernel;
  }

  memset(&m, 0, sizeof m);
  m.item_path = it->path;
  m.item = it->name;
  m.item_variant = it->variant;
  m.item_fs_loc = it->fs_loc;
  m.kind = kind_names[it->kind];
  m.component = it->component ? it->component : "";
  m.total_time = end.monotonic - it->start.monotonic;
  if (m.total_time < 0) m.total_time = 0;
  m.user_time = end.user - it->start.user;
  m.kernel_time = end.kernel - it->start.kernel;
  m.cpu_usage = m.total_time > 0
                    ? (m.user_time + m.kernel_time) / m.total_time * 100.0
                    : 0.0;
  m.mem_usage = pymon_kb_to_mb(it->peak_kb);
  m.outcome = outcome;
  m.outcome_detail = detail;
  pymon_runtime_record(&m, &it->start.realtime, it->journal);
}

/* ------------------------------------------------------------------ */
/* First use of a module or site: check the ABI, work out names.       */

static char *resolve_component(const char *own) {
  const struct pymon_config *cfg = pymon_runtime_config();
  const char *value = own ? own : "";
  char *out;
  if (cfg->force_component) return strdup(cfg->force_component);
  if (cfg->component_prefix) {
    if (!*value) return strdup(cfg->component_prefix);
    size_t n = strlen(cfg->component_prefix) + strlen(value) + 2;
    out = malloc(n);
    if (out) snprintf(out, n, "%s.%s", cfg->component_prefix, value);
    return out;
  }
  return strdup(value);
}

static struct module_cache *module_cache_get(struct pymon_module *mod,
                                             const char *function) {
  struct module_cache *mc = mod->runtime_data;
  if (mc) return mc;
  mc = calloc(1, sizeof *mc);
  if (!mc) return NULL;
  if (mod->abi_version != PYMON_ABI_VERSION) {
    pymon_warn("%s (%s) was built by a pymon plugin of ABI version %u, but "
               "this runtime reads version %u: rebuild it with the matching "
               "plugin; its tests are not monitored",
               function, mod->file ? mod->file : "?", mod->abi_version,
               PYMON_ABI_VERSION);
  } else if (pymon_module_names_init(&mc->names, mod->file, mod->compile_dir,
                                     pymon_runtime_invocation_dir()) == 0 &&
             (mc->component = resolve_component(mod->component)) != NULL) {
    mc->usable = 1;
  }
  mod->runtime_data = mc;
  return mc;
}

static int site_params_valid(const struct pymon_site *site) {
  for (uint32_t i = 0; i < site->param_count; i++)
    if (site->params[i].kind < PYMON_ARG_SIGNED ||
        site->params[i].kind > PYMON_ARG_LOOP_INDEX)
      return 0;
  return 1;
}

/* One `monitor_limit:METRIC=VALUE` line into *out; -1 when malformed. */
static int parse_limit(const char *text, size_t len, struct pymon_limit *out) {
  char value[64], *end;
  const char *eq = memchr(text, '=', len);
  if (!eq || (size_t)(text + len - eq - 1) >= sizeof value) return -1;
  for (int i = 0; i < PYMON_LIMIT_METRIC_COUNT; i++) {
    const char *metric = pymon_limit_metrics[i];
    if ((size_t)(eq - text) != strlen(metric) || memcmp(text, metric, strlen(metric)) != 0)
      continue;
    memcpy(value, eq + 1, (size_t)(text + len - eq - 1));
    value[text + len - eq - 1] = '\0';
    errno = 0;
    out->value = strtod(value, &end);
    out->metric = metric;
    return end != value && *end == '\0' && errno == 0 && out->value > 0 &&
                   out->value < 1e300 ? 0 : -1;
  }
  return -1;
}

/* Store the site's limits (also none: older ones go); warn about bad ones. */
static void store_limits(const struct pymon_site *site, const struct site_cache *sc) {
  static const char prefix[] = "monitor_limit:";
  struct pymon_limit limits[PYMON_LIMIT_METRIC_COUNT], one;
  size_t count = 0;
  for (const char *p = site->annotations; p && *p;) {
    size_t len = strcspn(p, "\n");
    if (len >= sizeof prefix - 1 && strncmp(p, prefix, sizeof prefix - 1) == 0) {
      size_t i = 0;
      if (parse_limit(p + sizeof prefix - 1, len - (sizeof prefix - 1), &one) != 0) {
        pymon_warn("%s::%s: ignoring the limit '%.*s': expected "
                   "monitor_limit:METRIC=VALUE, METRIC one of TOTAL_TIME, "
                   "CPU_TIME, MEM_USAGE, CPU_USAGE and VALUE a positive number",
                   sc->module->names.item_path, sc->item, (int)len, p);
      } else {
        while (i < count && limits[i].metric != one.metric) i++;
        limits[i] = one; /* the last one given for a metric counts */
        if (i == count) count++;
      }
    }
    p += len + (p[len] == '\n');
  }
  pymon_runtime_limits(sc->module->names.item_path, sc->item, limits, count);
}

/* How far pymon_enter_args's caller lowered its stack pointer to push
** the site's arguments.  GCC pushes those that do not fit in registers
** (x86-64: six for integers and pointers, the site among them, and eight
** for doubles); a caller that stores them instead (Clang) is then placed a
** little higher than it is, which only delays noticing a jump over it. */
static unsigned pushed_arg_bytes(const struct pymon_site *site) {
#if defined(__x86_64__)
  unsigned gp = 1, sse = 0, stack = 0;
  for (uint32_t i = 0; i < site->param_count; i++)
    if (site->params[i].kind == PYMON_ARG_FLOAT ? ++sse > 8 : ++gp > 6)
      stack += 8;
  return (stack + 15) & ~15u;
#else
  (void)site;
  return 0;
#endif
}

static struct site_cache *site_cache_get(struct pymon_site *site) {
  struct site_cache *sc = site->runtime_data;
  if (sc) return sc;
  sc = calloc(1, sizeof *sc);
  if (!sc) return NULL;
  sc->item = site->function ? site->function : "?";
  if (site->abi_version != PYMON_ABI_VERSION || !site->module) {
    pymon_warn("%s was built by a pymon plugin of ABI version %u, but this "
               "runtime reads version %u: rebuild it with the matching "
               "plugin; it is not monitored",
               sc->item, site->abi_version, PYMON_ABI_VERSION);
  } else if (!site_params_valid(site)) {
    pymon_warn("%s: unknown parameter kind in its pymon descriptor; it is "
               "not monitored", sc->item);
  } else if (pymon_runtime_start(site->module->compiler)) {
    sc->module = module_cache_get(site->module, sc->item);
    sc->usable = sc->module && sc->module->usable;
    sc->pushed = pushed_arg_bytes(site);
    if (sc->usable) store_limits(site, sc);
  }
  /* Published last: pymon_enter reads it without the lock. */
  __atomic_store_n(&site->runtime_data, sc, __ATOMIC_RELEASE);
  return sc;
}

/* ------------------------------------------------------------------ */
/* Scope items (class, module, session).                               */

static void scope_end(struct item *it) {
  if (it->monitored) item_end(it, PYMON_OUTCOME_RETURNED, 0);
}

static void scope_begin(struct item *it, enum item_kind kind, const char *name,
                        const char *variant, const char *path,
                        const char *fs_loc, struct module_cache *mc,
                        const char *suite) {
  it->kind = kind;
  it->name = name;
  it->variant = variant;
  it->path = path;
  it->fs_loc = fs_loc;
  it->module = mc;
  it->suite = suite;
  it->component = mc ? mc->component : NULL;
  it->monitored = 1;
  item_begin(it, pymon_measure_monotonic());
}

/* Make the module and class items match the function about to run. */
static void enter_scopes(struct module_cache *mc, const char *suite) {
  unsigned scopes = pymon_runtime_config()->restrict_scope;
  int module_changes = !module_item.monitored || module_item.module != mc;
  int class_stays = class_item.monitored && class_item.module == mc &&
                    suite && strcmp(suite, class_item.suite) == 0;

  if ((scopes & PYMON_SCOPE_CLASS) && !class_stays) scope_end(&class_item);
  if ((scopes & PYMON_SCOPE_MODULE) && module_changes) {
    scope_end(&module_item);
    scope_begin(&module_item, KIND_MODULE, mc->names.module_item, "",
                mc->names.parent_path, mc->names.fs_loc, mc, NULL);
  }
  if ((scopes & PYMON_SCOPE_CLASS) && !class_stays && suite)
    scope_begin(&class_item, KIND_CLASS, suite, suite, mc->names.item_path,
                mc->names.fs_loc, mc, suite);
}

static const char *program_name(void) {
  static char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return "";
  path[n] = '\0';
  return path;
}

/* The session item runs from the program's start: its clock starts in a
** constructor and its peak includes everything before the first test. */
static struct pymon_sample process_start;
static long process_peak_before_kb;
static void before_fork(void);
static void after_fork_parent(void);
static void after_fork_child(void);

/*
** The process whose items these are.  A child made by vfork (or clone
** with shared memory) runs in our memory without the fork handlers; when
** it ends by _exit or a signal, its end is not ours.
*/
static pid_t own_pid;

static int in_own_process(void) { return getpid() == own_pid; }

/*
** A child made by clone() without shared memory and without the fork
** handlers (a raw fork, as tests of namespaces and containers make) would
** write the parent's journal and use its database connection: rows were
** lost.  The kernel empties this page in any such child
** (MADV_WIPEONFORK), so the next probe sees a copy with one read and makes
** it a process of its own, as the fork handlers would have.
*/
#define MARK_PAGE 4096
enum { MARK_COPY = 0, MARK_OWN = 1, MARK_ADOPTING = 2 };
static _Atomic unsigned char *process_mark; /* NULL: not available here */

static void mark_own_process(void) {
  if (process_mark) atomic_store(process_mark, MARK_OWN);
}

static void watch_for_copies(void) {
  void *page = mmap(NULL, MARK_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return;
  if (madvise(page, MARK_PAGE, MADV_WIPEONFORK) != 0) {
    munmap(page, MARK_PAGE);
    return;
  }
  process_mark = page;
  mark_own_process();
}

/* A copy not adopted yet: nothing of pymon's is its own.  Async-signal-safe. */
static int in_unadopted_copy(void) {
  return process_mark && atomic_load_explicit(process_mark, memory_order_relaxed) != MARK_OWN;
}

static void become_child(int by_fork);

/* Make an unadopted copy its own process, once. */
static void adopt_copy(void) {
  unsigned char copy = MARK_COPY;
  if (!in_unadopted_copy()) return;
  if (atomic_compare_exchange_strong(process_mark, &copy, MARK_ADOPTING))
    become_child(0);
  else
    while (atomic_load(process_mark) == MARK_ADOPTING) sched_yield();
}

__attribute__((constructor)) static void note_process_start(void) {
  own_pid = getpid();
  watch_for_copies();
  process_peak_before_kb = pymon_measure_init();
  pymon_measure_probe(&process_start, 0);
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

static void session_begin(long peak_before_kb) {
  static struct pymon_module_names names;
  const char *exe = program_name();
  if (pymon_module_names_init(&names, exe, "/",
                              pymon_runtime_invocation_dir()) != 0)
    return;
  const char *base = strrchr(exe, '/');
  base = base ? base + 1 : exe;
  session_item.kind = KIND_SESSION;
  session_item.name = base;
  session_item.variant = base;
  session_item.path = "";
  session_item.fs_loc = names.fs_loc;
  session_item.component = NULL;
  session_item.start = process_start;
  session_item.peak_kb = peak_before_kb;
  session_item.monitored = 1;
  link_open(&session_item);
}

/* ------------------------------------------------------------------ */
/* Process life: exit, fork, thread stacks.                            */

/* End every open item: functions with this outcome, scopes too unless the
** process exits (then they simply ran until now).  Lock held. */
static void end_open_items(enum pymon_outcome outcome, int detail) {
  for (struct item *it = open_items; it; it = open_items) {
    if (it->kind == KIND_FUNCTION || outcome != PYMON_OUTCOME_EXIT)
      item_end(it, outcome, detail);
    else
      item_end(it, PYMON_OUTCOME_RETURNED, 0);
  }
}

/* Take the lock to end the process's items, unless that is unsafe here
** (inside a signal handler, or the lock stays held by another thread). */
static int lock_for_end(void) {
  struct timespec limit;
  if (!pymon_ordinary_context()) return 0;
  clock_gettime(CLOCK_REALTIME, &limit);
  limit.tv_sec += 1;
  return pthread_mutex_timedlock(&lock, &limit) == 0;
}

void pymon_probe_process_end(enum pymon_outcome outcome, int detail) {
  adopt_copy();
  if (sandboxed || !started || !in_own_process()) return;
  int saved = errno;
  if (lock_for_end()) {
    if (!finished) {
      finished = 1;
      end_open_items(outcome, detail);
      pymon_runtime_finish();
    }
    pthread_mutex_unlock(&lock);
  } else {
    pymon_probe_note_end(outcome, detail);
  }
  errno = saved;
}

/* May this process note an end in its journal?  Async-signal-safe. */
static int may_note_end(void) {
  return !sandboxed && !in_unadopted_copy() && started && in_own_process();
}

void pymon_probe_note_end(enum pymon_outcome outcome, int detail) {
  struct pymon_sample now;
  if (!may_note_end()) return;
  pymon_measure_now(&now);
  pymon_journal_note_end(outcome, detail, &now);
}

void pymon_probe_exec_failed(void) {
  if (may_note_end()) pymon_journal_take_back_end(PYMON_OUTCOME_EXEC);
}

/* exit() or a return from main: the exit status is known when exit()
** was called (ends.c); other items ran until the end. */
static void finish_at_exit(void) {
  if (sandboxed) return;
  if (started) {
    pymon_probe_process_end(PYMON_OUTCOME_EXIT, pymon_exit_status());
  } else if (pymon_ordinary_context()) {
    pymon_runtime_recover_children();
  }
}

static void hook_exit(void) {
  if (!exit_hooked) {
    exit_hooked = 1;
    atexit(finish_at_exit);
  }
}

static void before_fork(void) {
  adopt_copy();
  pthread_mutex_lock(&lock);
  pymon_runtime_before_fork();
  boundary_fresh = 0; /* a child's CPU times start from zero */
}

static void after_fork_parent(void) {
  pymon_runtime_after_fork_parent();
  hook_exit(); /* to import what the child leaves, even if we monitor nothing */
  pthread_mutex_unlock(&lock);
}

/* The child records only items it opens itself.  by_fork: the parent
** ran its fork handlers too (and so stores what the child leaves). */
static void become_child(int by_fork) {
  if (!sandboxed) { /* else so is the child: no call of ours */
    own_pid = getpid();
    while (open_items) {
      open_items->monitored = 0;
      unlink_open(open_items);
    }
    (void)pymon_measure_init(); /* /proc/self of the parent otherwise */
    pymon_runtime_after_fork_child(by_fork);
  }
  pthread_mutex_init(&lock, NULL);
  mark_own_process();
}

static void after_fork_child(void) { become_child(1); }

/* End the thread's calls above the first keep, innermost first. */
static void end_above(struct thread_stack *ts, unsigned keep, enum pymon_outcome outcome) {
  while (ts->depth > keep) {
    struct item *old = &ts->items[--ts->depth];
    if (old->monitored && !finished) item_end(old, outcome, 0);
  }
}

/* Calls left by a jump (or an unseen way out) without their exit. */
static void end_left(struct thread_stack *ts, unsigned keep) {
  end_above(ts, keep, PYMON_OUTCOME_LONGJMP);
}

/* A jump whose landing point is known left every call entered below it. */
static void end_jumped_over(struct thread_stack *ts) {
  unsigned k = ts->depth;
  if (!last_jump.pending || !last_jump.target_sp) return;
  while (k > 0 && ts->items[k - 1].sp < last_jump.target_sp) k--;
  end_left(ts, k);
}

/* At the thread's end: the tests it was in (it called pthread_exit, or was
** cancelled) end so, before their items go. */
static void free_thread_stack(void *p) {
  struct thread_stack *ts = p;
  if (ts->depth > 0) {
    pthread_mutex_lock(&lock);
    end_above(ts, 0, PYMON_OUTCOME_THREAD_EXIT);
    pthread_mutex_unlock(&lock);
  }
  for (unsigned i = 0; i < MAX_DEPTH; i++) free(ts->items[i].variant_buf);
  free(ts);
}

static struct thread_stack *thread_stack(void) {
  if (this_thread) return this_thread;
  this_thread = calloc(1, sizeof *this_thread);
  if (this_thread) pthread_setspecific(stack_key, this_thread);
  return this_thread;
}

/* Called with the lock held, on the first monitored item. */
static void probe_start(void) {
  started = 1;
  pthread_key_create(&stack_key, free_thread_stack);
  hook_exit();
  pymon_jump_init();
  pymon_signals_install();
  if (pymon_runtime_config()->restrict_scope & PYMON_SCOPE_SESSION)
    session_begin(process_peak_before_kb);
}

/* ------------------------------------------------------------------ */
/* The entry points.                                                   */

/* A site's cache never changes once published, so only its first use
** takes the lock here; the probe then takes it once per call. */
static struct site_cache *site_cache(struct pymon_site *site) {
  struct site_cache *sc = __atomic_load_n(&site->runtime_data, __ATOMIC_ACQUIRE);
  if (sc) return sc;
  pthread_mutex_lock(&lock);
  sc = site_cache_get(site);
  if (sc && sc->usable && !started) probe_start();
  pthread_mutex_unlock(&lock);
  return sc;
}

/* Should this call be monitored?  Runs the user's condition, so it is
** called without the lock (a condition may call instrumented code). */
static int wants_monitoring(const struct pymon_site *site) {
  int monitored = !(site->module->flags & PYMON_MODULE_SKIP_BY_DEFAULT);
  if (site->flags & PYMON_SITE_FORCE)
    monitored = site->condition ? site->condition() != 0 : 1;
  if ((site->flags & PYMON_SITE_SKIP_IF) && site->condition &&
      site->condition())
    monitored = 0;
  return monitored;
}

/* SP: the caller's stack pointer at the call; ARGS: the variant's. */
static void enter(struct pymon_site *site, uintptr_t sp, va_list *args) {
  struct thread_stack *ts;
  struct site_cache *sc;

  adopt_copy();
  if (!pymon_runtime_enabled() || !site) return;
  sc = site_cache(site);
  int usable = sc && sc->usable;
  /* A site that cannot be monitored still gets its item, unmonitored,
  ** for pymon_exit to end; until anything is monitored none is needed. */
  if ((!usable && !started) || !(ts = thread_stack())) return;
  if (usable && args) sp += sc->pushed; /* the caller's SP before pushing */

  int monitored = usable && wants_monitoring(site);
  pthread_mutex_lock(&lock);
  if (finished || !pymon_runtime_enabled()) {
    pthread_mutex_unlock(&lock);
    return;
  }
  double now = pymon_measure_monotonic();
  if (pymon_runtime_tick(now)) now = pymon_measure_monotonic(); /* it stored rows */
  end_jumped_over(ts);
  /* A call at or above this one has certainly ended. */
  while (ts->depth > 0 && ts->items[ts->depth - 1].sp <= sp)
    end_left(ts, ts->depth - 1);
  if (ts->depth == MAX_DEPTH) {
    ts->overflow++;
    pthread_mutex_unlock(&lock);
    return;
  }
  struct item *it = &ts->items[ts->depth++];
  it->kind = KIND_FUNCTION;
  it->sp = sp;
  it->monitored = 0;
  if (monitored) {
    it->module = sc->module;
    it->suite = site->suite;
    const struct pymon_config *cfg = pymon_runtime_config();
    enter_scopes(it->module, it->suite);
    if (cfg->restrict_scope & PYMON_SCOPE_FUNCTION) {
      it->name = sc->item;
      it->variant = sc->item;
      if (args && site->param_count > 0 &&
          (it->variant_buf ||
           (it->variant_buf = malloc(PYMON_VARIANT_MAX + 1)))) {
        pymon_format_variant(it->variant_buf, PYMON_VARIANT_MAX + 1, site,
                             sc->item, cfg->parametrization_explicit, *args);
        it->variant = it->variant_buf;
      }
      it->path = sc->module->names.item_path;
      it->fs_loc = sc->module->names.fs_loc;
      it->component = sc->module->component;
      it->monitored = 1;
      item_begin(it, now);
    }
  }
  last_jump.pending = 0;
  pthread_mutex_unlock(&lock);
}

/*
** The caller's stack pointer at the call is the callee's CFA.  The entry
** points keep errno (the test and its caller may look at it) and are not
** cancellation points: a cancellation acted on in their system calls
** would unwind the thread with the lock held.
*/
struct entry_state {
  int saved_errno, cancel_state; /* -1: left alone (monitoring is off) */
};

static struct entry_state entry_begin(void) {
  struct entry_state e = {errno, -1};
  if (pymon_runtime_enabled()) pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &e.cancel_state);
  return e;
}

static void entry_end(struct entry_state e) {
  if (e.cancel_state >= 0) pthread_setcancelstate(e.cancel_state, NULL);
  errno = e.saved_errno;
}

PYMON_API void pymon_enter(struct pymon_site *site) {
  struct entry_state e = entry_begin();
  enter(site, (uintptr_t)__builtin_dwarf_cfa(), NULL);
  entry_end(e);
}

PYMON_API void pymon_enter_args(struct pymon_site *site, ...) {
  struct entry_state e = entry_begin();
  va_list args;
  va_start(args, site);
  enter(site, (uintptr_t)__builtin_dwarf_cfa(), &args);
  va_end(args);
  entry_end(e);
}

/* Ends the innermost call entered on this thread and still running: the
** outermost item entered at or below the caller's stack pointer SP (at or
** above its own when pymon_exit is a tail call), or, after an alloca
** left it below, the innermost item.  Items above it were left without
** their exit (a longjmp whose landing point is not known, an exception
** through a frame without cleanups). */
static void exit_innermost(uintptr_t sp) {
  struct thread_stack *ts = this_thread;
  if (!ts) return;
  adopt_copy();
  pthread_mutex_lock(&lock);
  /* A call entered too deep to be kept exits below the deepest kept. */
  if (ts->overflow > 0 && ts->depth == MAX_DEPTH &&
      sp < ts->items[MAX_DEPTH - 1].sp) {
    ts->overflow--;
    pthread_mutex_unlock(&lock);
    return;
  }
  end_jumped_over(ts);
  if (ts->depth > 0) {
    unsigned k = 0;
    while (k < ts->depth && ts->items[k].sp > sp) k++;
    if (k == ts->depth) k--;
    end_left(ts, k + 1);
    struct item *it = &ts->items[--ts->depth];
    if (it->monitored && !finished) item_end(it, PYMON_OUTCOME_RETURNED, 0);
  }
  last_jump.pending = 0;
  /* An item that just ended has read the clock. */
  if (!finished)
    pymon_runtime_tick(boundary_fresh ? boundary.monotonic : pymon_measure_monotonic());
  pthread_mutex_unlock(&lock);
}

PYMON_API void pymon_exit(void) {
  struct entry_state e = entry_begin();
  exit_innermost((uintptr_t)__builtin_dwarf_cfa());
  entry_end(e);
}

void pymon_probe_note_jump(uintptr_t target_sp) {
  /* Only a jump out of a monitored item matters; no lock may be taken. */
  if (!sandboxed && !in_unadopted_copy() && this_thread && this_thread->depth > 0) {
    pymon_measure_probe(&last_jump.sample, 0);
    last_jump.target_sp = target_sp;
    last_jump.pending = 1;
  }
}

/*
** Before the process sandboxes itself (sandbox.c): its items end here and
** their rows are stored while every call is allowed; then monitoring is
** off for good and the signal handlers go, which would make calls of
** their own before the signal acts.
*/
void pymon_probe_sandbox(void) {
  adopt_copy();
  /* A child made by vfork restricts only itself, in our memory. */
  if (sandboxed || !in_own_process()) return;
  pymon_probe_process_end(PYMON_OUTCOME_SANDBOXED, 0);
  pymon_runtime_disable();
  pymon_signals_uninstall();
  sandboxed = 1;
}
