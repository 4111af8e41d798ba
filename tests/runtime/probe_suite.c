/*
** A suite that calls the pymon ABI by hand, as the plugins do, to test the
** probe and the measurements: `probe_suite MODE`, MODE one of memory,
** timing, variants, longjmp, exit, scopes, abi, fork.
*/
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pymon/abi.h>

static struct pymon_module module_a = {PYMON_ABI_VERSION, 0, "tests/unit/test_alpha.c",
                                       "/project", "alpha", "GCC 12.2.0", NULL};
static struct pymon_module module_b = {PYMON_ABI_VERSION, 0, "tests/unit/test_beta.c",
                                       "/project", NULL, "GCC 12.2.0", NULL};
static struct pymon_module module_future = {PYMON_ABI_VERSION + 1, 0, "test_future.c",
                                            "/project", NULL, "GCC 99", NULL};

#define SITE(fn, mod, suite, nparams, params)                                     \
  static struct pymon_site site_##fn = {PYMON_ABI_VERSION, PYMON_SITE_BY_NAME, &mod, \
                                        #fn, suite, __LINE__, nparams, params, NULL, \
                                        NULL, NULL}
#define ENTER(fn) pymon_enter(&site_##fn)
#define ENTER_ARGS(fn, ...) pymon_enter_args(&site_##fn, __VA_ARGS__)
#define EXIT(fn) pymon_exit()

static volatile unsigned long sink;

/* mmap, not malloc: an allocator (or ASan's quarantine) may keep freed
** memory resident, and the tests expect it gone when the test ends. */
static char *map_touched(size_t n) {
  char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) abort();
  for (size_t i = 0; i < n; i += 4096) p[i] = (char)i;
  sink += (unsigned char)p[n / 2];
  return p;
}

static void touch_mb(size_t mb) { munmap(map_touched(mb << 20), mb << 20); }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *spin(void *seconds) {
  double end = now() + *(double *)seconds;
  while (now() < end) sink++;
  return NULL;
}

/* --- memory ---------------------------------------------------------- */
SITE(test_small, module_a, NULL, 0, NULL);
SITE(test_big, module_a, NULL, 0, NULL);
SITE(test_small_after, module_a, NULL, 0, NULL);
SITE(test_outer, module_a, NULL, 0, NULL);
SITE(test_inner, module_a, NULL, 0, NULL);
SITE(test_hold, module_a, NULL, 0, NULL);
SITE(test_release, module_a, NULL, 0, NULL);
SITE(test_small_released, module_a, NULL, 0, NULL);

__attribute__((noinline)) static void test_small(void) { ENTER(test_small); sink++; EXIT(test_small); }
__attribute__((noinline)) static void test_big(void) { ENTER(test_big); touch_mb(64); EXIT(test_big); }
__attribute__((noinline)) static void test_small_after(void) {
  ENTER(test_small_after); sink++; EXIT(test_small_after);
}
__attribute__((noinline)) static void test_inner(void) { ENTER(test_inner); sink++; EXIT(test_inner); }
/* 32 MB kept by one test and let go by the next, which touches no page:
** its process shrinks without a page fault. */
static char *held;
__attribute__((noinline)) static void test_hold(void) {
  ENTER(test_hold); held = map_touched(32u << 20); EXIT(test_hold);
}
__attribute__((noinline)) static void test_release(void) {
  ENTER(test_release); munmap(held, 32u << 20); EXIT(test_release);
}
__attribute__((noinline)) static void test_small_released(void) {
  ENTER(test_small_released); sink++; EXIT(test_small_released);
}
/* The inner test resets the kernel's mark; the outer peak must survive. */
__attribute__((noinline)) static void test_outer(void) {
  ENTER(test_outer);
  touch_mb(48);
  test_inner();
  EXIT(test_outer);
}

/* --- timing ---------------------------------------------------------- */
/* The process's own CPU seconds, printed by the timing tests so the check
** compares pymon's figures with what the test really got, whatever else
** the machine is doing. */
static double own_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}
SITE(test_sleep, module_a, NULL, 0, NULL);
SITE(test_spin, module_a, NULL, 0, NULL);
SITE(test_threads, module_a, NULL, 0, NULL);
SITE(test_spin_short, module_a, NULL, 0, NULL);

__attribute__((noinline)) static void test_sleep(void) {
  ENTER(test_sleep);
  struct timespec ts = {0, 300000000};
  nanosleep(&ts, NULL);
  EXIT(test_sleep);
}
__attribute__((noinline)) static void test_spin(void) {
  ENTER(test_spin);
  double s = 0.3, cpu = own_cpu();
  spin(&s);
  printf("cpu test_spin %.6f\n", own_cpu() - cpu);
  EXIT(test_spin);
}
/* Shorter than a timer tick, where the kernel's CPU accounting lags.  It
** does not read its own CPU time: reading it brings the kernel's count up
** to date, which would hide a lag in pymon's reading. */
__attribute__((noinline)) static void test_spin_short(void) {
  ENTER(test_spin_short);
  double s = 0.002;
  spin(&s);
  EXIT(test_spin_short);
}
__attribute__((noinline)) static void test_threads(void) {
  ENTER(test_threads);
  double s = 0.5, cpu = own_cpu();
  pthread_t t;
  pthread_create(&t, NULL, spin, &s);
  spin(&s);
  pthread_join(t, NULL);
  printf("cpu test_threads %.6f\n", own_cpu() - cpu);
  EXIT(test_threads);
}

/* --- variants -------------------------------------------------------- */
enum colour { RED, GREEN = 5 };
static const struct pymon_enumerator colours[] = {{"RED", RED}, {"GREEN", GREEN}};
static const struct pymon_param p_params[] = {{"asint", PYMON_ARG_SIGNED, 0, NULL},
                                              {"asstr", PYMON_ARG_STRING, 0, NULL}};
static const struct pymon_param k_params[] = {
    {"d", PYMON_ARG_FLOAT, 0, NULL},    {"b", PYMON_ARG_BOOL, 0, NULL},
    {"c", PYMON_ARG_CHAR, 0, NULL},     {"e", PYMON_ARG_ENUM, 2, colours},
    {"u", PYMON_ARG_UNSIGNED, 0, NULL}, {"s", PYMON_ARG_STRING, 0, NULL}};
SITE(test_p, module_a, NULL, 2, p_params);
SITE(test_kinds, module_a, NULL, 6, k_params);

__attribute__((noinline)) static void test_p(int asint, const char *asstr) {
  ENTER_ARGS(test_p, (long long)asint, asstr);
  sink += (unsigned long)asint;
  EXIT(test_p);
}
__attribute__((noinline)) static void test_kinds(double d, int b, char c, enum colour e,
                                                 unsigned u, const char *s) {
  ENTER_ARGS(test_kinds, d, (long long)b, (long long)c, (long long)e, (unsigned long long)u, s);
  EXIT(test_kinds);
}

/* --- longjmp and exit ------------------------------------------------ */
static jmp_buf escape;
SITE(test_jumps, module_a, NULL, 0, NULL);
SITE(test_exits, module_a, NULL, 0, NULL);

static void nap(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void test_jumps(void) {
  ENTER(test_jumps);
  nap(100);
  longjmp(escape, 1);
}
__attribute__((noinline)) static void test_exits(void) {
  ENTER(test_exits);
  exit(3);
}

/* --- scopes ---------------------------------------------------------- */
SITE(test_a1, module_a, "suite_one", 0, NULL);
SITE(test_a2, module_a, "suite_one", 0, NULL);
SITE(test_a3, module_a, NULL, 0, NULL);
SITE(test_b1, module_b, NULL, 0, NULL);
#define PLAIN_TEST(fn) \
  __attribute__((noinline)) static void fn(void) { ENTER(fn); sink++; EXIT(fn); }
PLAIN_TEST(test_a1)
PLAIN_TEST(test_a2)
PLAIN_TEST(test_a3)
PLAIN_TEST(test_b1)

/* --- ABI mismatch ---------------------------------------------------- */
static struct pymon_site site_test_future = {PYMON_ABI_VERSION + 1, PYMON_SITE_BY_NAME,
                                             &module_future, "test_future", NULL, 1, 0,
                                             NULL, NULL, NULL, NULL};
PLAIN_TEST(test_future)
/* The refused test's exit must end its own call, not the monitored one
** around it. */
SITE(test_around_future, module_a, NULL, 0, NULL);
__attribute__((noinline)) static void test_around_future(void) {
  ENTER(test_around_future);
  test_future();
  nap(100);
  EXIT(test_around_future);
}

/* --- fork ------------------------------------------------------------ */
SITE(test_parent, module_a, NULL, 0, NULL);
SITE(test_child, module_a, NULL, 0, NULL);
PLAIN_TEST(test_child)
__attribute__((noinline)) static void test_parent(void) {
  ENTER(test_parent);
  pid_t pid = fork();
  if (pid == 0) {
    test_child();
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  EXIT(test_parent);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "memory")) {
    test_small();
    test_big();
    test_small_after();
    test_outer();
    test_hold();
    test_release();
    test_small_released();
  } else if (!strcmp(mode, "timing")) {
    test_sleep();
    test_spin();
    for (int i = 0; i < 20; i++) test_spin_short();
    test_threads();
  } else if (!strcmp(mode, "variants")) {
    static const struct { int i; const char *s; } p[] = {
        {10, "10"}, {100, "100"}, {1000, "1000"}, {10000, "10000"}};
    for (size_t i = 0; i < 4; i++) test_p(p[i].i, p[i].s);
    test_kinds(0.1, 1, 'x', GREEN, 4000000000u, "a-b");
    test_kinds(1e16, 0, '\n', (enum colour)7, 0, NULL);
  } else if (!strcmp(mode, "longjmp")) {
    if (setjmp(escape) == 0) test_jumps();
    nap(300); /* the runner's own time, after the test was left */
    test_small_after();
  } else if (!strcmp(mode, "exit")) {
    test_small();
    test_exits();
  } else if (!strcmp(mode, "scopes")) {
    test_a1();
    test_a2();
    test_a3();
    test_b1();
  } else if (!strcmp(mode, "abi")) {
    test_future();
    test_small();
    test_around_future();
  } else if (!strcmp(mode, "fork")) {
    test_parent();
  } else {
    fprintf(stderr, "usage: probe_suite memory|timing|variants|longjmp|exit|scopes|abi|fork\n");
    return 2;
  }
  printf("probe_suite %s: done\n", mode);
  return 0;
}
