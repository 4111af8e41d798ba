/* The unit's declarations written out by hand, without `used`: a compiler
** that would drop them as unused must still read them. */
static const int pymon_module_skip_test = 1;
static const char pymon_component[] = "plaincomp";
static const char pymon_suite[] = "plainsuite";

void test_plain_off(void) {}
__attribute__((annotate("monitor_test"))) void test_plain_forced(void) {}

void run_module_plain(void);
void run_module_plain(void) {
  test_plain_off();
  test_plain_forced();
}
