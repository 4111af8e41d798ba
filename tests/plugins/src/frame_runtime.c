/* A stand-in runtime for frame.sh: prints each probe's function and the
** stack pointer of its caller at the call, read the way libpymon reads it
** ("enter test_small 140737488346624"), in call order. */
#include <stdint.h>
#include <stdio.h>

#include "pymon/abi.h"

static void print_probe(const char *what, const struct pymon_site *site,
                        void *caller_sp) {
  printf("%s %s %ju\n", what, site->function, (uintmax_t)(uintptr_t)caller_sp);
}

void pymon_enter(struct pymon_site *site) {
  print_probe("enter", site, __builtin_dwarf_cfa());
}

void pymon_enter_args(struct pymon_site *site, ...) {
  print_probe("enter", site, __builtin_dwarf_cfa());
}

void pymon_exit(struct pymon_site *site) {
  print_probe("exit", site, __builtin_dwarf_cfa());
}
