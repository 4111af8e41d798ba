/* Descriptors suite: tests that close every descriptor they did not open
** (a loop up to the limit, close_range, closefrom), each then writing a
** file of its own on the lowest number free, between runs of short tests
** and one test that holds 32 MB.  It prints the numbers its files got and
** what they hold at the end. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#define SHORT_TESTS 1500

static int files[3];
static volatile unsigned long sink;

/* A file of the test's own, on the lowest number free. */
static int own_file(const char *name) {
  int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, "the program's data\n", 19) != 19) perror(name);
  return fd;
}

void test_short(int i) { sink += (unsigned long)i; }

void test_close_loop(void) {
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  for (int fd = 3; fd < (int)limit.rlim_cur; fd++) close(fd);
  files[0] = own_file("loop.txt");
}

void test_close_range(void) {
  close_range(3, ~0u, 0);
  files[1] = own_file("range.txt");
}

void test_closefrom(void) {
  closefrom(3);
  files[2] = own_file("from.txt");
}

void test_hold_32mb(void) {
  size_t size = 32u << 20;
  volatile char *block = malloc(size);
  if (!block) abort();
  for (size_t i = 0; i < size; i += 4096) block[i] = 1; /* resident: touched */
  sink += (unsigned long)block[size - 1];
  free((void *)block);
}

void test_small(void) { sink++; }

static void short_tests(void) {
  for (int i = 0; i < SHORT_TESTS; i++) test_short(i);
}

int main(void) {
  short_tests();
  test_close_loop();
  short_tests();
  test_close_range();
  short_tests();
  test_closefrom();
  test_hold_32mb();
  test_small();
  printf("files on %d %d %d\n", files[0], files[1], files[2]);
  const char *names[] = {"loop.txt", "range.txt", "from.txt"};
  for (int i = 0; i < 3; i++) {
    char text[64] = "";
    FILE *f = fopen(names[i], "r");
    if (f && fgets(text, sizeof text, f)) printf("%s: %s", names[i], text);
    if (f) fclose(f);
  }
  return sink == 0;
}
