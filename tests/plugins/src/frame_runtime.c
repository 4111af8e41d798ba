/* A stand-in runtime for frame.sh: prints each probe's function and the
** stack pointer of its caller at the call, read the way libpymon reads it
** ("enter test_small 140737488346624"), in call order. */
#include <stdint.h>
#include <stdio.h>

#include "pymon/abi.h"

static void print_probe(const char *what, const char *function, void *caller_sp) {
  printf("%s %s %ju\n", what, function, (uintmax_t)(uintptr_t)caller_sp);
}

/* pymon_exit ends the innermost call entered. */
static const char *entered[64];
static int depth;

void pymon_enter(struct pymon_site *site) {
  print_probe("enter", site->function, __builtin_dwarf_cfa());
  entered[depth++] = site->function;
}

void pymon_enter_args(struct pymon_site *site, ...) {
  print_probe("enter", site->function, __builtin_dwarf_cfa());
  entered[depth++] = site->function;
}

void pymon_exit(void) {
  print_probe("exit", depth > 0 ? entered[--depth] : "(none)", __builtin_dwarf_cfa());
}
