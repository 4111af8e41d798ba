/*
** LLVM half of pymon-clang.so: the pass that instruments selected functions.
**
** Registered at the pipeline start (every -O level, ThinLTO pre-link too),
** before any inlining, so static tests keep their own enter/exit calls.
** For each function the frontend selected it emits a `struct pymon_site` in
** section "pymon_sites", calls pymon_enter(&site) at entry, or
** pymon_enter_args(&site, arg...) when the site has variant parameters, and
** pymon_exit() before every ret and musttail call and (C++ with
** exceptions) on unwinding.
*/
#include "pymon_clang.h"

#include "pymon/abi.h"

#include "clang/Basic/Version.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Local.h"

#include <cstddef>

using namespace llvm;

namespace pymon {
namespace {

/* The descriptor layouts, field by field.  The LLVM struct types are built
** from these lists, and the static_asserts tie the lists to abi.h. */
enum FieldKind { U32, I64, PTR };

constexpr FieldKind siteFields[] = {U32, U32, PTR, PTR, PTR, U32,
                                    U32, PTR, PTR, PTR, PTR};
constexpr FieldKind moduleFields[] = {U32, U32, PTR, PTR, PTR, PTR, PTR};
constexpr FieldKind paramFields[] = {PTR, U32, U32, PTR};
constexpr FieldKind enumeratorFields[] = {PTR, I64};

/* Offset of field `index` (or the padded size when index == n) on LP64. */
template <size_t N>
constexpr size_t lp64Offset(const FieldKind (&fields)[N], size_t index) {
  size_t offset = 0;
  for (size_t i = 0; i < N; i++) {
    size_t size = fields[i] == U32 ? 4 : 8;
    offset = (offset + size - 1) / size * size;
    if (i == index)
      return offset;
    offset += size;
  }
  return (offset + 7) / 8 * 8;
}

static_assert(sizeof(void *) == 8 && sizeof(long long) == 8,
              "the Clang plugin is built for LP64 hosts");
#define PYMON_FIELD(list, i, type, member) \
  static_assert(lp64Offset(list, i) == offsetof(type, member), #member)
PYMON_FIELD(siteFields, 0, pymon_site, abi_version);
PYMON_FIELD(siteFields, 1, pymon_site, flags);
PYMON_FIELD(siteFields, 2, pymon_site, module);
PYMON_FIELD(siteFields, 3, pymon_site, function);
PYMON_FIELD(siteFields, 4, pymon_site, suite);
PYMON_FIELD(siteFields, 5, pymon_site, line);
PYMON_FIELD(siteFields, 6, pymon_site, param_count);
PYMON_FIELD(siteFields, 7, pymon_site, params);
PYMON_FIELD(siteFields, 8, pymon_site, condition);
PYMON_FIELD(siteFields, 9, pymon_site, annotations);
PYMON_FIELD(siteFields, 10, pymon_site, runtime_data);
PYMON_FIELD(moduleFields, 0, pymon_module, abi_version);
PYMON_FIELD(moduleFields, 1, pymon_module, flags);
PYMON_FIELD(moduleFields, 2, pymon_module, file);
PYMON_FIELD(moduleFields, 3, pymon_module, compile_dir);
PYMON_FIELD(moduleFields, 4, pymon_module, component);
PYMON_FIELD(moduleFields, 5, pymon_module, compiler);
PYMON_FIELD(moduleFields, 6, pymon_module, runtime_data);
PYMON_FIELD(paramFields, 0, pymon_param, name);
PYMON_FIELD(paramFields, 1, pymon_param, kind);
PYMON_FIELD(paramFields, 2, pymon_param, enumerator_count);
PYMON_FIELD(paramFields, 3, pymon_param, enumerators);
PYMON_FIELD(enumeratorFields, 0, pymon_enumerator, name);
PYMON_FIELD(enumeratorFields, 1, pymon_enumerator, value);
#undef PYMON_FIELD
static_assert(lp64Offset(siteFields, 11) == sizeof(pymon_site), "site size");
static_assert(lp64Offset(moduleFields, 7) == sizeof(pymon_module),
              "module size");
static_assert(lp64Offset(paramFields, 4) == sizeof(pymon_param), "param size");
static_assert(lp64Offset(enumeratorFields, 2) == sizeof(pymon_enumerator),
              "enumerator size");

const char *const instrumentedMark = "pymon-instrumented";

/* Builds descriptors and calls for one module. */
class Instrumenter {
public:
  Instrumenter(Module &m, const Unit &u)
      : m(m), u(u), ctx(m.getContext()), i8p(Type::getInt8PtrTy(ctx)),
        i32(Type::getInt32Ty(ctx)), i64(Type::getInt64Ty(ctx)) {
    siteTy = structOf(siteFields, "struct.pymon_site");
    moduleTy = structOf(moduleFields, "struct.pymon_module");
    paramTy = structOf(paramFields, "struct.pymon_param");
    enumeratorTy = structOf(enumeratorFields, "struct.pymon_enumerator");
    enter = runtimeFunction("pymon_enter", {i8p}, false);
    enterArgs = runtimeFunction("pymon_enter_args", {i8p}, true);
    exit = runtimeFunction("pymon_exit", {}, false);
  }

  void instrument(Function &fn, const pymon::TestFunction &info);

private:
  Module &m;
  const Unit &u;
  LLVMContext &ctx;
  Type *i8p, *i32, *i64;
  StructType *siteTy, *moduleTy, *paramTy, *enumeratorTy;
  FunctionCallee enter, enterArgs, exit;
  Constant *module = nullptr;
  std::map<std::string, Constant *> strings;

  /* An entry point of abi.h: returns void, does not throw. */
  FunctionCallee runtimeFunction(const char *name, ArrayRef<Type *> params,
                                 bool variadic) {
    return m.getOrInsertFunction(
        name, FunctionType::get(Type::getVoidTy(ctx), params, variadic),
        AttributeList().addFnAttribute(ctx, Attribute::NoUnwind));
  }

  template <size_t N>
  StructType *structOf(const FieldKind (&fields)[N], const char *name) {
    std::vector<Type *> types;
    for (FieldKind k : fields)
      types.push_back(k == U32 ? i32 : k == I64 ? i64 : i8p);
    return StructType::create(ctx, types, name);
  }

  Constant *u32(unsigned v) { return ConstantInt::get(i32, v); }
  Constant *null() { return ConstantPointerNull::get(cast<PointerType>(i8p)); }
  Constant *asPtr(Constant *c) { return ConstantExpr::getPointerCast(c, i8p); }

  Constant *string(const std::string &s) {
    Constant *&c = strings[s];
    if (!c) {
      auto *gv = new GlobalVariable(m, ArrayType::get(Type::getInt8Ty(ctx), s.size() + 1),
                                    true, GlobalValue::PrivateLinkage,
                                    ConstantDataArray::getString(ctx, s),
                                    ".pymon.str");
      gv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
      gv->setAlignment(Align(1));
      c = asPtr(gv);
    }
    return c;
  }

  Constant *optionalString(bool present, const std::string &s) {
    return present ? string(s) : null();
  }

  /* A private array global of `elements`, as an i8*; null when empty. */
  Constant *array(StructType *ty, const std::vector<Constant *> &elements,
                  const char *name) {
    if (elements.empty())
      return null();
    auto *arrTy = ArrayType::get(ty, elements.size());
    auto *gv = new GlobalVariable(m, arrTy, true, GlobalValue::PrivateLinkage,
                                  ConstantArray::get(arrTy, elements), name);
    return asPtr(gv);
  }

  Constant *moduleDescriptor() {
    if (module)
      return module;
    Constant *fields[] = {
        u32(PYMON_ABI_VERSION),
        u32(u.moduleFlags),
        string(u.file),
        string(u.compileDir),
        optionalString(u.hasComponent, u.component),
        string("clang " CLANG_VERSION_STRING),
        null()};
    auto *gv = new GlobalVariable(m, moduleTy, false, GlobalValue::InternalLinkage,
                                  ConstantStruct::get(moduleTy, fields),
                                  "__pymon_module");
    gv->setAlignment(Align(8));
    module = asPtr(gv);
    return module;
  }

  Constant *paramDescriptors(const std::vector<const Param *> &params) {
    std::vector<Constant *> out;
    for (const Param *p : params) {
      std::vector<Constant *> enumerators;
      for (const auto &e : p->enumerators)
        enumerators.push_back(ConstantStruct::get(
            enumeratorTy, {string(e.first), ConstantInt::get(i64, e.second, true)}));
      out.push_back(ConstantStruct::get(
          paramTy, {string(p->name), u32(p->kind), u32(enumerators.size()),
                    array(enumeratorTy, enumerators, ".pymon.enumerators")}));
    }
    return array(paramTy, out, ".pymon.params");
  }

  GlobalVariable *siteDescriptor(Function &fn, const pymon::TestFunction &info,
                                 const std::vector<const Param *> &params) {
    Constant *condition = null();
    if (!info.condition.empty()) {
      Function *cond = m.getFunction(info.condition);
      if (!cond) {
        ctx.emitError("pymon: condition function '" + info.condition +
                      "' of '" + info.item + "' was not emitted");
      } else {
        condition = asPtr(cond);
      }
    }
    Constant *fields[] = {
        u32(PYMON_ABI_VERSION),
        u32(info.flags),
        moduleDescriptor(),
        string(info.item),
        optionalString(!info.suite.empty(), info.suite),
        u32(info.line),
        u32(params.size()),
        paramDescriptors(params),
        condition,
        optionalString(!info.annotations.empty(), info.annotations),
        null()};
    auto *gv = new GlobalVariable(m, siteTy, false, GlobalValue::InternalLinkage,
                                  ConstantStruct::get(siteTy, fields),
                                  "__pymon_site." + fn.getName());
    gv->setSection(PYMON_SITES_SECTION);
    /* Exact alignment keeps the section a dense array of sites. */
    gv->setAlignment(Align(8));
    return gv;
  }

  /* The IR value of a variant parameter, widened as abi.h says; null when
  ** the IR signature is not what the frontend expected. */
  Value *argument(IRBuilder<> &b, Function &fn, const pymon::TestFunction &info,
                  const Param &p) {
    unsigned prefix = info.cxxInstance ? 1 : 0;
    for (unsigned i = 0; i < fn.arg_size() && i < 2; i++)
      if (fn.hasParamAttribute(i, Attribute::StructRet))
        prefix++;
    long index = p.irIndex >= 0 ? (long)prefix + p.irIndex
                                : (long)fn.arg_size() - p.fromEnd;
    if (index < (long)prefix || index >= (long)fn.arg_size())
      return nullptr;
    Value *v = fn.getArg((unsigned)index);
    Type *t = v->getType();
    if (p.kind == PYMON_ARG_STRING)
      return t->isPointerTy() ? b.CreatePointerCast(v, i8p) : nullptr;
    if (p.kind == PYMON_ARG_FLOAT)
      return t->isFloatingPointTy() ? b.CreateFPCast(v, b.getDoubleTy()) : nullptr;
    if (!t->isIntegerTy())
      return nullptr;
    return p.isSigned ? b.CreateSExtOrTrunc(v, i64) : b.CreateZExtOrTrunc(v, i64);
  }

  void callExit(Instruction *before, DebugLoc loc) {
    IRBuilder<> b(before);
    b.SetCurrentDebugLocation(loc);
    b.CreateCall(exit);
  }

  void exitOnUnwind(Function &fn, DebugLoc loc);
};

/* Where a new call in `fn` gets its debug location from. */
DebugLoc functionLoc(Function &fn) {
  if (DISubprogram *sp = fn.getSubprogram())
    return DILocation::get(fn.getContext(), sp->getScopeLine(), 0, sp);
  return DebugLoc();
}

DebugLoc locOr(Instruction *inst, Function &fn) {
  if (DebugLoc loc = inst->getDebugLoc())
    return loc;
  return functionLoc(fn);
}

void Instrumenter::instrument(Function &fn, const pymon::TestFunction &info) {
  IRBuilder<> b(&*fn.getEntryBlock().getFirstInsertionPt());
  b.SetCurrentDebugLocation(functionLoc(fn));
  std::vector<const Param *> passed;
  std::vector<Value *> args;
  for (const Param &p : info.params) {
    if (Value *v = argument(b, fn, info, p)) {
      passed.push_back(&p);
      args.push_back(v);
    } else {
      errs() << "pymon: warning: parameter '" << p.name << "' of '" << info.item
             << "' has an unexpected IR type; left out of the variant\n";
    }
  }
  Constant *site = asPtr(siteDescriptor(fn, info, passed));
  args.insert(args.begin(), site);
  b.CreateCall(passed.empty() ? enter : enterArgs, args);

  std::vector<Instruction *> exits;
  for (BasicBlock &bb : fn) {
    auto *ret = dyn_cast<ReturnInst>(bb.getTerminator());
    if (!ret)
      continue;
    /* A musttail call must stay right before its ret: exit before it. */
    CallInst *tail = bb.getTerminatingMustTailCall();
    exits.push_back(tail ? static_cast<Instruction *>(tail) : ret);
  }
  for (Instruction *at : exits)
    callExit(at, locOr(at, fn));
  if (u.exceptions && !fn.doesNotThrow())
    exitOnUnwind(fn, functionLoc(fn));

  fn.addFnAttr(Attribute::NoInline);
  fn.addFnAttr(instrumentedMark);
}

/* C++ exceptions leave a function through `resume` or through a call that
** is not an invoke.  Exit before each resume, and turn throwing calls into
** invokes whose cleanup exits and resumes, as try/finally would. */
void Instrumenter::exitOnUnwind(Function &fn, DebugLoc loc) {
  std::vector<Instruction *> resumes;
  std::vector<CallInst *> throwing;
  for (BasicBlock &bb : fn) {
    for (Instruction &inst : bb) {
      if (isa<ResumeInst>(inst))
        resumes.push_back(&inst);
      auto *call = dyn_cast<CallInst>(&inst);
      if (call && !call->doesNotThrow() && !call->isInlineAsm() &&
          !call->isMustTailCall() && !isa<IntrinsicInst>(call))
        throwing.push_back(call);
    }
  }
  for (Instruction *r : resumes)
    callExit(r, locOr(r, fn));
  if (throwing.empty())
    return;
  if (!fn.hasPersonalityFn()) {
    FunctionCallee personality = m.getOrInsertFunction(
        "__gxx_personality_v0", FunctionType::get(i32, true));
    fn.setPersonalityFn(cast<Constant>(personality.getCallee()));
  }
  BasicBlock *cleanup = BasicBlock::Create(ctx, "pymon.unwind", &fn);
  IRBuilder<> b(cleanup);
  b.SetCurrentDebugLocation(loc);
  Type *lpTy = StructType::get(i8p, i32);
  LandingPadInst *lp = b.CreateLandingPad(lpTy, 0);
  lp->setCleanup(true);
  callExit(b.CreateResume(lp), loc);
  for (CallInst *call : throwing)
    changeToInvokeAndSplitBasicBlock(call, cleanup);
}

struct PymonPass : PassInfoMixin<PymonPass> {
  PreservedAnalyses run(Module &m, ModuleAnalysisManager &) {
    const Unit &u = unit();
    if (!u.active) {
      errs() << "pymon: warning: the pymon pass runs without its frontend "
                "half; load it with -fplugin=, not only -fpass-plugin= "
                "(nothing instrumented)\n";
      return PreservedAnalyses::all();
    }
    Instrumenter *ins = nullptr;
    std::unique_ptr<Instrumenter> owner;
    for (Function &fn : m) {
      if (fn.isDeclaration() || fn.hasFnAttribute(instrumentedMark))
        continue;
      auto it = u.functions.find(fn.getName().str());
      if (it == u.functions.end())
        continue;
      const TestFunction &info = it->second;
      if (info.unwrappable) {
        u.report(info.location, true,
                 "pymon: not instrumenting '" + info.name +
                     "': naked and always_inline functions cannot be wrapped");
        continue;
      }
      if (u.verbose)
        u.report(info.location, false,
                 "pymon: instrumenting '" + info.item + "' (" + info.reason +
                     ")");
      if (!ins) {
        owner = std::make_unique<Instrumenter>(m, u);
        ins = owner.get();
      }
      ins->instrument(fn, info);
    }
    return ins ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
  /* Runs at -O0 too, where functions are optnone. */
  static bool isRequired() { return true; }
};

} // namespace
} // namespace pymon

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "pymon", CLANG_VERSION_STRING,
          [](PassBuilder &pb) {
            pb.registerPipelineStartEPCallback(
                [](ModulePassManager &mpm, OptimizationLevel) {
                  mpm.addPass(pymon::PymonPass());
                });
          }};
}
