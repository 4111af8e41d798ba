/* Threads: a test that keeps two threads busy, and a runner that runs
** tests on two threads at once (one thread's tests sleep, the other's
** spin briefly), so rows mixed up between threads would show. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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

int main(int argc, char **argv) {
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
