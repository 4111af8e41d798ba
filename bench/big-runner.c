/*
** big-runner: start a program the way a big test runner does (CTest,
** meson, a Python harness): from a process with MB resident, so the
** program inherits that peak as getrusage's ru_maxrss floor.
**
**   big-runner MB PROGRAM [ARG...]
*/
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char *end;
  long mb = argc > 2 ? strtol(argv[1], &end, 10) : -1;
  if (argc < 3 || *end || mb < 1 || mb > 65536) {
    fprintf(stderr, "usage: big-runner MB PROGRAM [ARG...] (MB: 1 to 65536, got '%s')\n",
            argc > 1 ? argv[1] : "");
    return 2;
  }
  size_t size = (size_t)mb << 20;
  /* Filled by the kernel at once: quicker than touching each page. */
  char *block = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (block == MAP_FAILED) {
    fprintf(stderr, "big-runner: cannot map %ld MB\n", mb);
    return 2;
  }
  execvp(argv[2], argv + 2);
  fprintf(stderr, "big-runner: cannot run '%s'\n", argv[2]);
  return 127;
}
