/* Threads: a test that keeps two threads busy, and a runner that runs
** tests on two threads at once (one thread's tests sleep, the other's
** spin briefly), so rows mixed up between threads would show.
** `threads_suite ends`: tests whose thread ends inside them (pthread_exit,
** a cancellation), and a thread cancelled while it runs short tests. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *spin(void *arg) {
  double end = now() + *(const double *)arg;
  while (now() < end) sink++;
  return NULL;
}

void test_two_threads(void) {
  static const double seconds = 0.4;
  pthread_t t;
  pthread_create(&t, NULL, spin, (void *)&seconds);
  spin((void *)&seconds);
  pthread_join(t, NULL);
}

void test_sleepy(int thread, int i) {
  struct timespec ts = {0, 20 * 1000 * 1000};
  (void)thread, (void)i;
  nanosleep(&ts, NULL);
}

void test_quick(int thread, int i) { sink += (unsigned long)(thread + i); }

static void *runner(void *arg) {
  int thread = *(const int *)arg;
  for (int i = 0; i < 25; i++) {
    if (thread == 1) test_sleepy(thread, i);
    else test_quick(thread, i);
  }
  return NULL;
}

static void leave_thread(void) { pthread_exit(NULL); }

void test_thread_exits(void) { leave_thread(); }

void test_cancelled_asleep(void) {
  for (;;) sleep(1);
}

void test_short_busy(void) { sink++; }

static void *exits_runner(void *arg) {
  (void)arg;
  test_thread_exits();
  return NULL;
}

static void *asleep_runner(void *arg) {
  (void)arg;
  test_cancelled_asleep();
  return NULL;
}

/* Cancelled while busy: the cancellation waits for the runner's own
** cancellation point, between tests, not one inside the monitoring. */
static void *busy_runner(void *arg) {
  (void)arg;
  for (;;) {
    test_short_busy();
    pthread_testcancel();
  }
  return NULL;
}

static void run_and_cancel(void *(*runner_fn)(void *), int cancel) {
  struct timespec pause = {0, 50 * 1000 * 1000};
  pthread_t t;
  pthread_create(&t, NULL, runner_fn, NULL);
  if (cancel) {
    nanosleep(&pause, NULL);
    pthread_cancel(t);
  }
  pthread_join(t, NULL);
}

void test_after_threads(void) { sink++; }

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "ends") == 0) {
    run_and_cancel(exits_runner, 0);
    run_and_cancel(asleep_runner, 1);
    run_and_cancel(busy_runner, 1);
    test_after_threads();
    puts("done");
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "cpu") == 0) {
    /* What the test itself saw, for the script to compare. */
    struct rusage a, b;
    getrusage(RUSAGE_SELF, &a);
    double start = now();
    test_two_threads();
    double wall = now() - start;
    getrusage(RUSAGE_SELF, &b);
    double cpu = (double)(b.ru_utime.tv_sec - a.ru_utime.tv_sec + b.ru_stime.tv_sec -
                          a.ru_stime.tv_sec) +
                 (double)(b.ru_utime.tv_usec - a.ru_utime.tv_usec + b.ru_stime.tv_usec -
                          a.ru_stime.tv_usec) / 1e6;
    printf("%.1f\n", 100.0 * cpu / wall);
    return 0;
  } else {
    static const int ids[2] = {1, 2};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, runner, (void *)&ids[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  }
  puts("done");
  return 0;
}
