/* Criterion suite (fork and exec of itself per test): every kind of end. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

Test(money, pass) { cr_assert_eq(1 + 1, 2); }
Test(money, fail) { cr_assert_eq(1 + 1, 3, "arithmetic"); }
Test(money, crash) { *(volatile int *)0 = 1; }
Test(money, crash_expected, .signal = SIGSEGV) { *(volatile int *)0 = 1; }
Test(money, exits, .exit_code = 3) { exit(3); }
Test(money, hang, .timeout = 1) { for (;;) sleep(1); }
