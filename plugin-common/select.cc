/*
** The one place that decides which functions are tests by name, shared by
** both plugins (see select.h): argument parsing with the exact error texts,
** framework presets, user patterns and the never-selected list.
*/
#include "select.h"

#include <fnmatch.h>
#include <string.h>

namespace pymon {

static const char *const framework_names[FW_COUNT] = {
  "generic", "unity", "check", "criterion", "libuv",
  "clar", "cmocka", "munit", "greatest"
};

/* Fixtures, runners and our own helpers: never a test by name. */
static const char *const never_patterns[] = {
  "main", "setup", "teardown", "setUp", "tearDown", "suiteSetUp",
  "suiteTearDown", "setup_*", "teardown_*", "*_setup", "*_teardown",
  "*_setUp", "*_tearDown", "*__initialize", "*__cleanup", "*_fixture",
  "fixture_*", "pymon_condition_*",
  /* libuv's runner runs each test part in a child through this one. */
  "run_test_part"
};

options::options() {
  for (bool &on : frameworks)
    on = true;
}

static bool glob(const char *pattern, const std::string &name) {
  return fnmatch(pattern, name.c_str(), 0) == 0;
}

static bool starts_with(const std::string &s, const char *prefix) {
  return s.compare(0, strlen(prefix), prefix) == 0;
}

static bool ends_with(const std::string &s, const char *suffix) {
  size_t n = strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

/* Splits a comma list, keeping empty entries so they can be reported. */
static std::vector<std::string> split_commas(const char *value) {
  std::vector<std::string> parts;
  std::string cur;
  for (const char *p = value; ; p++) {
    if (*p == ',' || *p == '\0') {
      parts.push_back(cur);
      cur.clear();
      if (*p == '\0')
        break;
    } else {
      cur += *p;
    }
  }
  return parts;
}

static bool add_patterns(std::vector<std::string> *into, const char *key,
                         const char *value, std::string *error) {
  for (const std::string &p : split_commas(value)) {
    if (p.empty()) {
      *error = std::string("pymon: empty pattern in ") + key + "=...";
      return false;
    }
    into->push_back(p);
  }
  return true;
}

static bool set_frameworks(options *opts, const char *value,
                           std::string *error) {
  bool on[FW_COUNT] = {};
  for (const std::string &name : split_commas(value)) {
    if (name == "none")
      continue;
    int i = 0;
    while (i < FW_COUNT && name != framework_names[i])
      i++;
    if (i == FW_COUNT) {
      *error = "pymon: unknown framework '" + name +
               "' in frameworks=...; expected a comma list of: generic, "
               "unity, check, criterion, libuv, clar, cmocka, munit, "
               "greatest, or none";
      return false;
    }
    on[i] = true;
  }
  for (int i = 0; i < FW_COUNT; i++)
    opts->frameworks[i] = on[i];
  return true;
}

bool parse_argument(options *opts, const char *key, const char *value,
                    std::string *error) {
  std::string k(key);
  bool wants_value = k == "select" || k == "exclude" || k == "frameworks";
  bool is_flag = k == "verbose" || k == "disable";
  if (!wants_value && !is_flag) {
    *error = "pymon: unknown plugin argument '" + k +
             "'; expected one of: select, exclude, frameworks, verbose, "
             "disable";
    return false;
  }
  if (wants_value && value == NULL) {
    *error = "pymon: plugin argument '" + k + "' needs a value, e.g. "
             "-fplugin-arg-pymon-" + k + "=VALUE";
    return false;
  }
  if (is_flag && value != NULL) {
    *error = "pymon: plugin argument '" + k + "' takes no value";
    return false;
  }
  if (k == "select")
    return add_patterns(&opts->select, key, value, error);
  if (k == "exclude")
    return add_patterns(&opts->exclude, key, value, error);
  if (k == "frameworks")
    return set_frameworks(opts, value, error);
  if (k == "verbose")
    opts->verbose = true;
  else
    opts->disabled = true;
  return true;
}

bool never_selected(const std::string &name) {
  for (const char *p : never_patterns)
    if (glob(p, name))
      return true;
  return false;
}

static name_match found(const std::string &item, const char *reason) {
  name_match m;
  m.selected = true;
  m.item = item;
  m.reason = reason;
  return m;
}

/* The first enabled preset that claims the function, in the documented
** order: the specific frameworks before the generic name patterns. */
static name_match match_preset(const options &opts, const std::string &name,
                               const signature &sig) {
  const bool *on = opts.frameworks;
  if (on[FW_CHECK] && sig.only_param_int_i && sig.returns_void &&
      ends_with(name, "_fn") && name.size() > 3) {
    name_match m = found(name.substr(0, name.size() - 3), "framework check");
    m.loop_index = true;
    return m;
  }
  if (on[FW_CRITERION] && !sig.criterion_name.empty()) {
    name_match m = found(sig.criterion_name, "framework criterion");
    m.suite = sig.criterion_suite;
    return m;
  }
  if (on[FW_LIBUV] && starts_with(name, "run_test_") && name.size() > 9)
    return found(name.substr(9), "framework libuv");
  if (on[FW_CLAR] && starts_with(name, "test_")) {
    size_t sep = name.find("__", 5);
    if (sep != std::string::npos && sep > 5 && sep + 2 < name.size()) {
      name_match m = found(name, "framework clar");
      m.suite = name.substr(5, sep - 5);
      return m;
    }
  }
  if (on[FW_CMOCKA] && sig.returns_void && sig.only_param_void_pp)
    return found(name, "framework cmocka");
  if (on[FW_MUNIT] && sig.returns_munit)
    return found(name, "framework munit");
  if (on[FW_GREATEST] && sig.returns_greatest)
    return found(name, "framework greatest");
  if (on[FW_UNITY] && (glob("*_should_*", name) || glob("should_*", name) ||
                       glob("spec_*", name)))
    return found(name, "framework unity");
  if (on[FW_GENERIC] && (glob("test_*", name) || glob("test[A-Z]*", name)))
    return found(name, "framework generic");
  return name_match();
}

name_match match_name(const options &opts, const std::string &name,
                      const signature &sig) {
  if (never_selected(name))
    return name_match();
  for (const std::string &p : opts.exclude)
    if (glob(p.c_str(), name))
      return name_match();
  name_match m = match_preset(opts, name, sig);
  if (m.selected)
    return m;
  for (const std::string &p : opts.select)
    if (glob(p.c_str(), name))
      return found(name, ("pattern '" + p + "'").c_str());
  return m;
}

} // namespace pymon
