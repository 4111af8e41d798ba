// C++: namespaces, enum class, out-of-class methods, exceptions.
#include <stdexcept>
#include "pymon.h"

PYMON_COMPONENT("cxx");

enum class Mode : unsigned char { Fast = 1, Exact = 200 };

static void thrower(int n) {
  if (n)
    throw std::runtime_error("boom");
}
void test_throws(int n) { thrower(n); }
void test_catches(int n) {
  try { thrower(n); } catch (const std::exception &) {}
}
namespace geo {
void test_in_namespace(Mode m, bool b) { (void)m; (void)b; }
}
struct Widget {
  int k = 3;
  void test_method(int y);
  void test_inline_method() {}
};
void Widget::test_method(int y) { (void)y; }

extern "C" void run_cxx(void);
void run_cxx(void) {
  try { test_throws(1); } catch (...) {}
  test_throws(0);
  test_catches(1);
  geo::test_in_namespace(Mode::Exact, true);
  Widget w;
  w.test_method(8);
  w.test_inline_method();
}
