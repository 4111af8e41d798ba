/*
** pymon.so, the GCC plugin: selects test functions (annotate markers, name
** presets, user patterns), wraps each selected body as
**
**   { pymon_enter(&site);   or pymon_enter_args(&site, args...);
**     body, its returns turned into gotos to
**     exit: pymon_exit(); return value; }
**
** (plus an EH-only cleanup calling pymon_exit where exceptions are on) in a
** GIMPLE pass that runs before inlining, and emits the descriptors of
** runtime/include/pymon/abi.h.  All measuring happens in the runtime.
*/
#include <map>
#include <set>
#include <string>
#include <vector>

#include "select.h"

#include "gcc-plugin.h"
#include "plugin-version.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "gimple-walk.h"
#include "gimplify.h"
#include "gimplify-me.h"
#include "cgraph.h"
#include "stringpool.h"
#include "attribs.h"
#include "varasm.h"
#include "stor-layout.h"
#include "diagnostic.h"
#include "langhooks.h"
#include "toplev.h"
#include "builtins.h"
#include "version.h"
#include "ggc.h"

#include <stdarg.h>

#include "pymon/abi.h"

int plugin_is_GPL_compatible;

static_assert(offsetof(struct pymon_site, abi_version) == 0,
              "abi_version must stay the first member");
static_assert(offsetof(struct pymon_module, abi_version) == 0,
              "abi_version must stay the first member");

namespace {

pymon::options opts;

/* Read from file-scope declarations (PLUGIN_FINISH_DECL). */
struct unit_facts {
  std::string component;
  bool has_component = false;
  bool skip_by_default = false;
  std::string suite;
  /* Criterion: "S_N_impl" -> (S, N), from its S_N_meta descriptors. */
  std::map<std::string, std::pair<std::string, std::string>> criterion;
  /* Check: functions registered as loop tests (PLUGIN_FINISH_PARSE_FUNCTION);
  ** every test may be one when a registration names no test directly. */
  std::set<std::string> check_loop_tests;
  bool check_loops_unknown = false;
} unit;

/* Trees kept across passes; registered as GC roots. */
enum {
  T_ENUMERATOR, T_PARAM, T_MODULE, T_SITE, T_ENTER, T_ENTER_ARGS, T_EXIT, T_MODULE_VAR,
  T_SHARED, /* TREE_LIST keeping the shared tables below alive */
  T_COUNT
};
tree trees[T_COUNT];

const struct ggc_root_tab roots[] = {
  { &trees[0], T_COUNT, sizeof(tree), &gt_ggc_mx_tree_node,
    &gt_pch_nx_tree_node },
  LAST_GGC_ROOT_TAB
};

unsigned var_counter;

/* Diagnostics with pymon's exact texts: formatted here so GCC's
** diagnostic format rules (quoting, %qs) do not alter them. */
std::string vformat_message(const char *fmt, va_list ap) {
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  return buf;
}

void __attribute__((format(printf, 2, 3)))
fail(location_t loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_at(loc, "%s", vformat_message(fmt, ap).c_str());
  va_end(ap);
}

void __attribute__((format(printf, 2, 3)))
note(location_t loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  inform(loc, "%s", vformat_message(fmt, ap).c_str());
  va_end(ap);
}

void __attribute__((format(printf, 2, 3)))
warn(location_t loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  warning_at(loc, 0, "%s", vformat_message(fmt, ap).c_str());
  va_end(ap);
}

/* ---------------------------------------------------------------- types */

tree const_char_ptr() {
  return build_pointer_type(build_qualified_type(char_type_node,
                                                 TYPE_QUAL_CONST));
}

/* Builds a record from (name, type) pairs given in declaration order.
** finish_builtin_struct reverses the chain, so it is built backwards. */
tree build_record(const char *tag,
                  const std::vector<std::pair<const char *, tree>> &fields) {
  tree type = make_node(RECORD_TYPE);
  tree chain = NULL_TREE;
  for (const auto &f : fields) {
    tree field = build_decl(BUILTINS_LOCATION, FIELD_DECL,
                            get_identifier(f.first), f.second);
    DECL_CHAIN(field) = chain;
    chain = field;
  }
  finish_builtin_struct(type, tag, chain, NULL_TREE);
  return type;
}

tree field_named(tree type, const char *name) {
  for (tree f = TYPE_FIELDS(type); f; f = DECL_CHAIN(f))
    if (DECL_NAME(f) && id_equal(DECL_NAME(f), name))
      return f;
  return NULL_TREE;
}

/* The host is the target for a native plugin, so abi.h's layout must equal
** the one built here field by field; refuse to emit anything otherwise. */
bool check_layout(tree type, const char *name, size_t size,
                  const std::vector<std::pair<const char *, size_t>> &offs) {
  bool ok = (size_t)int_size_in_bytes(type) == size;
  for (const auto &o : offs) {
    tree f = field_named(type, o.first);
    if (!f || (size_t)int_byte_position(f) != o.second)
      ok = false;
  }
  if (!ok)
    fail(UNKNOWN_LOCATION, "pymon: descriptor layout of 'struct %s' differs from "
          "pymon/abi.h; the plugin was built for another target", name);
  return ok;
}

#define OFF(s, m) { #m, offsetof(struct s, m) }

bool build_types() {
  tree u32 = uint32_type_node, str = const_char_ptr();
  trees[T_ENUMERATOR] = build_record("pymon_enumerator", {
      { "name", str }, { "value", long_long_integer_type_node } });
  tree enum_ptr = build_pointer_type(
      build_qualified_type(trees[T_ENUMERATOR], TYPE_QUAL_CONST));
  trees[T_PARAM] = build_record("pymon_param", {
      { "name", str }, { "kind", u32 }, { "enumerator_count", u32 },
      { "enumerators", enum_ptr } });
  trees[T_MODULE] = build_record("pymon_module", {
      { "abi_version", u32 }, { "flags", u32 }, { "file", str },
      { "compile_dir", str }, { "component", str }, { "compiler", str },
      { "runtime_data", ptr_type_node } });
  tree cond_type = build_pointer_type(
      build_function_type_list(integer_type_node, NULL_TREE));
  trees[T_SITE] = build_record("pymon_site", {
      { "abi_version", u32 }, { "flags", u32 },
      { "module", build_pointer_type(trees[T_MODULE]) },
      { "function", str }, { "suite", str }, { "line", u32 },
      { "param_count", u32 },
      { "params", build_pointer_type(build_qualified_type(
                      trees[T_PARAM], TYPE_QUAL_CONST)) },
      { "condition", cond_type }, { "annotations", str },
      { "runtime_data", ptr_type_node } });

  return check_layout(trees[T_ENUMERATOR], "pymon_enumerator",
                      sizeof(struct pymon_enumerator),
                      { OFF(pymon_enumerator, name),
                        OFF(pymon_enumerator, value) }) &&
         check_layout(trees[T_PARAM], "pymon_param", sizeof(struct pymon_param),
                      { OFF(pymon_param, name), OFF(pymon_param, kind),
                        OFF(pymon_param, enumerator_count),
                        OFF(pymon_param, enumerators) }) &&
         check_layout(trees[T_MODULE], "pymon_module",
                      sizeof(struct pymon_module),
                      { OFF(pymon_module, flags), OFF(pymon_module, file),
                        OFF(pymon_module, compile_dir),
                        OFF(pymon_module, component),
                        OFF(pymon_module, compiler),
                        OFF(pymon_module, runtime_data) }) &&
         check_layout(trees[T_SITE], "pymon_site", sizeof(struct pymon_site),
                      { OFF(pymon_site, flags), OFF(pymon_site, module),
                        OFF(pymon_site, function), OFF(pymon_site, suite),
                        OFF(pymon_site, line), OFF(pymon_site, param_count),
                        OFF(pymon_site, params), OFF(pymon_site, condition),
                        OFF(pymon_site, annotations),
                        OFF(pymon_site, runtime_data) });
}

tree runtime_fn(const char *name, tree type) {
  tree decl = build_fn_decl(name, type);
  TREE_NOTHROW(decl) = 1; /* the runtime is C: calls need no EH edges */
  DECL_ARTIFICIAL(decl) = 1;
  return decl;
}

/* The entry points of abi.h, built on first use. */
void build_runtime_decls() {
  if (trees[T_ENTER])
    return;
  tree site_ptr = build_pointer_type(trees[T_SITE]);
  trees[T_ENTER] = runtime_fn("pymon_enter", build_function_type_list(
      void_type_node, site_ptr, NULL_TREE));
  trees[T_ENTER_ARGS] = runtime_fn("pymon_enter_args",
      build_varargs_function_type_list(void_type_node, site_ptr, NULL_TREE));
  trees[T_EXIT] = runtime_fn("pymon_exit", build_function_type_list(
      void_type_node, void_type_node, NULL_TREE));
}

/* --------------------------------------------------------- initializers */

/* Fills a record's fields in declaration order. */
class record_init {
 public:
  explicit record_init(tree type) : type_(type), next_(TYPE_FIELDS(type)) {}
  record_init &add(tree value) {
    gcc_assert(next_);
    CONSTRUCTOR_APPEND_ELT(elts_, next_,
                           fold_convert(TREE_TYPE(next_), value));
    next_ = DECL_CHAIN(next_);
    return *this;
  }
  record_init &add_u32(unsigned v) { return add(build_int_cst(uint32_type_node, v)); }
  record_init &add_null() { return add(build_int_cst(ptr_type_node, 0)); }
  tree finish() {
    gcc_assert(!next_);
    return build_constructor(type_, elts_);
  }

 private:
  tree type_, next_;
  vec<constructor_elt, va_gc> *elts_ = NULL;
};

tree string_or_null(const std::string *s) {
  if (!s)
    return build_int_cst(ptr_type_node, 0);
  return build_string_literal(s->size() + 1, s->c_str());
}

tree string_value(const std::string &s) { return string_or_null(&s); }

/* A file-scope static variable holding INIT, finalized for output. */
tree make_static_var(tree type, const char *prefix, tree init, bool readonly) {
  char name[64];
  snprintf(name, sizeof name, "%s.%u", prefix, var_counter++);
  tree var = build_decl(UNKNOWN_LOCATION, VAR_DECL, get_identifier(name),
                        type);
  TREE_STATIC(var) = 1;
  TREE_PUBLIC(var) = 0;
  DECL_EXTERNAL(var) = 0;
  DECL_ARTIFICIAL(var) = 1;
  DECL_IGNORED_P(var) = 1;
  TREE_USED(var) = 1;
  TREE_ADDRESSABLE(var) = 1;
  TREE_READONLY(var) = readonly;
  DECL_INITIAL(var) = init;
  return var;
}

void finalize_var(tree var) { varpool_node::finalize_decl(var); }

tree array_var(tree elt_type, const char *prefix,
               const std::vector<tree> &elts) {
  tree type = build_array_type_nelts(
      build_qualified_type(elt_type, TYPE_QUAL_CONST), elts.size());
  vec<constructor_elt, va_gc> *v = NULL;
  for (size_t i = 0; i < elts.size(); i++)
    CONSTRUCTOR_APPEND_ELT(v, size_int(i), elts[i]);
  tree var = make_static_var(type, prefix, build_constructor(type, v), true);
  finalize_var(var);
  return var;
}

/* The unit's module descriptor, emitted with its first site. */
tree module_var() {
  if (trees[T_MODULE_VAR])
    return trees[T_MODULE_VAR];
  std::string compiler = std::string("GCC ") + version_string;
  std::string file = main_input_filename ? main_input_filename : "";
  std::string dir = getpwd() ? getpwd() : "";
  tree init = record_init(trees[T_MODULE])
      .add_u32(PYMON_ABI_VERSION)
      .add_u32(unit.skip_by_default ? PYMON_MODULE_SKIP_BY_DEFAULT : 0)
      .add(string_value(file))
      .add(string_value(dir))
      .add(string_or_null(unit.has_component ? &unit.component : NULL))
      .add(string_value(compiler))
      .add_null()
      .finish();
  tree var = make_static_var(trees[T_MODULE], "__pymon_module", init, false);
  SET_DECL_ALIGN(var, TYPE_ALIGN(trees[T_MODULE]));
  DECL_USER_ALIGN(var) = 1;
  finalize_var(var);
  trees[T_MODULE_VAR] = var;
  return var;
}

/* ------------------------------------------------------ reading sources */

/* The text of a string initializer: "x", (const char *)"x", &"x"[0]. */
bool string_of(tree t, std::string *out) {
  while (t && (CONVERT_EXPR_P(t) || TREE_CODE(t) == NON_LVALUE_EXPR ||
               TREE_CODE(t) == ADDR_EXPR ||
               (TREE_CODE(t) == ARRAY_REF &&
                integer_zerop(TREE_OPERAND(t, 1)))))
    t = TREE_OPERAND(t, 0);
  if (!t || TREE_CODE(t) != STRING_CST)
    return false;
  /* Drop the terminating NUL the front end counts in the length. */
  size_t len = TREE_STRING_LENGTH(t);
  const char *p = TREE_STRING_POINTER(t);
  while (len > 0 && p[len - 1] == '\0')
    len--;
  out->assign(p, len);
  return true;
}

bool at_file_scope(tree decl) {
  tree ctx = DECL_CONTEXT(decl);
  return !ctx || TREE_CODE(ctx) == TRANSLATION_UNIT_DECL ||
         (TREE_CODE(ctx) == NAMESPACE_DECL && !DECL_CONTEXT(ctx)) ||
         (TREE_CODE(ctx) == NAMESPACE_DECL &&
          TREE_CODE(DECL_CONTEXT(ctx)) == TRANSLATION_UNIT_DECL);
}

void read_string_decl(tree decl, const char *what, std::string *into,
                      bool *seen) {
  if (!DECL_INITIAL(decl))
    return;
  if (!string_of(DECL_INITIAL(decl), into)) {
    fail(DECL_SOURCE_LOCATION(decl), "pymon: '%s' must be initialized "
             "with a string literal, e.g. static const char %s[] = \"x\";",
             what, what);
    return;
  }
  if (seen)
    *seen = true;
}

/* Criterion's Test(S, N) defines `struct criterion_test S_N_meta =
** { "N", "S", ... }`; remember which S_N_impl that names. */
void read_criterion_meta(tree decl) {
  tree type = TREE_TYPE(decl), init = DECL_INITIAL(decl);
  tree tag = TYPE_NAME(type);
  if (tag && TREE_CODE(tag) == TYPE_DECL)
    tag = DECL_NAME(tag);
  if (!tag || !id_equal(tag, "criterion_test") || !init ||
      TREE_CODE(init) != CONSTRUCTOR || CONSTRUCTOR_NELTS(init) < 2)
    return;
  std::string name, suite;
  if (string_of(CONSTRUCTOR_ELT(init, 0)->value, &name) &&
      string_of(CONSTRUCTOR_ELT(init, 1)->value, &suite))
    unit.criterion[suite + "_" + name + "_impl"] = { suite, name };
}

void on_finish_decl(void *gcc_data, void *) {
  tree decl = (tree)gcc_data;
  if (!decl || TREE_CODE(decl) != VAR_DECL || !DECL_NAME(decl) ||
      !at_file_scope(decl))
    return;
  const char *name = IDENTIFIER_POINTER(DECL_NAME(decl));
  if (!strcmp(name, "pymon_component")) {
    TREE_USED(decl) = 1;
    read_string_decl(decl, name, &unit.component, &unit.has_component);
  } else if (!strcmp(name, "pymon_suite")) {
    TREE_USED(decl) = 1;
    read_string_decl(decl, name, &unit.suite, NULL);
  } else if (!strcmp(name, "pymon_module_skip_test")) {
    TREE_USED(decl) = 1;
    tree init = DECL_INITIAL(decl);
    if (init && TREE_CODE(init) == INTEGER_CST)
      unit.skip_by_default = !integer_zerop(init);
    else if (init)
      fail(DECL_SOURCE_LOCATION(decl), "pymon: 'pymon_module_skip_test' "
               "must be initialized with an integer constant");
  } else if (opts.frameworks[pymon::FW_CRITERION] &&
             strlen(name) > 5 && !strcmp(name + strlen(name) - 5, "_meta")) {
    read_criterion_meta(decl);
  }
}

const char *decl_name(tree fndecl) {
  return IDENTIFIER_POINTER(DECL_NAME(fndecl));
}

/* Check's loop registrations, from the bodies of functions as parsed:
** every registration is `_tcase_add_test (tc, ttest, signal, exit, start,
** end)`, tcase_add_test's with start 0 and end 1.  Only a loop test needs
** its `_i` passed; the whole unit is parsed before any function is
** instrumented. */
tree visit_check_registration(tree *tp, int *walk_subtrees, void *) {
  tree call = *tp;
  if (TYPE_P(call)) {
    *walk_subtrees = 0;
    return NULL_TREE;
  }
  tree fn = TREE_CODE(call) == CALL_EXPR ? get_callee_fndecl(call) : NULL_TREE;
  if (!fn || !DECL_NAME(fn) || !id_equal(DECL_NAME(fn), "_tcase_add_test"))
    return NULL_TREE;
  if (call_expr_nargs(call) == 6 &&
      integer_zerop(fold(CALL_EXPR_ARG(call, 4))) &&
      integer_onep(fold(CALL_EXPR_ARG(call, 5))))
    return NULL_TREE;
  tree test = call_expr_nargs(call) >= 2 ? CALL_EXPR_ARG(call, 1) : NULL_TREE;
  if (test)
    STRIP_NOPS(test);
  if (test && TREE_CODE(test) == ADDR_EXPR)
    test = TREE_OPERAND(test, 0);
  if (!test || !DECL_P(test) || !DECL_NAME(test))
    unit.check_loops_unknown = true;
  else if (TREE_CODE(test) == VAR_DECL) /* START_TEST (N): pointer N, function N_fn */
    unit.check_loop_tests.insert(std::string(decl_name(test)) + "_fn");
  else if (TREE_CODE(test) == FUNCTION_DECL)
    unit.check_loop_tests.insert(decl_name(test));
  else
    unit.check_loops_unknown = true;
  return NULL_TREE;
}

void on_finish_parse_function(void *gcc_data, void *) {
  tree fndecl = (tree)gcc_data;
  if (opts.frameworks[pymon::FW_CHECK] && fndecl && DECL_SAVED_TREE(fndecl))
    walk_tree_without_duplicates(&DECL_SAVED_TREE(fndecl),
                                 visit_check_registration, NULL);
}

bool check_loop_test(tree fndecl) {
  return unit.check_loops_unknown ||
         unit.check_loop_tests.count(decl_name(fndecl));
}

/* ------------------------------------------------------------- markers */

struct markers {
  bool test = false, skip = false;
  std::string test_if, skip_if; /* condition function names */
  std::string suite;
  std::string annotations; /* '\n'-joined pass-through strings */
  bool bad = false;
};

bool strip_prefix(const std::string &s, const char *prefix, std::string *rest) {
  size_t n = strlen(prefix);
  if (s.compare(0, n, prefix) != 0)
    return false;
  *rest = s.substr(n);
  return true;
}

void read_marker(tree fndecl, const std::string &text, markers *m) {
  location_t loc = DECL_SOURCE_LOCATION(fndecl);
  const char *fn = IDENTIFIER_POINTER(DECL_NAME(fndecl));
  std::string arg;
  if (text.compare(0, 8, "monitor_") != 0)
    return; /* someone else's annotation */
  if (text == "monitor_test") {
    m->test = true;
  } else if (text == "monitor_skip_test") {
    m->skip = true;
  } else if (strip_prefix(text, "monitor_test_if:", &arg) ||
             strip_prefix(text, "monitor_skip_test_if:", &arg)) {
    std::string &slot = text[8] == 't' ? m->test_if : m->skip_if;
    if (arg.empty()) {
      fail(loc, "pymon: marker '%s' on '%s' needs a condition function "
               "name after ':'", text.c_str(), fn);
      m->bad = true;
    }
    slot = arg;
  } else if (strip_prefix(text, "monitor_suite:", &arg)) {
    if (arg.empty()) {
      fail(loc, "pymon: marker 'monitor_suite:' on '%s' needs a suite "
               "name", fn);
      m->bad = true;
    }
    m->suite = arg;
  } else if (text.compare(0, 14, "monitor_limit:") == 0) {
    if (!m->annotations.empty())
      m->annotations += '\n';
    m->annotations += text;
  } else {
    fail(loc, "pymon: unknown marker '%s' on '%s'; expected "
             "monitor_test, monitor_skip_test, monitor_test_if:COND, "
             "monitor_skip_test_if:COND, monitor_suite:NAME or "
             "monitor_limit:...", text.c_str(), fn);
    m->bad = true;
  }
}

markers read_markers(tree fndecl) {
  markers m;
  /* Attributes are chained last first; collect, then read in source order. */
  std::vector<std::string> texts;
  for (tree a = lookup_attribute("annotate", DECL_ATTRIBUTES(fndecl)); a;
       a = lookup_attribute("annotate", TREE_CHAIN(a))) {
    std::string s;
    if (TREE_VALUE(a) && string_of(TREE_VALUE(TREE_VALUE(a)), &s))
      texts.push_back(s);
  }
  for (auto it = texts.rbegin(); it != texts.rend(); ++it)
    read_marker(fndecl, *it, &m);
  if (!m.test_if.empty() && !m.skip_if.empty()) {
    fail(DECL_SOURCE_LOCATION(fndecl), "pymon: '%s' has both "
             "monitor_test_if and monitor_skip_test_if; only one condition "
             "is supported", IDENTIFIER_POINTER(DECL_NAME(fndecl)));
    m.bad = true;
  }
  return m;
}

/* The attribute handler: annotate takes a string and is kept as is. */
tree handle_annotate(tree *node, tree name, tree args, int, bool *no_add) {
  std::string s;
  if (!args || !string_of(TREE_VALUE(args), &s)) {
    fail(input_location, "pymon: the annotate attribute requires a string "
         "literal argument");
    *no_add = true;
  }
  return NULL_TREE;
}

const struct attribute_spec annotate_spec = {
  "annotate", 1, -1, false, false, false, false, handle_annotate, NULL
};

void on_attributes(void *, void *) {
  /* -Wno-attributes=gnu::annotate has already registered an ignored
  ** annotate; registering a second one would be a compiler crash. */
  if (lookup_attribute_spec(get_identifier("annotate")))
    return;
  register_attribute(&annotate_spec);
}

/* ------------------------------------------------------------ selection */

bool type_named(tree type, const char *name) {
  for (tree t : { type, TYPE_MAIN_VARIANT(type) }) {
    tree n = TYPE_NAME(t);
    if (n && TREE_CODE(n) == TYPE_DECL)
      n = DECL_NAME(n);
    if (n && TREE_CODE(n) == IDENTIFIER_NODE && id_equal(n, name))
      return true;
  }
  return false;
}

pymon::signature signature_of(tree fndecl, const std::string &name) {
  pymon::signature sig;
  tree ret = TREE_TYPE(TREE_TYPE(fndecl));
  sig.returns_void = VOID_TYPE_P(ret);
  sig.returns_munit = type_named(ret, "MunitResult");
  sig.returns_greatest = TREE_CODE(ret) == ENUMERAL_TYPE &&
                         type_named(ret, "greatest_test_res");
  tree parm = DECL_ARGUMENTS(fndecl);
  if (parm && !DECL_CHAIN(parm)) {
    tree t = TREE_TYPE(parm);
    sig.only_param_void_pp = POINTER_TYPE_P(t) &&
                             POINTER_TYPE_P(TREE_TYPE(t)) &&
                             VOID_TYPE_P(TREE_TYPE(TREE_TYPE(t)));
    sig.only_param_int_i = TYPE_MAIN_VARIANT(t) == integer_type_node &&
                           DECL_NAME(parm) && id_equal(DECL_NAME(parm), "_i");
  }
  auto c = unit.criterion.find(name);
  if (c != unit.criterion.end()) {
    sig.criterion_suite = c->second.first;
    sig.criterion_name = c->second.second;
  }
  return sig;
}

/* Functions that are never taken by name, whatever their name. */
bool name_selection_allowed(tree fndecl) {
  return !DECL_ARTIFICIAL(fndecl) && !DECL_IN_SYSTEM_HEADER(fndecl) &&
         !DECL_DECLARED_INLINE_P(fndecl) &&
         /* gimplify sets DECL_NO_INSTRUMENT_FUNCTION_ENTRY_EXIT on every
            function it has done; only the attribute is the user's word. */
         !lookup_attribute("no_instrument_function",
                           DECL_ATTRIBUTES(fndecl)) &&
         !decl_function_context(fndecl);
}

tree find_function(const std::string &name) {
  cgraph_node *node;
  FOR_EACH_FUNCTION(node) {
    tree d = node->decl;
    if (DECL_NAME(d) && id_equal(DECL_NAME(d), name.c_str()))
      return d;
  }
  return NULL_TREE;
}

/* ------------------------------------------------------------ variants */

struct variant_arg {
  tree parm;
  unsigned kind;
};

/* How a parameter is passed to pymon_enter, or 0 when it is not. */
unsigned arg_kind(tree type) {
  switch (TREE_CODE(type)) {
  case BOOLEAN_TYPE:
    return PYMON_ARG_BOOL;
  case ENUMERAL_TYPE:
    return PYMON_ARG_ENUM;
  case INTEGER_TYPE:
    if (TYPE_PRECISION(type) > 64)
      return 0;
    if (TYPE_MAIN_VARIANT(type) == char_type_node)
      return PYMON_ARG_CHAR;
    return TYPE_UNSIGNED(type) ? PYMON_ARG_UNSIGNED : PYMON_ARG_SIGNED;
  case REAL_TYPE:
    return DECIMAL_FLOAT_TYPE_P(type) ? 0 : PYMON_ARG_FLOAT;
  case POINTER_TYPE:
    return TYPE_MAIN_VARIANT(TREE_TYPE(type)) == char_type_node
               ? PYMON_ARG_STRING : 0;
  default:
    return 0;
  }
}

tree passed_type(unsigned kind) {
  switch (kind) {
  case PYMON_ARG_UNSIGNED: return long_long_unsigned_type_node;
  case PYMON_ARG_FLOAT: return double_type_node;
  case PYMON_ARG_STRING: return const_char_ptr();
  default: return long_long_integer_type_node;
  }
}

tree enumerators_var(tree type, unsigned *count) {
  std::vector<tree> elts;
  for (tree v = TYPE_VALUES(type); v; v = TREE_CHAIN(v)) {
    tree val = TREE_VALUE(v);
    if (TREE_CODE(val) == CONST_DECL)
      val = DECL_INITIAL(val);
    if (TREE_CODE(val) != INTEGER_CST || !tree_fits_shwi_p(val))
      continue;
    std::string name = IDENTIFIER_POINTER(TREE_PURPOSE(v));
    elts.push_back(record_init(trees[T_ENUMERATOR])
                       .add(string_value(name))
                       .add(build_int_cst(long_long_integer_type_node,
                                          tree_to_shwi(val)))
                       .finish());
  }
  *count = elts.size();
  return elts.empty() ? NULL_TREE
                      : array_var(trees[T_ENUMERATOR], "__pymon_enums", elts);
}

std::vector<variant_arg> variant_args(tree fndecl, bool loop_index) {
  std::vector<variant_arg> args;
  if (loop_index && !check_loop_test(fndecl))
    return args;
  for (tree p = DECL_ARGUMENTS(fndecl); p; p = DECL_CHAIN(p)) {
    unsigned kind = loop_index ? (unsigned)PYMON_ARG_LOOP_INDEX
                                : arg_kind(TREE_TYPE(p));
    if (kind)
      args.push_back({ p, kind });
  }
  return args;
}

/* Parameter tables are read-only and often identical (every Check test
** has the same `_i`): one copy per unit, by content, saves GCC a variable,
** its initializer and relocations per test. */
std::map<std::string, tree> shared_tables;

tree shared_table(const std::string &key) {
  auto t = shared_tables.find(key);
  return t != shared_tables.end() && varpool_node::get(t->second)
             ? t->second : NULL_TREE;
}

tree share_table(const std::string &key, tree var) {
  shared_tables[key] = var;
  trees[T_SHARED] = tree_cons(NULL_TREE, var, trees[T_SHARED]);
  return var;
}

tree params_var(const std::vector<variant_arg> &args) {
  std::string key;
  for (const variant_arg &a : args) {
    char kind[48];
    snprintf(kind, sizeof kind, "%u:%p:", a.kind,
             a.kind == PYMON_ARG_ENUM ? (void *)TYPE_MAIN_VARIANT(
                                            TREE_TYPE(a.parm)) : NULL);
    key += kind;
    key += DECL_NAME(a.parm) ? IDENTIFIER_POINTER(DECL_NAME(a.parm)) : "";
    key += '\n';
  }
  if (tree shared = shared_table(key))
    return shared;
  std::vector<tree> elts;
  for (const variant_arg &a : args) {
    unsigned count = 0;
    tree enums = a.kind == PYMON_ARG_ENUM
                     ? enumerators_var(TREE_TYPE(a.parm), &count) : NULL_TREE;
    std::string name = DECL_NAME(a.parm)
                           ? IDENTIFIER_POINTER(DECL_NAME(a.parm)) : "";
    elts.push_back(record_init(trees[T_PARAM])
                       .add(string_value(name))
                       .add_u32(a.kind)
                       .add_u32(count)
                       .add(enums ? build_fold_addr_expr(enums)
                                  : build_int_cst(ptr_type_node, 0))
                       .finish());
  }
  return share_table(key, array_var(trees[T_PARAM], "__pymon_params", elts));
}

/* ------------------------------------------------------- instrumenting */

struct site_info {
  unsigned flags = 0;
  std::string function, suite, annotations;
  tree condition = NULL_TREE;
  std::vector<variant_arg> args;
};

tree site_var(tree fndecl, const site_info &s) {
  tree params = s.args.empty() ? NULL_TREE : params_var(s.args);
  tree init = record_init(trees[T_SITE])
      .add_u32(PYMON_ABI_VERSION)
      .add_u32(s.flags)
      .add(build_fold_addr_expr(module_var()))
      .add(string_value(s.function))
      .add(string_or_null(s.suite.empty() ? NULL : &s.suite))
      .add_u32(LOCATION_LINE(DECL_SOURCE_LOCATION(fndecl)))
      .add_u32(s.args.size())
      .add(params ? build_fold_addr_expr(params)
                  : build_int_cst(ptr_type_node, 0))
      .add(s.condition ? build_fold_addr_expr(s.condition)
                       : build_int_cst(ptr_type_node, 0))
      .add(string_or_null(s.annotations.empty() ? NULL : &s.annotations))
      .add_null()
      .finish();
  /* Writable (runtime_data), in the shared section as a dense array. */
  tree var = make_static_var(trees[T_SITE], "__pymon_site", init, false);
  set_decl_section_name(var, PYMON_SITES_SECTION);
  SET_DECL_ALIGN(var, TYPE_ALIGN(trees[T_SITE]));
  DECL_USER_ALIGN(var) = 1;
  finalize_var(var);
  return var;
}

/* The returns of a body, found by walk_gimple_seq. */
struct returns_seen {
  tree value = NULL_TREE; /* what they return */
  bool same = true;       /* all return the same operand */
  bool any = false;
  tree exit_label = NULL_TREE; /* set: replace each return by a goto */
};

tree visit_return(gimple_stmt_iterator *gsi, bool *handled,
                  struct walk_stmt_info *wi) {
  gimple *stmt = gsi_stmt(*gsi);
  *handled = false;
  if (gimple_code(stmt) != GIMPLE_RETURN)
    return NULL_TREE;
  *handled = true;
  returns_seen *r = (returns_seen *)wi->info;
  if (r->exit_label) {
    gsi_replace(gsi, gimple_build_goto(r->exit_label), false);
    return NULL_TREE;
  }
  tree value = gimple_return_retval(as_a<greturn *>(stmt));
  if (r->any && value != r->value)
    r->same = false;
  r->value = value;
  r->any = true;
  return NULL_TREE;
}

void walk_returns(gimple_seq *body, returns_seen *r) {
  struct walk_stmt_info wi;
  memset(&wi, 0, sizeof wi);
  wi.info = r;
  walk_gimple_seq_mod(body, visit_return, NULL, &wi);
}

/* `pymon_exit ()` as a sequence. */
gimple_seq exit_call(location_t loc) {
  gimple_seq seq = NULL;
  gcall *call = gimple_build_call(trees[T_EXIT], 0);
  gimple_set_location(call, loc);
  gimple_seq_add_stmt(&seq, call);
  return seq;
}

/* Wraps the body so that every way out runs pymon_exit, with one copy of
** the exit call: each return becomes a goto to a single exit path
**
**   pymon_enter (...); [try] { body } [catch-cleanup { pymon_exit }]
**   exit: pymon_exit (...); return value;
**
** and, only where exceptions can be thrown, the body sits in an EH-only
** cleanup for the exceptions that leave it.  (The gimplifier gives every
** return of a function the same operand; if not, try/finally does all.) */
void wrap_body(tree fndecl, tree site, const std::vector<variant_arg> &args) {
  location_t begin = DECL_SOURCE_LOCATION(fndecl);
  location_t end = cfun->function_end_locus;
  tree site_addr = build_fold_addr_expr(site);

  gimple_seq entry = NULL;
  auto_vec<tree> call_args;
  call_args.safe_push(site_addr);
  for (const variant_arg &a : args) {
    tree v = fold_convert(passed_type(a.kind), a.parm);
    gimple_seq conv = NULL; /* force_gimple_operand resets its sequence */
    call_args.safe_push(force_gimple_operand(v, &conv, true, NULL_TREE));
    gimple_seq_add_seq(&entry, conv);
  }
  gcall *enter = gimple_build_call_vec(
      trees[args.empty() ? T_ENTER : T_ENTER_ARGS], call_args);
  gimple_set_location(enter, begin);
  gimple_seq_add_stmt(&entry, enter);

  gimple_seq inner = gimple_body(fndecl);
  returns_seen r;
  walk_returns(&inner, &r);
  if (!r.same) {
    gimple_seq_add_stmt(&entry,
                        gimple_build_try(inner, exit_call(end),
                                         GIMPLE_TRY_FINALLY));
  } else {
    r.exit_label = create_artificial_label(end);
    walk_returns(&inner, &r);
    if (flag_exceptions)
      inner = gimple_build_try(inner, exit_call(end),
                               GIMPLE_TRY_CATCH);
    gimple_seq_add_seq(&entry, inner);
    gimple_seq_add_stmt(&entry, gimple_build_label(r.exit_label));
    gimple_seq_add_seq(&entry, exit_call(end));
    greturn *ret = gimple_build_return(r.value);
    gimple_set_location(ret, end);
    gimple_seq_add_stmt(&entry, ret);
  }
  gimple_seq body = NULL;
  gimple_seq_add_stmt(&body, gimple_build_bind(NULL_TREE, entry, NULL_TREE));
  gimple_set_body(fndecl, body);

  /* A frame of its own per item: the runtime orders items by the stack
  ** pointer at their calls. */
  DECL_UNINLINABLE(fndecl) = 1;
  DECL_ATTRIBUTES(fndecl) = tree_cons(get_identifier("noinline"), NULL_TREE,
                                      DECL_ATTRIBUTES(fndecl));
}

/* Decides whether and how FNDECL is instrumented; false when it is not. */
bool select_function(tree fndecl, site_info *s, std::string *reason) {
  if (!DECL_NAME(fndecl))
    return false;
  markers m;
  if (DECL_ATTRIBUTES(fndecl))
    m = read_markers(fndecl);
  if (m.bad || m.skip)
    return false;
  std::string name = decl_name(fndecl);
  pymon::name_match by_name;
  if (name_selection_allowed(fndecl))
    by_name = pymon::match_name(opts, name, signature_of(fndecl, name));
  bool by_attr = m.test || !m.test_if.empty() || !m.skip_if.empty();
  if (!by_name.selected && !by_attr)
    return false;

  if (by_name.selected)
    s->flags |= PYMON_SITE_BY_NAME;
  if (by_attr)
    s->flags |= PYMON_SITE_BY_ATTRIBUTE;
  if (m.test || !m.test_if.empty())
    s->flags |= PYMON_SITE_FORCE;
  const std::string &cond = m.test_if.empty() ? m.skip_if : m.test_if;
  if (!m.skip_if.empty())
    s->flags |= PYMON_SITE_SKIP_IF;
  if (!cond.empty()) {
    s->condition = find_function(cond);
    if (!s->condition) {
      fail(DECL_SOURCE_LOCATION(fndecl), "pymon: condition function "
               "'%s' of '%s' is not defined in this file", cond.c_str(),
               name.c_str());
      return false;
    }
  }
  s->function = by_name.selected ? by_name.item : name;
  s->suite = !m.suite.empty() ? m.suite
             : !by_name.suite.empty() ? by_name.suite : unit.suite;
  s->annotations = m.annotations;
  s->args = variant_args(fndecl, by_name.loop_index);
  *reason = m.test ? "annotate monitor_test"
            : !m.test_if.empty() ? "annotate monitor_test_if"
            : !m.skip_if.empty() && !by_name.selected
                ? "annotate monitor_skip_test_if"
                : by_name.reason;
  return true;
}

const pass_data pymon_pass_data = {
  GIMPLE_PASS, "pymon", OPTGROUP_NONE, TV_NONE, PROP_gimple_any, 0, 0, 0, 0
};

class pymon_pass : public gimple_opt_pass {
 public:
  pymon_pass() : gimple_opt_pass(pymon_pass_data, g) {}
  opt_pass *clone() final override { return this; }
  unsigned int execute(function *fun) final override {
    tree fndecl = fun->decl;
    site_info s;
    std::string reason;
    if (!gimple_body(fndecl) || !select_function(fndecl, &s, &reason))
      return 0;
    if (lookup_attribute("naked", DECL_ATTRIBUTES(fndecl)) ||
        lookup_attribute("always_inline", DECL_ATTRIBUTES(fndecl))) {
      warn(DECL_SOURCE_LOCATION(fndecl), "pymon: not instrumenting "
                 "'%s': naked and always_inline functions cannot be wrapped",
                 decl_name(fndecl));
      return 0;
    }
    if (!trees[T_SITE] && !build_types())
      return 0;
    build_runtime_decls();
    wrap_body(fndecl, site_var(fndecl, s), s.args);
    if (opts.verbose)
      note(DECL_SOURCE_LOCATION(fndecl), "pymon: instrumenting '%s' (%s)",
             s.function.c_str(), reason.c_str());
    return 0;
  }
};

} // namespace

int plugin_init(struct plugin_name_args *info,
                struct plugin_gcc_version *version) {
  if (!plugin_default_version_check(version, &gcc_version)) {
    fail(UNKNOWN_LOCATION, "pymon: this plugin was built for GCC %s and cannot be loaded "
          "by GCC %s", gcc_version.basever, version->basever);
    return 1;
  }
  for (int i = 0; i < info->argc; i++) {
    std::string err;
    if (!pymon::parse_argument(&opts, info->argv[i].key, info->argv[i].value,
                               &err))
      error("%s", err.c_str());
  }
  const char *name = info->base_name;
  register_callback(name, PLUGIN_ATTRIBUTES, on_attributes, NULL);
  if (opts.disabled)
    return 0;
  register_callback(name, PLUGIN_REGISTER_GGC_ROOTS, NULL, (void *)roots);
  register_callback(name, PLUGIN_FINISH_DECL, on_finish_decl, NULL);
  register_callback(name, PLUGIN_FINISH_PARSE_FUNCTION,
                    on_finish_parse_function, NULL);
  struct register_pass_info pass = {
    new pymon_pass(), "*warn_unused_result", 1, PASS_POS_INSERT_AFTER
  };
  register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL, &pass);
  return 0;
}
