/*
** The journal file (see journal.h and docs/robustness.md).
**
** The file is mapped shared, so a record costs a memory copy and no system
** call, and whatever was written survives the process however it dies
** (SIGKILL included; not a machine crash).  Layout: a header page, then
** two regions.  Records are appended to the active region and published
** by one atomic store of `state` (generation, region, tail); after each
** import the still-open items' start records are copied to the other
** region and the state switches to it in one store, so the file never
** grows and a crash at any point leaves a consistent view.
**
** Exactly-once: every import writes, in the same SQLite transaction as
** the rows, how far it got (PYMON_JOURNALS: generation and offset), and
** whoever imports a dead journal starts from there.  The owner holds an
** flock on its journal for its whole life; a journal whose lock is free
** and whose process (pid and start time, from the file name) is gone is
** dead, and is imported under that same lock by exactly one process.
**
** An importer process (importer.h) may do the owner's imports: the owner
** hands it a finished range of the active region (`handed`) and switches
** to the other region at once; the importer stores the range and says so
** in `done`.  A region is written again only after its handed range is
** done, so recovery finds a range that was handed but not done intact.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fds.h"
#include "journal.h"
#include "utc.h"

#define MAGIC "PYMONJ1"
#define VERSION 2u /* 2: the handed range */
#define HEADER_SIZE 4096u
#define REGION_SIZE (1u << 20)
#define FILE_SIZE (HEADER_SIZE + 2u * REGION_SIZE)
#define FIRST_BLOCKS (64u * 1024) /* of region 0 reserved at once: ~250 rows */
#define DIR_SUFFIX ".pymon-journal"
#define TAIL_BITS 24 /* REGION_SIZE < 2^24 */
/* Its process ran with PYMON_ONLY_PASSED: whoever imports it does the same. */
#define JOURNAL_ONLY_PASSED 1u

enum record_type { REC_BEGIN = 0x42474e31, REC_END = 0x454e4431, REC_LIMITS = 0x4c494d31 };
enum { TEXT_PATH, TEXT_ITEM, TEXT_VARIANT, TEXT_FS_LOC, TEXT_KIND, TEXT_COMPONENT, TEXT_COUNT };

struct point {
  double monotonic, user, kernel;
  int64_t peak_kb;
};

struct header {
  char magic[8];
  uint32_t version, region_size;
  char id[64];
  char session_h[40], env_h[40];
  _Atomic uint64_t state; /* generation << 25 | region << 24 | tail */
  struct point last;      /* heartbeat: the last probe */
  _Atomic int32_t end_kind; /* 0, or outcome + 1: how the process ended */
  int32_t end_detail;
  struct point end;
  uint32_t handed_from;     /* the handed range starts here ... */
  uint32_t flags;           /* JOURNAL_ONLY_PASSED */
  _Atomic uint64_t handed;  /* ... and ends at this state; 0: none */
  _Atomic uint64_t done;    /* the last handed state stored */
  /* Its EXECUTION_CONTEXTS row, for whoever imports it (zeroes in older
  ** journals): a forked child leaves even that to its parent. */
  struct pymon_context context;
};
_Static_assert(sizeof(struct header) <= HEADER_SIZE, "the header fits its page");

struct record {
  uint32_t size; /* whole record, a multiple of 8 */
  uint32_t type;
};

struct begin_record {
  struct record r;
  int64_t realtime_sec, realtime_nsec;
  struct point start;   /* peak_kb: the item's peak so far (updated) */
  uint32_t len[TEXT_COUNT];
  uint32_t pad;
  /* the texts follow, each NUL-terminated */
};

struct end_record {
  struct record r;
  uint32_t begin; /* offset of the begin record in the region */
  int32_t outcome, detail;
  uint32_t pad;
  double total, user, kernel, cpu, mem;
};

struct limits_record {
  struct record r;
  uint32_t count, path_len, item_len, pad;
  /* count struct limit_entry, then path and item, NUL-terminated */
};

struct limit_entry {
  double value;
  uint32_t metric; /* index in pymon_limit_metrics */
  uint32_t pad;
};

#define FREE_SLOT UINT32_MAX

struct pymon_journal {
  int fd;
  long pid; /* the owner */
  dev_t dev;
  ino_t ino;
  char *path, *dir; /* path absolute once made: the program may chdir */
  unsigned char *map;
  struct header *h;
  uint64_t generation;
  unsigned region;
  uint32_t tail, imported;
  uint32_t reserved[2];  /* bytes of each region with blocks on disk */
  size_t waiting;        /* end records since the last import */
  size_t batch_rows;     /* ... that make an import due */
  double last_import;    /* monotonic */
  uint32_t *slots;       /* handle - 1 -> begin record offset, or FREE_SLOT */
  uint32_t *moved;       /* scratch for copying */
  unsigned slot_count, slot_cap, free_hint;
};

/* The journal a fatal signal notes the end in. */
static _Atomic(struct header *) live_header;

static uint64_t pack_state(uint64_t generation, unsigned region, uint32_t tail) {
  return generation << (TAIL_BITS + 1) | (uint64_t)region << TAIL_BITS | tail;
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

static unsigned char *region_base(unsigned char *map, unsigned region) {
  return map + HEADER_SIZE + (size_t)region * REGION_SIZE;
}

static void to_point(struct point *p, const struct pymon_sample *s) {
  p->monotonic = s->monotonic;
  p->user = s->user;
  p->kernel = s->kernel;
  p->peak_kb = s->segment_peak_kb;
}

static char *joined(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s%s%s", a, b, c);
  return s;
}

static char *journal_dir(const char *db_path) {
  if (!db_path || !*db_path || strcmp(db_path, ":memory:") == 0) return NULL;
  return joined(db_path, DIR_SUFFIX, "");
}

int pymon_journal_dir_exists(const char *db_path) {
  struct stat sb;
  char *dir = journal_dir(db_path);
  int exists = dir && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
  free(dir);
  return exists;
}

/* State and start time (clock ticks after boot) of a process; -1 if gone. */
static int process_identity(long pid, char *state, unsigned long long *start) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = '\0';
  const char *p = strrchr(buf, ')'); /* the name may hold anything */
  if (!p || sscanf(p + 1, " %c", state) != 1) return -1;
  for (int field = 3; field <= 22; field++) { /* to field 22: starttime */
    p = strchr(p + 1, ' ');
    if (!p) return -1;
  }
  *start = strtoull(p + 1, NULL, 10);
  return 0;
}

/* Is the process that made journal `name` (<pid>-<start>-<nonce>) alive?
** It may have closed our descriptor, or exec'd: then its lock is free.
** This very process made it if it is the journal it writes, or one an
** image of it left before an exec: that image has ended. */
static int owner_alive(const char *name) {
  char state;
  long pid;
  unsigned long long start, now_start;
  if (sscanf(name, "%ld-%llu-", &pid, &start) != 2 || pid <= 0) return 0;
  if (process_identity(pid, &state, &now_start) != 0) return 0;
  if (now_start != start || state == 'Z' || state == 'X') return 0;
  if (pid != (long)getpid()) return 1;
  const struct header *own = atomic_load(&live_header);
  return own && strcmp(own->id, name) == 0;
}

/* ------------------------------------------------------------------ */
/* Writing (the owner, serialised by the probe's lock).                */

static void publish(struct pymon_journal *j, uint32_t size) {
  j->tail += size;
  atomic_store_explicit(&j->h->state, pack_state(j->generation, j->region, j->tail),
                        memory_order_release);
}

/*
** Blocks on disk for the first `end` bytes of a region before anything is
** written there, so a full disk never turns a write into SIGBUS: twice
** what it had, so a short process frees little at its end.  By path: the
** program may have closed our descriptor.  0, or -1 when there is no room.
*/
static int reserve_blocks(struct pymon_journal *j, unsigned region, size_t end) {
  if (end <= j->reserved[region]) return 0;
  size_t want = j->reserved[region] ? 2 * (size_t)j->reserved[region] : FIRST_BLOCKS;
  while (want < end) want *= 2;
  if (want > REGION_SIZE) want = REGION_SIZE;
  struct stat sb;
  int fd = open(j->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return -1;
  /* Only our file: the path may have been removed and made again. */
  int rc = fstat(fd, &sb) != 0 || sb.st_dev != j->dev || sb.st_ino != j->ino
               ? -1
               : posix_fallocate(fd, (off_t)(HEADER_SIZE + (size_t)region * REGION_SIZE),
                                 (off_t)want);
  close(fd);
  if (rc != 0) return -1;
  j->reserved[region] = (uint32_t)want;
  return 0;
}

static void *reserve(struct pymon_journal *j, size_t size) {
  if (j->tail + size > REGION_SIZE || reserve_blocks(j, j->region, j->tail + size) != 0)
    return NULL;
  return region_base(j->map, j->region) + j->tail;
}

static unsigned new_slot(struct pymon_journal *j) {
  for (unsigned i = j->free_hint; i < j->slot_count; i++)
    if (j->slots[i] == FREE_SLOT) return j->free_hint = i + 1, i + 1;
  if (j->slot_count == j->slot_cap) {
    unsigned cap = j->slot_cap ? 2 * j->slot_cap : 64;
    uint32_t *slots = realloc(j->slots, cap * sizeof *slots);
    if (!slots) return 0;
    j->slots = slots;
    uint32_t *moved = realloc(j->moved, cap * sizeof *moved);
    if (!moved) return 0;
    j->moved = moved;
    j->slot_cap = cap;
  }
  j->free_hint = j->slot_count + 1;
  return ++j->slot_count;
}

static void free_slot(struct pymon_journal *j, unsigned handle) {
  j->slots[handle - 1] = FREE_SLOT;
  if (handle - 1 < j->free_hint) j->free_hint = handle - 1;
  while (j->slot_count > 0 && j->slots[j->slot_count - 1] == FREE_SLOT)
    j->slot_count--;
}

unsigned pymon_journal_begin(struct pymon_journal *j,
                             const struct pymon_item_text *text,
                             const struct pymon_sample *start) {
  const char *texts[TEXT_COUNT] = {text->item_path, text->item, text->item_variant,
                                   text->item_fs_loc, text->kind, text->component};
  size_t lens[TEXT_COUNT], size = sizeof(struct begin_record);
  for (int i = 0; i < TEXT_COUNT; i++) {
    if (!texts[i]) texts[i] = "";
    lens[i] = strlen(texts[i]);
    size += lens[i] + 1;
  }
  size = round8(size);
  struct begin_record *b = reserve(j, size);
  if (!b) return 0;
  unsigned handle = new_slot(j);
  if (!handle) return 0;
  b->r.size = (uint32_t)size;
  b->r.type = REC_BEGIN;
  b->realtime_sec = start->realtime.tv_sec;
  b->realtime_nsec = start->realtime.tv_nsec;
  to_point(&b->start, start);
  b->start.peak_kb = 0;
  char *out = (char *)(b + 1);
  for (int i = 0; i < TEXT_COUNT; i++) {
    b->len[i] = (uint32_t)lens[i];
    memcpy(out, texts[i], lens[i] + 1);
    out += lens[i] + 1;
  }
  j->slots[handle - 1] = j->tail;
  publish(j, (uint32_t)size);
  return handle;
}

static struct begin_record *slot_record(struct pymon_journal *j, unsigned handle) {
  if (handle == 0 || handle > j->slot_count || j->slots[handle - 1] == FREE_SLOT)
    return NULL;
  return (struct begin_record *)(region_base(j->map, j->region) + j->slots[handle - 1]);
}

void pymon_journal_peak(struct pymon_journal *j, unsigned handle, long peak_kb) {
  struct begin_record *b = slot_record(j, handle);
  if (b && peak_kb > b->start.peak_kb) b->start.peak_kb = peak_kb;
}

int pymon_journal_end(struct pymon_journal *j, unsigned handle,
                      const struct pymon_metrics *m) {
  if (!slot_record(j, handle)) return -1;
  struct end_record *e = reserve(j, sizeof *e);
  if (!e) {
    /* Out of room: the row goes directly; the start must not look open. */
    slot_record(j, handle)->r.type = REC_END ^ REC_BEGIN;
    free_slot(j, handle);
    return -1;
  }
  e->r.size = sizeof *e;
  e->r.type = REC_END;
  e->begin = j->slots[handle - 1];
  e->outcome = (int32_t)m->outcome;
  e->detail = m->outcome_detail;
  e->pad = 0;
  e->total = m->total_time;
  e->user = m->user_time;
  e->kernel = m->kernel_time;
  e->cpu = m->cpu_usage;
  e->mem = m->mem_usage;
  publish(j, sizeof *e);
  free_slot(j, handle);
  j->waiting++;
  return 0;
}

static int metric_index(const char *metric) {
  for (int i = 0; i < PYMON_LIMIT_METRIC_COUNT; i++)
    if (strcmp(metric, pymon_limit_metrics[i]) == 0) return i;
  return -1;
}

int pymon_journal_limits(struct pymon_journal *j, const char *item_path,
                         const char *item, const struct pymon_limit *limits,
                         size_t count) {
  size_t path_len = strlen(item_path), item_len = strlen(item);
  size_t size = round8(sizeof(struct limits_record) +
                       count * sizeof(struct limit_entry) + path_len + item_len + 2);
  struct limits_record *l = reserve(j, size);
  if (!l) return -1;
  l->r.size = (uint32_t)size;
  l->r.type = REC_LIMITS;
  l->count = (uint32_t)count;
  l->path_len = (uint32_t)path_len;
  l->item_len = (uint32_t)item_len;
  l->pad = 0;
  struct limit_entry *e = (struct limit_entry *)(l + 1);
  for (size_t i = 0; i < count; i++) {
    int metric = metric_index(limits[i].metric);
    if (metric < 0) return -1;
    e[i].value = limits[i].value;
    e[i].metric = (uint32_t)metric;
    e[i].pad = 0;
  }
  char *text = (char *)(e + count);
  memcpy(text, item_path, path_len + 1);
  memcpy(text + path_len + 1, item, item_len + 1);
  publish(j, (uint32_t)size);
  j->waiting++;
  return 0;
}

void pymon_journal_heartbeat(struct pymon_journal *j, const struct pymon_sample *now) {
  to_point(&j->h->last, now);
}

void pymon_journal_batch_rows(struct pymon_journal *j, size_t rows) { j->batch_rows = rows; }

void pymon_journal_no_import_before(struct pymon_journal *j, double now) {
  j->last_import = now;
}

int pymon_journal_due(const struct pymon_journal *j, double now) {
  if (j->waiting == 0) return 0;
  return j->waiting >= j->batch_rows || j->tail > REGION_SIZE / 2 ||
         now - j->last_import >= PYMON_JOURNAL_BATCH_SECONDS;
}

void pymon_journal_note_end(enum pymon_outcome outcome, int detail,
                            const struct pymon_sample *now) {
  struct header *h = atomic_load(&live_header);
  int32_t none = 0;
  if (!h) return;
  /* Write the point first: a reader looks at it only once end_kind is set,
  ** and only the first of several dying threads gets to set it. */
  if (atomic_load(&h->end_kind) != 0) return;
  struct point p;
  to_point(&p, now);
  h->end = p;
  h->end_detail = detail;
  atomic_compare_exchange_strong(&h->end_kind, &none, (int32_t)outcome + 1);
}

void pymon_journal_take_back_end(enum pymon_outcome outcome) {
  struct header *h = atomic_load(&live_header);
  int32_t kind = (int32_t)outcome + 1;
  if (h) atomic_compare_exchange_strong(&h->end_kind, &kind, 0);
}

/* ------------------------------------------------------------------ */
/* Reading and importing (the owner, or whoever recovers a journal).   */

struct view {
  const unsigned char *base; /* the active region */
  uint32_t tail;
  const struct header *h;
  long pid;
};

/* The record at off, checked against the tail; NULL if malformed. */
static const struct record *record_at(const struct view *v, uint32_t off) {
  if (off % 8 || (size_t)off + sizeof(struct record) > v->tail) return NULL;
  const struct record *r = (const struct record *)(v->base + off);
  if (r->size < sizeof *r || r->size % 8 || (size_t)off + r->size > v->tail) return NULL;
  return r;
}

/* Point texts[] into a begin record; -1 if its texts do not fit it. */
static int begin_texts(const struct begin_record *b, const char *texts[TEXT_COUNT]) {
  size_t avail = b->r.size - sizeof *b;
  const char *p = (const char *)(b + 1);
  if (b->r.size < sizeof *b) return -1;
  for (int i = 0; i < TEXT_COUNT; i++) {
    if ((size_t)b->len[i] + 1 > avail || p[b->len[i]] != '\0') return -1;
    texts[i] = p;
    p += b->len[i] + 1;
    avail -= (size_t)b->len[i] + 1;
  }
  return 0;
}

static const struct begin_record *begin_at(const struct view *v, uint32_t off,
                                           const char *texts[TEXT_COUNT]) {
  const struct record *r = record_at(v, off);
  if (!r || r->type != REC_BEGIN) return NULL;
  const struct begin_record *b = (const struct begin_record *)r;
  return begin_texts(b, texts) == 0 ? b : NULL;
}

/* ITEM_START_TIME as pymon_format_utc writes it, the date part kept from
** the previous row of the same second (strftime is a good part of a
** row's import).  Callers hold the store. */
static void format_start(char out[40], int64_t sec, int64_t nsec) {
  static int64_t cached_sec = -1;
  static char cached[40];
  if (sec != cached_sec) {
    pymon_format_utc(cached, (long long)sec, 0);
    cached_sec = sec;
  }
  size_t n = strlen(cached);
  memcpy(out, cached, n + 1);
  long micro = (long)(nsec / 1000);
  if (micro <= 0 || micro >= 1000000 || n + 8 > 40) return;
  out[n] = '.';
  for (int i = 6; i >= 1; i--, micro /= 10) out[n + (size_t)i] = (char)('0' + micro % 10);
  out[n + 7] = '\0';
}

/* The metrics row of an item from its begin record; the caller sets the
** figures and the outcome. */
static void row_from_begin(struct pymon_metrics *m, const struct view *v,
                           const struct begin_record *b, const char *texts[TEXT_COUNT]) {
  memset(m, 0, sizeof *m);
  m->session_h = v->h->session_h;
  m->env_h = v->h->env_h;
  format_start(m->item_start_time, b->realtime_sec, b->realtime_nsec);
  m->item_path = texts[TEXT_PATH];
  m->item = texts[TEXT_ITEM];
  m->item_variant = texts[TEXT_VARIANT];
  m->item_fs_loc = texts[TEXT_FS_LOC];
  m->kind = texts[TEXT_KIND];
  m->component = texts[TEXT_COMPONENT];
}

static int with_metrics(const struct view *v, enum pymon_outcome outcome) {
  return !(v->h->flags & JOURNAL_ONLY_PASSED) || outcome == PYMON_OUTCOME_RETURNED;
}

static int import_end(struct pymon_store *st, const struct view *v,
                      const struct end_record *e) {
  const char *texts[TEXT_COUNT];
  struct pymon_metrics m;
  const struct begin_record *b = begin_at(v, e->begin, texts);
  if (!b || e->r.size != sizeof *e) return 0; /* damaged: skip it */
  row_from_begin(&m, v, b, texts);
  m.total_time = e->total;
  m.user_time = e->user;
  m.kernel_time = e->kernel;
  m.cpu_usage = e->cpu;
  m.mem_usage = e->mem;
  m.outcome = (enum pymon_outcome)e->outcome;
  m.outcome_detail = e->detail;
  return pymon_store_add(st, &m, v->pid, with_metrics(v, m.outcome));
}

static int import_limits(struct pymon_store *st, const struct limits_record *l) {
  struct pymon_limit limits[PYMON_LIMIT_METRIC_COUNT];
  const struct limit_entry *e = (const struct limit_entry *)(l + 1);
  if (l->count > PYMON_LIMIT_METRIC_COUNT ||
      sizeof *l + l->count * sizeof *e + (size_t)l->path_len + l->item_len + 2 > l->r.size)
    return 0;
  const char *path = (const char *)(e + l->count), *item = path + l->path_len + 1;
  if (path[l->path_len] != '\0' || item[l->item_len] != '\0') return 0;
  for (uint32_t i = 0; i < l->count; i++) {
    if (e[i].metric >= PYMON_LIMIT_METRIC_COUNT) return 0;
    limits[i].metric = pymon_limit_metrics[e[i].metric];
    limits[i].value = e[i].value;
  }
  return pymon_store_limits(st, path, item, limits, l->count);
}

/* Store the end and limits records in [from, tail). */
static int import_range(struct pymon_store *st, const struct view *v, uint32_t from) {
  const struct record *r;
  for (uint32_t off = from; off < v->tail && (r = record_at(v, off)); off += r->size) {
    int rc = 0;
    if (r->type == REC_END) rc = import_end(st, v, (const struct end_record *)r);
    else if (r->type == REC_LIMITS) rc = import_limits(st, (const struct limits_record *)r);
    if (rc != 0) return -1;
  }
  return 0;
}

/* Start the other region with copies of the items still open, unless
** they would take too much of it.  Everything before the tail has been
** imported or handed over. */
static void switch_region(struct pymon_journal *j) {
  unsigned other = !j->region;
  unsigned char *from = region_base(j->map, j->region), *to = region_base(j->map, other);
  uint32_t used = 0;
  for (unsigned i = 0; i < j->slot_count; i++) {
    if (j->slots[i] == FREE_SLOT) continue;
    const struct record *r = (const struct record *)(from + j->slots[i]);
    if (used + r->size > REGION_SIZE / 4 || reserve_blocks(j, other, used + r->size) != 0)
      return; /* keep this region */
    memcpy(to + used, r, r->size);
    j->moved[i] = used;
    used += r->size;
  }
  for (unsigned i = 0; i < j->slot_count; i++)
    if (j->slots[i] != FREE_SLOT) j->slots[i] = j->moved[i];
  j->generation++;
  j->region = other;
  j->tail = 0;
  publish(j, used);
  j->imported = j->tail;
}

int pymon_journal_import(struct pymon_journal *j, struct pymon_store *st, double now) {
  static const char what[] = "test items";
  j->last_import = now;
  /* A range an importer process left: first, or its progress is lost. */
  if (pymon_journal_import_handed(j, st) != 0) return -1;
  if (j->imported == j->tail) return 0;
  struct view v = {region_base(j->map, j->region), j->tail, j->h, (long)getpid()};
  if (pymon_store_begin(st, what) != 0) return -1;
  import_range(st, &v, j->imported);
  pymon_store_journal_set(st, j->h->id, (long long)pack_state(j->generation, 0, j->tail), 0);
  if (pymon_store_commit(st, what) != 0) return -1;
  j->imported = j->tail;
  j->waiting = 0;
  switch_region(j);
  return 0;
}

int pymon_journal_hand_over(struct pymon_journal *j, double now) {
  if (j->imported == j->tail) return 0;
  if (!pymon_journal_handed_done(j)) return 1;
  j->h->handed_from = j->imported;
  atomic_store(&j->h->handed, pack_state(j->generation, j->region, j->tail));
  j->last_import = now;
  j->imported = j->tail;
  j->waiting = 0;
  switch_region(j);
  return 0;
}

int pymon_journal_handed_done(const struct pymon_journal *j) {
  return atomic_load(&j->h->done) == atomic_load(&j->h->handed);
}

int pymon_journal_nearly_full(const struct pymon_journal *j) {
  return j->tail > REGION_SIZE / 4 * 3;
}

size_t pymon_journal_waiting(const struct pymon_journal *j) { return j->waiting; }

const char *pymon_journal_file(const struct pymon_journal *j) {
  return j->path;
}

/* Progress as PYMON_JOURNALS keeps it: generation above, offset below. */
static uint64_t progress_generation(uint64_t progress) { return progress >> (TAIL_BITS + 1); }
static uint32_t progress_offset(uint64_t progress) {
  return (uint32_t)(progress & ((1u << TAIL_BITS) - 1));
}

/* Store the records of the handed range that the progress `p` (found:
** *have_progress) does not cover yet, and advance p past it. */
static int import_handed_range(struct pymon_store *st, const struct header *h, long pid,
                               int *have_progress, uint64_t *p) {
  uint64_t handed = atomic_load(&((struct header *)h)->handed);
  uint64_t generation = progress_generation(handed);
  uint32_t tail = progress_offset(handed), from = h->handed_from;
  if (handed == 0 || tail > REGION_SIZE || from > tail) return 0;
  if (*have_progress && (progress_generation(*p) > generation ||
                         (progress_generation(*p) == generation && progress_offset(*p) >= tail)))
    return 0;
  if (*have_progress && progress_generation(*p) == generation && progress_offset(*p) > from)
    from = progress_offset(*p);
  struct view v = {region_base((unsigned char *)h, (unsigned)(handed >> TAIL_BITS) & 1u), tail,
                   h, pid};
  if (import_range(st, &v, from) != 0) return -1;
  *have_progress = 1;
  *p = pack_state(generation, 0, tail);
  return 0;
}

int pymon_journal_import_handed(struct pymon_journal *j, struct pymon_store *st) {
  static const char what[] = "test items";
  uint64_t handed = atomic_load(&j->h->handed);
  long long imported = 0;
  int finished = 0;
  if (atomic_load(&j->h->done) == handed) return 0;
  if (pymon_store_begin(st, what) != 0) return -1;
  int found = pymon_store_journal_get(st, j->h->id, &imported, &finished);
  uint64_t p = (uint64_t)imported;
  if (found >= 0 && import_handed_range(st, j->h, j->pid, &found, &p) == 0)
    pymon_store_journal_set(st, j->h->id, (long long)p, 0);
  if (pymon_store_commit(st, what) != 0) return -1;
  atomic_store(&j->h->done, handed);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Creating and closing.                                               */

static int make_file(const char *dir, char *name, size_t namelen, char **path) {
  char state;
  unsigned long long start = 0;
  struct timespec ts;
  long pid = (long)getpid();
  if (process_identity(pid, &state, &start) != 0) return -1;
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(name, namelen, "%ld-%llu-%llx", pid, start,
           (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
  *path = joined(dir, "/", name);
  if (!*path) return -1;
  for (int attempt = 0; attempt < 3; attempt++) {
    if (mkdir(dir, 0777) == 0) {
      /* A suite run as root may have a child drop its privileges (tests
      ** of daemons): that child's journal goes here too.  Sticky, as /tmp. */
      if (geteuid() == 0) chmod(dir, 01777);
    } else if (errno != EEXIST) {
      break;
    }
    int fd = open(*path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != ENOENT) break; /* else another process removed the directory */
  }
  free(*path);
  *path = NULL;
  return -1;
}

static void free_journal(struct pymon_journal *j) {
  free(j->slots);
  free(j->moved);
  free(j->path);
  free(j->dir);
  free(j);
}

/* Close our descriptor unless the number is someone else's by now (a
** program's dup2 onto it: fds.h). */
static void close_own(struct pymon_journal *j) {
  struct stat sb;
  if (fstat(j->fd, &sb) == 0 && sb.st_dev == j->dev && sb.st_ino == j->ino)
    pymon_fd_close(j->fd);
  else
    pymon_fd_release(j->fd);
}

struct pymon_journal *pymon_journal_create(const char *db_path, const char *session_h,
                                           const struct pymon_context *context,
                                           int only_passed) {
  struct rlimit fsize;
  struct stat sb;
  char name[64];
  struct pymon_journal *j = calloc(1, sizeof *j);
  if (!j || !(j->dir = journal_dir(db_path))) return free(j), NULL;
  j->batch_rows = PYMON_JOURNAL_BATCH_ROWS;
  /* Growing past a file-size limit would raise SIGXFSZ: do without. */
  if (getrlimit(RLIMIT_FSIZE, &fsize) == 0 && fsize.rlim_cur != RLIM_INFINITY &&
      fsize.rlim_cur < FILE_SIZE)
    return free_journal(j), NULL;
  j->fd = pymon_fd_keep(make_file(j->dir, name, sizeof name, &j->path));
  if (j->fd < 0) return free_journal(j), NULL;
  /* Sparse, the header's blocks and the first rows' reserved now. */
  if (flock(j->fd, LOCK_EX) != 0 || ftruncate(j->fd, FILE_SIZE) != 0 ||
      posix_fallocate(j->fd, 0, HEADER_SIZE + FIRST_BLOCKS) != 0 || fstat(j->fd, &sb) != 0 ||
      (j->map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, j->fd, 0)) ==
          MAP_FAILED) {
    unlink(j->path);
    pymon_fd_close(j->fd);
    return free_journal(j), NULL;
  }
  /* Readahead at each first touch would fill the page cache with zeroes
  ** of blocks not written yet: most of what making the journal cost. */
  madvise(j->map, FILE_SIZE, MADV_RANDOM);
  j->dev = sb.st_dev;
  j->ino = sb.st_ino;
  j->pid = (long)getpid();
  j->reserved[0] = FIRST_BLOCKS;
  char *absolute = realpath(j->path, NULL);
  if (absolute) free(j->path), j->path = absolute;
  j->h = (struct header *)j->map;
  j->h->version = VERSION;
  j->h->region_size = REGION_SIZE;
  j->h->flags = only_passed ? JOURNAL_ONLY_PASSED : 0;
  snprintf(j->h->id, sizeof j->h->id, "%s", name);
  snprintf(j->h->session_h, sizeof j->h->session_h, "%s", session_h);
  snprintf(j->h->env_h, sizeof j->h->env_h, "%s", context->env_h);
  j->h->context = *context;
  atomic_store(&j->h->state, pack_state(0, 0, 0));
  memcpy(j->h->magic, MAGIC, sizeof MAGIC);
  atomic_store(&live_header, j->h);
  return j;
}

/*
** Remove a journal whose rows are all in st: the file, then its progress
** row.  In that order: a crash between them leaves a stale row, never a
** journal without its progress (it would be imported twice).  0 or -1.
*/
static int remove_imported(struct pymon_store *st, const char *path, const char *id) {
  if (unlink(path) != 0 && errno != ENOENT) return -1; /* gone: its row is no use */
  pymon_store_forget_journal(st, id);
  return 0;
}

static void release(struct pymon_journal *j, int keep_lock_file) {
  if (atomic_load(&live_header) == j->h) atomic_store(&live_header, NULL);
  munmap(j->map, FILE_SIZE);
  if (keep_lock_file) close_own(j);
  free_journal(j);
}

void pymon_journal_close(struct pymon_journal *j, struct pymon_store *st) {
  if (!j) return;
  if (st && j->imported == j->tail && j->slot_count == 0 && pymon_journal_handed_done(j) &&
      remove_imported(st, j->path, j->h->id) == 0)
    rmdir(j->dir); /* fails while other journals are there: fine */
  release(j, 1);
}

struct pymon_journal *pymon_journal_attach(const char *path) {
  struct stat sb;
  const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
  struct pymon_journal *j = calloc(1, sizeof *j);
  if (!j || !(j->path = strdup(path)) || sscanf(name, "%ld-", &j->pid) != 1)
    return j ? free_journal(j), NULL : NULL;
  j->fd = open(j->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (j->fd < 0) return free_journal(j), NULL;
  if (fstat(j->fd, &sb) != 0 || sb.st_size != FILE_SIZE ||
      (j->map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, j->fd, 0)) ==
          MAP_FAILED) {
    close(j->fd);
    return free_journal(j), NULL;
  }
  j->h = (struct header *)j->map;
  if (memcmp(j->h->magic, MAGIC, sizeof MAGIC) != 0 || j->h->version != VERSION ||
      strcmp(j->h->id, name) != 0) {
    pymon_journal_detach(j);
    return NULL;
  }
  return j;
}

void pymon_journal_detach(struct pymon_journal *j) {
  munmap(j->map, FILE_SIZE);
  close(j->fd);
  free_journal(j);
}

void pymon_journal_abandon(struct pymon_journal *j) {
  if (!j) return;
  /* The descriptor is shared with the parent: closing ours keeps its lock. */
  release(j, 1);
}

/* ------------------------------------------------------------------ */
/* Recovery of the journals of ended processes.                        */

/* The rows recovery made, kept for the closed callback until stored. */
struct closed_rows {
  struct pymon_metrics *rows;
  size_t count, cap;
  int lost; /* none kept: no callback, or no memory for one */
};

static void keep_closed(struct closed_rows *c, const struct pymon_metrics *m) {
  if (c->lost) return;
  if (c->count == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 8;
    struct pymon_metrics *rows = realloc(c->rows, cap * sizeof *rows);
    if (!rows) {
      c->lost = 1;
      return;
    }
    c->rows = rows;
    c->cap = cap;
  }
  c->rows[c->count++] = *m;
}

/* Close the items that never ended, as of how the process ended. */
static int close_open_items(struct pymon_store *st, const struct view *v,
                            struct closed_rows *closed) {
  const struct record *r;
  unsigned char *ended = calloc(REGION_SIZE / 8 / 8, 1); /* bit per offset/8 */
  if (!ended) return -1;
  for (uint32_t off = 0; off < v->tail && (r = record_at(v, off)); off += r->size) {
    const struct end_record *e = (const struct end_record *)r;
    if (r->type == REC_END && r->size == sizeof *e && e->begin < REGION_SIZE)
      ended[e->begin / 64] |= (unsigned char)(1u << (e->begin / 8 % 8));
  }
  int32_t end_kind = atomic_load(&v->h->end_kind);
  enum pymon_outcome outcome = end_kind > 0 ? (enum pymon_outcome)(end_kind - 1)
                                            : PYMON_OUTCOME_KILLED;
  const struct point *until = end_kind > 0 ? &v->h->end : &v->h->last;
  int rc = 0;
  for (uint32_t off = 0; off < v->tail && rc == 0 && (r = record_at(v, off));
       off += r->size) {
    const char *texts[TEXT_COUNT];
    const struct begin_record *b;
    struct pymon_metrics m;
    if (r->type != REC_BEGIN || (ended[off / 64] & (1u << (off / 8 % 8))) ||
        !(b = begin_at(v, off, texts)))
      continue;
    row_from_begin(&m, v, b, texts);
    m.outcome = outcome;
    m.outcome_detail = end_kind > 0 ? v->h->end_detail : 0;
    /* Scopes ran until an exit or exec, they did not end by it. */
    if ((outcome == PYMON_OUTCOME_EXIT || outcome == PYMON_OUTCOME_EXEC) &&
        strcmp(m.kind, "function") != 0) {
      m.outcome = PYMON_OUTCOME_RETURNED;
      m.outcome_detail = 0;
    }
    m.total_time = until->monotonic > b->start.monotonic ? until->monotonic - b->start.monotonic : 0;
    m.user_time = until->user > b->start.user ? until->user - b->start.user : 0;
    m.kernel_time = until->kernel > b->start.kernel ? until->kernel - b->start.kernel : 0;
    m.cpu_usage = m.total_time > 0 ? (m.user_time + m.kernel_time) / m.total_time * 100.0 : 0;
    long peak = (long)b->start.peak_kb; /* as far as known: a lower bound */
    if (until->peak_kb > peak) peak = (long)until->peak_kb;
    m.mem_usage = pymon_kb_to_mb(peak);
    int metrics = with_metrics(v, m.outcome);
    rc = pymon_store_add(st, &m, v->pid, metrics);
    if (rc == 0 && metrics) keep_closed(closed, &m);
  }
  free(ended);
  return rc;
}

/* A text field of a header found on disk holds its terminating NUL. */
#define ended(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* The context the journal names, unless an older journal left it out or
** it is damaged (the store checks its own rows by ENV_H). */
static int stored_context(struct pymon_store *st, const struct header *h) {
  struct pymon_context c = h->context;
  if (!ended(c.env_h) || !c.env_h[0] || strcmp(c.env_h, h->env_h) != 0 ||
      !ended(c.cpu_type) || !ended(c.cpu_vendor) || !ended(c.machine_node) ||
      !ended(c.machine_type) || !ended(c.machine_arch) || !ended(c.system_info) ||
      !ended(c.runtime_info))
    return 0;
  return pymon_store_context(st, &c);
}

/* Import one dead journal, locked by us, in one transaction. */
static int import_dead(struct pymon_store *st, const struct header *h, const char *name,
                       pymon_journal_closed_fn *closed) {
  static const char what[] = "the test items of an ended process";
  struct closed_rows rows = {NULL, 0, 0, closed == NULL};
  uint64_t state = atomic_load(&((struct header *)h)->state);
  uint64_t generation = state >> (TAIL_BITS + 1);
  long long imported = 0;
  int finished = 0;
  struct view v;
  v.base = region_base((unsigned char *)h, (unsigned)(state >> TAIL_BITS) & 1u);
  v.tail = (uint32_t)(state & ((1u << TAIL_BITS) - 1));
  v.h = h;
  v.pid = 0;
  sscanf(name, "%ld-", &v.pid);
  if (v.tail > REGION_SIZE) v.tail = 0;

  if (stored_context(st, h) != 0) return -1;
  if (pymon_store_begin(st, what) != 0) return -1;
  int found = pymon_store_journal_get(st, h->id, &imported, &finished);
  uint64_t p = (uint64_t)imported;
  if (found >= 0 && !finished &&
      import_handed_range(st, h, v.pid, &found, &p) == 0) {
    uint32_t from = 0;
    if (found && progress_generation(p) == generation)
      from = progress_offset(p);
    else if (found && progress_generation(p) > generation)
      from = v.tail;
    if (import_range(st, &v, from) == 0) close_open_items(st, &v, &rows);
    pymon_store_journal_set(st, h->id, (long long)pack_state(generation, 0, v.tail), 1);
  }
  int rc = pymon_store_commit(st, what);
  /* Only rows stored: a failed commit leaves the journal to a later
  ** recovery, which tells of them then. */
  for (size_t i = 0; rc == 0 && !rows.lost && i < rows.count; i++) closed(&rows.rows[i]);
  free(rows.rows);
  return rc;
}

/* The journal `name` in dir: import it if its process has ended. */
static int recover_one(struct pymon_store *st, const char *dir, const char *name,
                       pymon_journal_closed_fn *closed) {
  struct stat sb;
  int rc = 0;
  char *path = joined(dir, "/", name);
  if (!path) return 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return free(path), 0;
  if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &sb) == 0 && sb.st_nlink > 0 &&
      S_ISREG(sb.st_mode) && !owner_alive(name)) {
    void *map = sb.st_size == FILE_SIZE
                    ? mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0)
                    : MAP_FAILED;
    const struct header *h = map != MAP_FAILED ? map : NULL;
    if (h && memcmp(h->magic, MAGIC, sizeof MAGIC) == 0 &&
        (h->version == VERSION || h->version == 1) && /* 1: never hands over */
        h->region_size == REGION_SIZE && ended(h->id) && ended(h->session_h) &&
        ended(h->env_h)) {
      rc = import_dead(st, h, name, closed);
      if (rc == 0) remove_imported(st, path, h->id);
    } else if (sb.st_size == 0 || (h && h->magic[0] == '\0')) {
      unlink(path); /* its process died while making it: nothing in it */
    }
    if (map != MAP_FAILED) munmap(map, FILE_SIZE);
  }
  close(fd);
  free(path);
  return rc;
}

void pymon_journal_recover(const char *db_path, struct pymon_store *st, int keep_dir,
                           pymon_journal_closed_fn *closed) {
  char *dir = journal_dir(db_path);
  DIR *d = dir ? opendir(dir) : NULL;
  struct dirent *e;
  int rc = 0;
  while (d && rc == 0 && (e = readdir(d)) != NULL)
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
      rc = recover_one(st, dir, e->d_name, closed);
  if (d) closedir(d);
  if (dir && !keep_dir) rmdir(dir); /* only when empty */
  free(dir);
}
