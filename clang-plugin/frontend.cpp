/*
** Frontend half of pymon-clang.so: plugin arguments, test selection from
** the AST, and registration of this same file as an LLVM pass plugin.
**
** Loaded with -fplugin=pymon-clang.so, the "pymon" AST action runs before
** code generation.  It decides which functions are tests (attributes here;
** names through plugin-common/select.h, the rules shared with the GCC
** plugin), records what the pass needs in
** pymon::unit(), and appends its own path to CodeGenOpts.PassPlugins so the
** backend loads instrument.cpp's pass without a second flag.
*/
#include "pymon_clang.h"
#include "select.h"

#include "pymon/abi.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Mangle.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/ADT/StringRef.h"

#include <dlfcn.h>
#include <limits.h>
#include <set>
#include <stdlib.h>
#include <unistd.h>

using namespace clang;
using llvm::StringRef;

namespace pymon {

Unit &unit() {
  static Unit theUnit;
  return theUnit;
}

namespace {

void report(DiagnosticsEngine &diags, DiagnosticsEngine::Level level,
            SourceLocation loc, const std::string &message) {
  unsigned id = diags.getCustomDiagID(level, "%0");
  diags.Report(loc, id) << message;
}

void error(DiagnosticsEngine &diags, const std::string &message,
           SourceLocation loc = SourceLocation()) {
  report(diags, DiagnosticsEngine::Error, loc, message);
}

/* Applies one -fplugin-arg-pymon-KEY[=VALUE] through the shared parser. */
bool parseArgument(DiagnosticsEngine &diags, const std::string &arg,
                   pymon::options &opts) {
  size_t eq = arg.find('=');
  std::string key = arg.substr(0, eq);
  const char *value = eq == std::string::npos ? nullptr : arg.c_str() + eq + 1;
  std::string message;
  if (pymon::parse_argument(&opts, key.c_str(), value, &message))
    return true;
  error(diags, message);
  return false;
}

/* What one function's annotate attributes say. */
struct Markers {
  bool test = false;     /* monitor_test */
  bool skip = false;     /* monitor_skip_test */
  std::string testIf;    /* monitor_test_if:COND */
  std::string skipIf;    /* monitor_skip_test_if:COND */
  std::string suite;
  std::string annotations;
  bool bad = false;      /* a compile error was reported */
};

/* A file-scope string or integer the plugin reads, or nothing. */
const Expr *fileScopeInit(const VarDecl *var) {
  const Expr *init = var->getAnyInitializer();
  return init ? init->IgnoreParenImpCasts() : nullptr;
}

/* Which Check tests the unit may run as loop tests, from its calls to
** _tcase_add_test(tc, ttest, signal, exit_value, start, end): only those
** pass `_i`, which is 0 in every other run and then not shown.  The GCC
** plugin applies the same rule. */
class LoopRegistrations {
public:
  /* Reads the registrations in `code` (a body or an initializer). */
  void scan(ASTContext &ctx, const Stmt *code) {
    std::vector<const Stmt *> pending{code};
    while (!pending.empty()) {
      const Stmt *s = pending.back();
      pending.pop_back();
      if (!s)
        continue;
      if (const auto *call = dyn_cast<CallExpr>(s))
        readCall(ctx, call);
      if (const auto *block = dyn_cast<BlockExpr>(s))
        pending.push_back(block->getBody());
      for (const Stmt *child : s->children())
        pending.push_back(child);
    }
  }

  /* Whether the Check test function `name` may run as a loop test. */
  bool runsAsLoop(const std::string &name) const {
    return all || tests.count(name);
  }

private:
  std::set<std::string> tests; /* test functions registered as loops */
  bool all = false; /* a loop registration whose test cannot be named */

  void readCall(ASTContext &ctx, const CallExpr *call) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (!callee || !callee->getIdentifier() ||
        callee->getName() != "_tcase_add_test" || isSingleRun(ctx, call))
      return;
    const ValueDecl *d =
        call->getNumArgs() >= 2 ? namedDecl(ctx, call->getArg(1)) : nullptr;
    if (d && d->getIdentifier() && isa<FunctionDecl>(d))
      tests.insert(d->getName().str()); /* old Check: the function itself */
    else if (d && d->getIdentifier() && isa<VarDecl>(d) && !isa<ParmVarDecl>(d))
      tests.insert(d->getName().str() + "_fn"); /* START_TEST(N): N -> N_fn */
    else
      all = true;
  }

  /* What `e` names once casts that keep its width, parentheses and one
  ** address-of or decay are stripped: what GCC sees after STRIP_NOPS and
  ** one ADDR_EXPR, so both plugins read a registration alike. */
  static const ValueDecl *namedDecl(ASTContext &ctx, const Expr *e) {
    e = e->IgnoreParenNoopCasts(ctx);
    const auto *cast = dyn_cast<ImplicitCastExpr>(e);
    const auto *op = dyn_cast<UnaryOperator>(e);
    if (cast && (cast->getCastKind() == CK_FunctionToPointerDecay ||
                 cast->getCastKind() == CK_ArrayToPointerDecay))
      e = cast->getSubExpr()->IgnoreParens();
    else if (op && op->getOpcode() == UO_AddrOf)
      e = op->getSubExpr()->IgnoreParens();
    const auto *ref = dyn_cast<DeclRefExpr>(e);
    return ref ? ref->getDecl() : nullptr;
  }

  /* tcase_add_test* pass start 0, end 1. */
  static bool isSingleRun(ASTContext &ctx, const CallExpr *call) {
    return call->getNumArgs() == 6 && hasValue(ctx, call->getArg(4), 0) &&
           hasValue(ctx, call->getArg(5), 1);
  }

  static bool hasValue(ASTContext &ctx, const Expr *e, int64_t expected) {
    if (e->isInstantiationDependent())
      return false;
    llvm::Optional<llvm::APSInt> value = e->getIntegerConstantExpr(ctx);
    return value && *value == expected;
  }
};

class Collector : public ASTConsumer {
public:
  Collector(CompilerInstance &ci, const pymon::options &opts)
      : ci(ci), opts(opts), diags(ci.getDiagnostics()) {}

  /* The plugin reads these, so they are not unused (GCC's plugin sets
  ** TREE_USED); Sema checks unused file-scope variables after parsing. */
  bool HandleTopLevelDecl(DeclGroupRef group) override {
    for (Decl *d : group) {
      auto *var = dyn_cast<VarDecl>(d);
      if (var && var->getIdentifier() && var->isFileVarDecl() &&
          (var->getName() == "pymon_component" ||
           var->getName() == "pymon_suite" ||
           var->getName() == "pymon_module_skip_test"))
        var->setIsUsed();
    }
    return true;
  }

  void HandleTranslationUnit(ASTContext &ctx) override {
    Unit &u = unit();
    u = Unit();
    u.active = true;
    u.verbose = opts.verbose;
    DiagnosticsEngine *engine = &diags;
    u.report = [engine](unsigned location, bool warning,
                        const std::string &message) {
      report(*engine,
             warning ? DiagnosticsEngine::Warning : DiagnosticsEngine::Remark,
             SourceLocation::getFromRawEncoding(location), message);
    };
    u.cplusplus = ctx.getLangOpts().CPlusPlus;
    u.exceptions = u.cplusplus && ctx.getLangOpts().Exceptions;
    const auto &inputs = ci.getFrontendOpts().Inputs;
    if (!inputs.empty() && inputs[0].isFile())
      u.file = inputs[0].getFile().str();
    u.compileDir = workingDirectory();
    walk(ctx.getTranslationUnitDecl(), true);
    ASTNameGenerator names(ctx);
    for (const FunctionDecl *fn : functions)
      consider(ctx, names, fn);
  }

private:
  CompilerInstance &ci;
  const pymon::options opts; /* a copy: the plugin action dies before we run */
  DiagnosticsEngine &diags;
  std::vector<const FunctionDecl *> functions;
  std::map<std::string, const FunctionDecl *> fileScopeFunctions;
  /* Criterion: "<suite>_<name>_impl" -> (name, suite) from its _meta. */
  std::map<std::string, std::pair<std::string, std::string>> criterionTests;
  std::string defaultSuite; /* file-scope pymon_suite */
  LoopRegistrations loops;

  std::string workingDirectory() {
    const std::string &wd = ci.getFileSystemOpts().WorkingDir;
    if (!wd.empty())
      return wd;
    char buf[PATH_MAX];
    return getcwd(buf, sizeof buf) ? std::string(buf) : std::string();
  }

  void walk(const DeclContext *dc, bool fileScope) {
    for (const Decl *d : dc->decls()) {
      if (const auto *fn = dyn_cast<FunctionDecl>(d)) {
        if (fileScope && fn->getIdentifier())
          fileScopeFunctions[fn->getName().str()] = fn;
        if (fn->doesThisDeclarationHaveABody() && !fn->isTemplated()) {
          functions.push_back(fn);
          loops.scan(fn->getASTContext(), fn->getBody());
        }
      } else if (const auto *var = dyn_cast<VarDecl>(d)) {
        if (fileScope)
          readFileScopeVariable(var);
        if (!var->isTemplated())
          loops.scan(var->getASTContext(), var->getInit());
      } else if (isa<LinkageSpecDecl>(d) || isa<ExternCContextDecl>(d)) {
        walk(cast<DeclContext>(d), fileScope);
      } else if (isa<NamespaceDecl>(d)) {
        walk(cast<DeclContext>(d), false);
      } else if (const auto *rec = dyn_cast<CXXRecordDecl>(d)) {
        if (rec->isThisDeclarationADefinition() && !rec->isTemplated() &&
            !rec->isLambda())
          walk(rec, false);
      }
    }
  }

  bool readString(const VarDecl *var, std::string &out) {
    const auto *lit = dyn_cast_or_null<StringLiteral>(fileScopeInit(var));
    if (!lit || !lit->isAscii()) {
      error(diags, "pymon: '" + var->getName().str() +
                       "' must be initialised with a string literal",
            var->getLocation());
      return false;
    }
    out = lit->getString().str();
    return true;
  }

  void readFileScopeVariable(const VarDecl *var) {
    if (!var->getIdentifier())
      return;
    StringRef name = var->getName();
    Unit &u = unit();
    if (name == "pymon_component") {
      u.hasComponent = readString(var, u.component);
    } else if (name == "pymon_suite") {
      readString(var, defaultSuite);
    } else if (name == "pymon_module_skip_test") {
      Expr::EvalResult value;
      const Expr *init = fileScopeInit(var);
      if (!init || !init->EvaluateAsInt(value, var->getASTContext())) {
        error(diags, "pymon: 'pymon_module_skip_test' must be initialised "
                     "with an integer constant",
              var->getLocation());
        return;
      }
      if (value.Val.getInt() != 0)
        u.moduleFlags |= PYMON_MODULE_SKIP_BY_DEFAULT;
    } else {
      readCriterionMeta(var);
    }
  }

  /* Criterion's Test(suite, name) defines `suite_name_meta`, a struct
  ** criterion_test starting with the strings #name and #suite. */
  void readCriterionMeta(const VarDecl *var) {
    const RecordType *rt = var->getType()->getAs<RecordType>();
    if (!rt || rt->getDecl()->getName() != "criterion_test" ||
        !var->getName().endswith("_meta"))
      return;
    const auto *list = dyn_cast_or_null<InitListExpr>(fileScopeInit(var));
    if (!list || list->getNumInits() < 2)
      return;
    const auto *name =
        dyn_cast<StringLiteral>(list->getInit(0)->IgnoreParenImpCasts());
    const auto *suite =
        dyn_cast<StringLiteral>(list->getInit(1)->IgnoreParenImpCasts());
    if (!name || !suite)
      return;
    std::string impl =
        suite->getString().str() + "_" + name->getString().str() + "_impl";
    criterionTests[impl] = {name->getString().str(), suite->getString().str()};
  }

  void readMarker(const FunctionDecl *fn, const AnnotateAttr *attr,
                  Markers &m) {
    StringRef text = attr->getAnnotation();
    std::string name = fn->getName().str();
    SourceLocation loc = attr->getLocation();
    if (!text.startswith("monitor_"))
      return; /* someone else's annotation */
    if (text == "monitor_test") {
      m.test = true;
    } else if (text == "monitor_skip_test") {
      m.skip = true;
    } else if (text.startswith("monitor_test_if:") ||
               text.startswith("monitor_skip_test_if:")) {
      StringRef cond = text.split(':').second;
      if (cond.empty()) {
        error(diags, "pymon: marker '" + text.str() + "' on '" + name +
                         "' needs a condition function name after ':'", loc);
        m.bad = true;
      }
      (text.startswith("monitor_test_if:") ? m.testIf : m.skipIf) = cond.str();
    } else if (text.startswith("monitor_suite:")) {
      m.suite = text.substr(strlen("monitor_suite:")).str();
      if (m.suite.empty()) {
        error(diags, "pymon: marker 'monitor_suite:' on '" + name +
                         "' needs a suite name", loc);
        m.bad = true;
      }
    } else if (text.startswith("monitor_limit:")) {
      if (!m.annotations.empty())
        m.annotations += '\n';
      m.annotations += text.str();
    } else {
      error(diags, "pymon: unknown marker '" + text.str() + "' on '" + name +
                       "'; expected monitor_test, monitor_skip_test, "
                       "monitor_test_if:COND, monitor_skip_test_if:COND, "
                       "monitor_suite:NAME or monitor_limit:...",
            loc);
      m.bad = true;
    }
  }

  /* Reads the monitor_* annotate strings in source order.  An attribute
  ** repeated on a declaration and the definition counts once. */
  Markers readMarkers(const FunctionDecl *fn) {
    Markers m;
    std::vector<const AnnotateAttr *> seen;
    for (const AnnotateAttr *attr : fn->specific_attrs<AnnotateAttr>()) {
      bool repeated = false;
      for (const AnnotateAttr *s : seen)
        repeated = repeated || (s->getAnnotation() == attr->getAnnotation() &&
                                (s->isInherited() || attr->isInherited()));
      if (repeated)
        continue;
      seen.push_back(attr);
      readMarker(fn, attr, m);
    }
    if (!m.testIf.empty() && !m.skipIf.empty()) {
      error(diags, "pymon: '" + fn->getName().str() +
                       "' has both monitor_test_if and monitor_skip_test_if; "
                       "only one condition is supported",
            fn->getLocation());
      m.bad = true;
    }
    return m;
  }

  static bool isPlainChar(QualType t) {
    return t->isSpecificBuiltinType(BuiltinType::Char_S) ||
           t->isSpecificBuiltinType(BuiltinType::Char_U);
  }

  /* The variant kind of a parameter type, 0 when it is not passed. */
  static unsigned argKind(ASTContext &ctx, QualType type, bool &isSigned) {
    QualType t = type.getCanonicalType().getUnqualifiedType();
    isSigned = false;
    if (const auto *ptr = t->getAs<PointerType>())
      return isPlainChar(ptr->getPointeeType().getCanonicalType())
                 ? PYMON_ARG_STRING
                 : 0;
    if (t->isBooleanType())
      return PYMON_ARG_BOOL;
    if (isPlainChar(t)) {
      isSigned = t->isSignedIntegerType();
      return PYMON_ARG_CHAR;
    }
    if (const auto *et = t->getAs<EnumType>()) {
      if (!et->getDecl()->isComplete())
        return 0;
      isSigned = t->isSignedIntegerOrEnumerationType();
      return PYMON_ARG_ENUM;
    }
    if (t->isIntegerType() && ctx.getTypeSize(t) <= 64) {
      isSigned = t->isSignedIntegerType();
      return isSigned ? PYMON_ARG_SIGNED : PYMON_ARG_UNSIGNED;
    }
    if (t->isRealFloatingType())
      return PYMON_ARG_FLOAT;
    return 0;
  }

  /* True when Clang lowers a parameter of this type to exactly one IR
  ** argument on every ABI we meet (structs and complex numbers vary). */
  static bool oneIrArgument(QualType type) {
    QualType t = type.getCanonicalType();
    return t->isIntegralOrEnumerationType() || t->isRealFloatingType() ||
           t->isAnyPointerType() || t->isReferenceType() ||
           t->isBlockPointerType();
  }

  /* Describes the parameters that form the variant. */
  std::vector<Param> describeParams(ASTContext &ctx, const FunctionDecl *fn,
                                    bool checkLoop) {
    std::vector<Param> out;
    unsigned n = fn->getNumParams();
    for (unsigned i = 0; i < n; i++) {
      const ParmVarDecl *pd = fn->getParamDecl(i);
      Param p;
      p.name = pd->getName().str();
      p.kind = checkLoop ? unsigned(PYMON_ARG_LOOP_INDEX)
                         : argKind(ctx, pd->getType(), p.isSigned);
      if (checkLoop)
        p.isSigned = true;
      if (!p.kind)
        continue;
      if (!placeParam(fn, i, p)) {
        report(diags, DiagnosticsEngine::Warning, pd->getLocation(),
               "pymon: parameter '" + p.name + "' of '" + fn->getName().str() +
                   "' follows and precedes by-value aggregates; Clang's "
                   "argument lowering hides it, so it is left out of the "
                   "variant");
        continue;
      }
      if (p.kind == PYMON_ARG_ENUM) {
        const EnumDecl *ed = pd->getType()
                                 .getCanonicalType()
                                 ->getAs<EnumType>()
                                 ->getDecl();
        for (const EnumConstantDecl *ec : ed->enumerators())
          p.enumerators.push_back(
              {ec->getName().str(), ec->getInitVal().getExtValue()});
      }
      out.push_back(std::move(p));
    }
    return out;
  }

  /* Finds the IR argument of parameter i: counted from the front when
  ** every earlier parameter is one IR argument, else from the back. */
  static bool placeParam(const FunctionDecl *fn, unsigned i, Param &p) {
    unsigned n = fn->getNumParams();
    bool front = true, back = true;
    for (unsigned j = 0; j < i; j++)
      front = front && oneIrArgument(fn->getParamDecl(j)->getType());
    for (unsigned j = i + 1; j < n; j++)
      back = back && oneIrArgument(fn->getParamDecl(j)->getType());
    if (front) {
      p.irIndex = (int)i;
      return true;
    }
    if (back && !fn->isVariadic()) {
      p.fromEnd = (int)(n - i);
      return true;
    }
    return false;
  }

  static bool onlyParamIs(const FunctionDecl *fn,
                          bool (*test)(const ParmVarDecl *)) {
    return fn->getNumParams() == 1 && test(fn->getParamDecl(0));
  }

  static bool isCheckLoopIndex(const ParmVarDecl *pd) {
    return pd->getName() == "_i" &&
           pd->getType().getCanonicalType()->isSpecificBuiltinType(
               BuiltinType::Int);
  }

  static bool isVoidPointerPointer(const ParmVarDecl *pd) {
    QualType t = pd->getType().getCanonicalType();
    const auto *outer = t->getAs<PointerType>();
    if (!outer)
      return false;
    const auto *inner =
        outer->getPointeeType().getCanonicalType()->getAs<PointerType>();
    return inner && inner->getPointeeType()->isVoidType();
  }

  /* True when the return type is (a typedef of) an enum named `name`,
  ** or an anonymous enum with that typedef name. */
  static bool returnsEnumNamed(const FunctionDecl *fn, StringRef name) {
    QualType t = fn->getReturnType();
    while (const auto *td = t->getAs<TypedefType>()) {
      if (td->getDecl()->getName() == name)
        return true;
      t = td->getDecl()->getUnderlyingType();
    }
    const auto *et = t.getCanonicalType()->getAs<EnumType>();
    if (!et)
      return false;
    const EnumDecl *ed = et->getDecl();
    if (ed->getName() == name)
      return true;
    const TypedefNameDecl *alias = ed->getTypedefNameForAnonDecl();
    return alias && alias->getName() == name;
  }

  /* Functions no name rule may take, whatever their name (as GCC's
  ** plugin: inline ones, system headers, no_instrument_function). */
  static bool nameSelectionAllowed(const SourceManager &sm,
                                   const FunctionDecl *fn) {
    return !fn->isImplicit() && !fn->isInlined() &&
           !sm.isInSystemHeader(fn->getLocation()) &&
           !fn->hasAttr<NoInstrumentFunctionAttr>();
  }

  /* What the shared selector needs to know besides the name. */
  pymon::signature signatureOf(const FunctionDecl *fn,
                               const std::string &name) const {
    pymon::signature sig;
    sig.returns_void = fn->getReturnType()->isVoidType();
    sig.only_param_void_pp = onlyParamIs(fn, isVoidPointerPointer);
    sig.only_param_int_i = onlyParamIs(fn, isCheckLoopIndex);
    sig.returns_munit = returnsEnumNamed(fn, "MunitResult");
    sig.returns_greatest = returnsEnumNamed(fn, "greatest_test_res");
    auto it = criterionTests.find(name);
    if (it != criterionTests.end()) {
      sig.criterion_name = it->second.first;
      sig.criterion_suite = it->second.second;
    }
    return sig;
  }

  void consider(ASTContext &ctx, ASTNameGenerator &names,
                const FunctionDecl *fn) {
    SourceManager &sm = ctx.getSourceManager();
    if (!fn->getIdentifier() || isa<CXXConstructorDecl>(fn) ||
        isa<CXXDestructorDecl>(fn))
      return;
    Markers m = readMarkers(fn);
    if (m.bad || m.skip)
      return;
    TestFunction f;
    f.name = fn->getName().str();
    pymon::name_match byName;
    if (nameSelectionAllowed(sm, fn))
      byName = pymon::match_name(opts, f.name, signatureOf(fn, f.name));
    bool byAttribute = m.test || !m.testIf.empty() || !m.skipIf.empty();
    if (!byName.selected && !byAttribute)
      return;
    if (byName.selected)
      f.flags |= PYMON_SITE_BY_NAME;
    if (byAttribute)
      f.flags |= PYMON_SITE_BY_ATTRIBUTE;
    if (m.test || !m.testIf.empty())
      f.flags |= PYMON_SITE_FORCE;
    if (!m.skipIf.empty())
      f.flags |= PYMON_SITE_SKIP_IF;
    const std::string &cond = m.testIf.empty() ? m.skipIf : m.testIf;
    if (!cond.empty() && !resolveCondition(names, fn, cond, f))
      return;
    f.item = byName.selected ? byName.item : f.name;
    f.suite = !m.suite.empty()        ? m.suite
              : !byName.suite.empty() ? byName.suite
                                      : defaultSuite;
    f.annotations = m.annotations;
    f.reason = m.test               ? "annotate monitor_test"
               : !m.testIf.empty() ? "annotate monitor_test_if"
               : !m.skipIf.empty() && !byName.selected
                   ? "annotate monitor_skip_test_if"
                   : byName.reason;
    f.line = sm.getExpansionLineNumber(fn->getLocation());
    f.location = fn->getLocation().getRawEncoding();
    f.unwrappable = fn->hasAttr<NakedAttr>() || fn->hasAttr<AlwaysInlineAttr>();
    const auto *method = dyn_cast<CXXMethodDecl>(fn);
    f.cxxInstance = method && method->isInstance();
    if (!byName.loop_index || loops.runsAsLoop(f.name))
      f.params = describeParams(ctx, fn, byName.loop_index);
    unit().functions[names.getName(fn)] = std::move(f);
  }

  bool resolveCondition(ASTNameGenerator &names, const FunctionDecl *fn,
                        const std::string &cond, TestFunction &f) {
    auto it = fileScopeFunctions.find(cond);
    if (it == fileScopeFunctions.end()) {
      error(diags, "pymon: condition function '" + cond + "' of '" +
                       fn->getName().str() + "' is not defined in this file",
            fn->getLocation());
      return false;
    }
    f.condition = names.getName(it->second);
    return true;
  }

};

/* The path this shared object was loaded from. */
std::string ownPath() {
  Dl_info info;
  if (!dladdr(reinterpret_cast<void *>(&unit), &info) || !info.dli_fname)
    return std::string();
  return info.dli_fname;
}

bool samePath(const std::string &a, const std::string &b) {
  char ra[PATH_MAX], rb[PATH_MAX];
  if (realpath(a.c_str(), ra) && realpath(b.c_str(), rb))
    return strcmp(ra, rb) == 0;
  return a == b;
}

class PymonAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &ci,
                                                 StringRef) override {
    unit() = Unit();
    if (opts.disabled)
      return std::make_unique<ASTConsumer>();
    CodeGenOptions &cg = ci.getCodeGenOpts();
    if (cg.LegacyPassManager) {
      error(ci.getDiagnostics(),
            "pymon: -flegacy-pass-manager drops pass plugins, so pymon "
            "cannot instrument this file; remove -flegacy-pass-manager or "
            "the plugin");
      return std::make_unique<ASTConsumer>();
    }
    std::string self = ownPath();
    if (self.empty()) {
      error(ci.getDiagnostics(),
            "pymon: cannot find the path of the pymon plugin to load its "
            "LLVM pass");
      return std::make_unique<ASTConsumer>();
    }
    bool registered = false;
    for (const std::string &p : cg.PassPlugins)
      registered = registered || samePath(p, self);
    if (!registered)
      cg.PassPlugins.push_back(self);
    return std::make_unique<Collector>(ci, opts);
  }

  bool ParseArgs(const CompilerInstance &ci,
                 const std::vector<std::string> &args) override {
    for (const std::string &arg : args)
      if (!parseArgument(ci.getDiagnostics(), arg, opts))
        return false;
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  pymon::options opts;
};

} // namespace
} // namespace pymon

static FrontendPluginRegistry::Add<pymon::PymonAction>
    registerPymon("pymon", "select and describe test functions for pymon");
