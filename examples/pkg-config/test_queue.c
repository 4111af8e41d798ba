/* A ring-buffer queue and its tests, in the style of suites with a tiny
** home-grown harness: a table of test functions run in order. */
#include <stdio.h>

#define QUEUE_SIZE 4

struct queue { int items[QUEUE_SIZE]; int head, count; };

static int queue_push(struct queue *q, int v) {
  if (q->count == QUEUE_SIZE) return -1;
  q->items[(q->head + q->count++) % QUEUE_SIZE] = v;
  return 0;
}

static int queue_pop(struct queue *q, int *v) {
  if (q->count == 0) return -1;
  *v = q->items[q->head];
  q->head = (q->head + 1) % QUEUE_SIZE;
  q->count--;
  return 0;
}

int test_push_pop(void) {
  struct queue q = {0};
  int v = 0;
  return queue_push(&q, 7) == 0 && queue_pop(&q, &v) == 0 && v == 7;
}

int test_full(void) {
  struct queue q = {0};
  for (int i = 0; i < QUEUE_SIZE; i++) queue_push(&q, i);
  return queue_push(&q, 99) == -1;
}

int test_wraps_around(void) {
  struct queue q = {0};
  int v = 0, ok = 1;
  for (int round = 0; round < 10; round++) {
    ok &= queue_push(&q, round) == 0;
    ok &= queue_pop(&q, &v) == 0 && v == round;
  }
  return ok;
}

int main(void) {
  static const struct { const char *name; int (*fn)(void); } tests[] = {
    {"test_push_pop", test_push_pop},
    {"test_full", test_full},
    {"test_wraps_around", test_wraps_around},
  };
  int failed = 0;
  for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
    int ok = tests[i].fn();
    printf("%s %s\n", ok ? "PASS" : "FAIL", tests[i].name);
    failed += !ok;
  }
  return failed != 0;
}
