/* Framework naming presets and the fixtures no preset may take. */
#include <stddef.h>

typedef enum { MUNIT_OK } MunitResult;
enum greatest_test_res { GREATEST_TEST_RES_PASS };

void parser_should_accept(void) {}
void should_work(void) {}
void spec_thing(void) {}
int run_test_tcp_open(void) { return 0; }
/* libuv's own runner, not a test. */
int run_test_part(const char *test, const char *part) { return test == part; }
void test_core_buffer__append(void) {}
void test_core_buffer__initialize(void) {}
void test_core_buffer__cleanup(void) {}
MunitResult mu_case(const void *params[], void *data) {
  (void)params; (void)data; return MUNIT_OK;
}
enum greatest_test_res gr_case(int n) { (void)n; return GREATEST_TEST_RES_PASS; }
static void cm_case(void **state) { (void)state; }
static void widget_fn(int _i) { (void)_i; }
void testUpper(void) {}
void test_lower(void) {}
void setUp(void) {}
void tearDown(void) {}
void suite_setup(void) {}
void db_teardown(void) {}
void setup_all(void) {}
void my_fixture(void) {}
void fixture_db(void) {}
void pymon_condition_7(void) {}
static inline int test_inline_helper(void) { return 0; }
__attribute__((no_instrument_function)) void test_not_wanted(void) {}

void run_names(void);
void run_names(void) {
  parser_should_accept();
  should_work();
  spec_thing();
  run_test_tcp_open();
  run_test_part("a", "b");
  test_core_buffer__initialize();
  test_core_buffer__append();
  test_core_buffer__cleanup();
  mu_case(NULL, NULL);
  gr_case(5);
  cm_case(NULL);
  widget_fn(0);
  widget_fn(2);
  testUpper();
  test_lower();
  setUp();
  tearDown();
  suite_setup();
  db_teardown();
  setup_all();
  my_fixture();
  fixture_db();
  pymon_condition_7();
  test_inline_helper();
  test_not_wanted();
}
