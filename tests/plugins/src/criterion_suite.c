/* Criterion tests in two suites, with underscores in the names. */
#include <criterion/criterion.h>
Test(arith, adds) { cr_assert(1 + 1 == 2); }
Test(arith_more, sub_tracts) { cr_assert(2 - 1 == 1); }
