/* A stand-in runtime for frame.sh: prints each probe's function and frame
** value ("enter test_small 140737488346624"), in call order. */
#include <stdint.h>
#include <stdio.h>

#include "pymon/abi.h"

void pymon_enter(struct pymon_site *site, void *frame, ...) {
  printf("enter %s %ju\n", site->function, (uintmax_t)(uintptr_t)frame);
}

void pymon_exit(struct pymon_site *site, void *frame) {
  printf("exit %s %ju\n", site->function, (uintmax_t)(uintptr_t)frame);
}
