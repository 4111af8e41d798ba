/* Names for the selection arguments: only test_one is a test by default. */
void test_one(void) {}
void check_two(void) {}
void verify_three(void) {}
void helper_four(void) {}
