/*
** pymon.h - markers for test authors.
**
** These mirror pytest-monitor's markers.  They expand to annotate attributes
** that the pymon compiler plugins read; without a plugin (or with a compiler
** that has no annotate attribute) they expand to nothing, so a source using
** them compiles warning-free everywhere, also under -Werror.
**
**   PYMON_TEST                 monitor_test: monitor even where the module
**                              default is off
**   PYMON_SKIP_TEST            monitor_skip_test: run, but do not monitor
**   PYMON_TEST_IF(cond)        monitor_test_if: monitor iff cond holds
**   PYMON_SKIP_TEST_IF(cond)   monitor_skip_test_if: skip when cond holds
**   PYMON_SUITE("name")        put the test in a suite (class scope)
**   PYMON_LIMIT(MEM_USAGE, 64) a budget `pymon check` enforces for the test
**                              (TOTAL_TIME, CPU_TIME, MEM_USAGE, CPU_USAGE)
**   PYMON_MODULE_SKIP_TEST;    file scope: monitoring off by default
**   PYMON_COMPONENT("name");   file scope: pytest_monitor_component
**
** The markers go before the function's declaration:
**
**   PYMON_SKIP_TEST_IF(getenv("CI") == NULL)
**   void test_only_in_ci(void) { ... }
**
** The `_if` conditions are evaluated each time the test is entered.
** Lower-case aliases named like the pytest markers (monitor_test, ...) are
** defined too unless PYMON_NO_MARKER_ALIASES is defined.
*/
#ifndef PYMON_H
#define PYMON_H

#include "pymon/abi.h"

#if defined(__has_attribute)
#if __has_attribute(annotate)
#define PYMON_HAVE_ANNOTATE 1
#endif
#endif

#define PYMON_CAT_(a, b) a##b
#define PYMON_CAT(a, b) PYMON_CAT_(a, b)
#define PYMON_STR_(x) #x
#define PYMON_STR(x) PYMON_STR_(x)

#ifdef PYMON_HAVE_ANNOTATE
#define PYMON_ANNOTATE(text) __attribute__((annotate(text)))
/* The condition becomes a small static function that the plugin links to
** the test's site; `used` keeps it alive for the plugin to find. */
#define PYMON_COND_(marker, cond, fn)                                    \
  __attribute__((used, unused)) static int fn(void) { return !!(cond); } \
  PYMON_ANNOTATE(marker ":" PYMON_STR(fn))
#define PYMON_FILE_SCOPE_ __attribute__((used, unused))
#else
#define PYMON_ANNOTATE(text)
#define PYMON_COND_(marker, cond, fn)
#define PYMON_FILE_SCOPE_ __attribute__((unused))
#endif

#define PYMON_TEST PYMON_ANNOTATE("monitor_test")
#define PYMON_SKIP_TEST PYMON_ANNOTATE("monitor_skip_test")
#define PYMON_TEST_IF(cond) \
  PYMON_COND_("monitor_test_if", cond, PYMON_CAT(pymon_condition_, __COUNTER__))
#define PYMON_SKIP_TEST_IF(cond) \
  PYMON_COND_("monitor_skip_test_if", cond, PYMON_CAT(pymon_condition_, __COUNTER__))
#define PYMON_SUITE(name) PYMON_ANNOTATE("monitor_suite:" name)
#define PYMON_LIMIT(metric, value) \
  PYMON_ANNOTATE("monitor_limit:" PYMON_STR(metric) "=" PYMON_STR(value))

#define PYMON_MODULE_SKIP_TEST \
  PYMON_FILE_SCOPE_ static const int pymon_module_skip_test = 1
#define PYMON_COMPONENT(name) \
  PYMON_FILE_SCOPE_ static const char pymon_component[] = name

#ifndef PYMON_NO_MARKER_ALIASES
#define monitor_test PYMON_TEST
#define monitor_skip_test PYMON_SKIP_TEST
#define monitor_test_if(cond) PYMON_TEST_IF(cond)
#define monitor_skip_test_if(cond) PYMON_SKIP_TEST_IF(cond)
#endif

#endif /* PYMON_H */
