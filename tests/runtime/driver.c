/*
** A tiny test suite that calls the pymon ABI by hand, the way the compiler
** plugins do, so the storage tests get rows from the real probe.
**
**   driver ITEMS [EXIT_STATUS]
**
** runs the parametrized test function test_work(i) for i in 0..ITEMS-1,
** printing "body" from the first test body, then exits with EXIT_STATUS.
** DRIVER_COMPILE_DIR is the directory it was compiled in.
*/
#include <stdio.h>
#include <stdlib.h>

#include <pymon/abi.h>

#ifndef DRIVER_COMPILE_DIR
#define DRIVER_COMPILE_DIR "."
#endif

static struct pymon_module module = {
  .abi_version = PYMON_ABI_VERSION,
  .file = "test_driver.c",
  .compile_dir = DRIVER_COMPILE_DIR,
  .compiler = "GCC 12.2.0",
};

static const struct pymon_param params[] = {{"n", PYMON_ARG_SIGNED, 0, NULL}};

static struct pymon_site site = {
  .abi_version = PYMON_ABI_VERSION,
  .flags = PYMON_SITE_BY_NAME,
  .module = &module,
  .function = "test_work",
  .line = 30,
  .param_count = 1,
  .params = params,
};

static volatile long sink;

__attribute__((noinline)) static void test_work(long long n) {
  pymon_enter_args(&site, n);
  if (n == 0) {
    puts("body");
    fflush(stdout);
  }
  for (long i = 0; i < 1000; i++) sink += i * n;
  pymon_exit();
}

int main(int argc, char **argv) {
  long items = argc > 1 ? atol(argv[1]) : 1;
  int status = argc > 2 ? atoi(argv[2]) : 0;
  for (long i = 0; i < items; i++) test_work(i);
  return status;
}
