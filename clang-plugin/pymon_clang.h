/*
** What the frontend half of pymon-clang.so tells its LLVM pass.
**
** Both halves run in the same cc1 process and the pass plugin is the same
** shared object (dlopen returns the loaded copy), so the frontend leaves its
** decisions in one process-wide `pymon::Unit` that the pass reads.  Selection
** needs the AST (types, enumerators, source names, file-scope variables that
** Clang never emits), instrumentation needs the IR.
*/
#ifndef PYMON_CLANG_H
#define PYMON_CLANG_H

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pymon {

struct Param {
  std::string name;
  unsigned kind = 0;     /* enum pymon_arg_kind */
  bool isSigned = false; /* how to widen an integer to 64 bits */
  int irIndex = -1;      /* which IR argument carries it, -1: from the end */
  int fromEnd = 0;       /* when irIndex < 0: position counted from the end */
  std::vector<std::pair<std::string, long long>> enumerators;
};

struct TestFunction {
  std::string name;        /* the function's name in the source */
  std::string item;        /* site->function */
  std::string suite;       /* site->suite, NULL when empty */
  std::string reason;      /* why it was selected, for `verbose` */
  unsigned location = 0;   /* clang::SourceLocation, raw */
  bool unwrappable = false; /* naked or always_inline: warn, leave alone */
  unsigned flags = 0;      /* PYMON_SITE_* */
  unsigned line = 0;
  bool cxxInstance = false; /* IR has a `this` argument before the params */
  std::string condition;    /* IR name of the condition function, or "" */
  std::string annotations;  /* other monitor_* strings, '\n'-joined */
  std::vector<Param> params;
};

struct Unit {
  bool active = false;       /* the frontend half ran for this module */
  std::string file;          /* main input file as given */
  std::string compileDir;
  std::string component;
  bool hasComponent = false;
  unsigned moduleFlags = 0;  /* PYMON_MODULE_* */
  bool cplusplus = false;
  bool exceptions = false;   /* C++ with -fexceptions: exits on unwind too */
  bool verbose = false;      /* plugin argument `verbose` */
  std::map<std::string, TestFunction> functions; /* by IR (mangled) name */
  /* Reports a diagnostic at a TestFunction::location through Clang. */
  std::function<void(unsigned location, bool warning, const std::string &)>
      report;
};

/* The one unit being compiled in this process. */
Unit &unit();

} // namespace pymon

#endif /* PYMON_CLANG_H */
