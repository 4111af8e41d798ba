/*
** The one place that decides which functions are tests by name, shared by
** the GCC plugin (pymon.so) and the Clang plugin (pymon-clang.so): plugin
** arguments, framework presets, user patterns and the never-selected list.
** Free of compiler headers; each plugin fills a `signature` from its own
** AST, so both apply the rules of docs/plugin-arguments.md identically.
*/
#ifndef PYMON_SELECT_H
#define PYMON_SELECT_H

#include <string>
#include <vector>

namespace pymon {

enum framework {
  FW_GENERIC, FW_UNITY, FW_CHECK, FW_CRITERION, FW_LIBUV,
  FW_CLAR, FW_CMOCKA, FW_MUNIT, FW_GREATEST, FW_COUNT
};

struct options {
  bool disabled = false;
  bool verbose = false;
  bool frameworks[FW_COUNT];
  std::vector<std::string> select;
  std::vector<std::string> exclude;
  options();
};

/* Applies one -fplugin-arg-pymon-KEY[=VALUE]; VALUE is NULL when no '=' was
** given.  On bad input returns false and sets *error to the message. */
bool parse_argument(options *opts, const char *key, const char *value,
                    std::string *error);

/* What the selector needs to know about a function besides its name. */
struct signature {
  bool returns_void = false;
  bool only_param_void_pp = false; /* f(void **)                */
  bool only_param_int_i = false;   /* f(int _i)                 */
  bool returns_munit = false;      /* MunitResult               */
  bool returns_greatest = false;   /* enum greatest_test_res    */
  /* Criterion: the suite and test names when `name` is S_N_impl of a
  ** Test(S, N) seen in this unit, else empty. */
  std::string criterion_suite, criterion_name;
};

struct name_match {
  bool selected = false;
  bool loop_index = false; /* Check: pass _i as PYMON_ARG_LOOP_INDEX */
  std::string item;        /* site->function */
  std::string suite;       /* suite the framework implies, or empty */
  std::string reason;      /* for the verbose note */
};

/* Decides whether `name` is selected by presets or user patterns. */
name_match match_name(const options &opts, const std::string &name,
                      const signature &sig);

/* True for main, fixtures and pymon's own helpers. */
bool never_selected(const std::string &name);

} // namespace pymon

#endif /* PYMON_SELECT_H */
