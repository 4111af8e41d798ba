// C++ exceptions leaving a test, caught inside it, rethrown; a namespace.
#include <cstdio>
#include <stdexcept>
#include "pymon.h"
static void thrower(int n) {
  if (n)
    throw std::runtime_error("boom");
}
void test_throws(int n) { thrower(n); }
void test_catches(int n) {
  try { thrower(n); } catch (const std::exception &) { std::puts("inner"); }
}
void test_rethrows(int n) {
  try { thrower(n); } catch (...) { std::puts("rethrow"); throw; }
}
namespace ns { void test_in_namespace(bool b) { (void)b; } }
int main() {
  try { test_throws(1); } catch (const std::exception &) { std::puts("caught"); }
  test_catches(1);
  try { test_rethrows(1); } catch (...) { std::puts("caught"); }
  ns::test_in_namespace(false);
  return 0;
}
