/*
** The contract between the pymon compiler plugins and the pymon runtime.
**
** A plugin emits, for every function it instruments, one `struct pymon_site`
** (placed in the `pymon_sites` section) and, per translation unit, one
** `struct pymon_module`.  It then inserts
**
**     pymon_enter(&site);            or  pymon_enter_args(&site, arg...);
**     ... body ...
**     pymon_exit();                            (on every exit path)
**
** pymon_enter_args is for sites with parameters that form the item's
** variant: one argument per `site->params[i]`, converted as `pymon_arg_kind`
** says.  pymon_exit ends the innermost call entered on the thread.  The
** calls carry nothing else: every argument costs the compiler time in
** each instrumented function, so what the runtime can find out itself
** (the stack pointer at the call, which orders nested calls and tells
** which were left by longjmp) it does.  ABI version 2 passed the frame's
** CFA to both calls and the site to pymon_exit; the runtime refuses such
** objects.
**
** Both plugins and the runtime include this file; change it only together
** with PYMON_ABI_VERSION, which the runtime checks on first use of every
** site so an object built against another layout is refused, never
** misread.  The first member of both structs stays `abi_version` forever.
*/
#ifndef PYMON_ABI_H
#define PYMON_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PYMON_ABI_VERSION 3u

/* Name of the section holding every `struct pymon_site` of a binary. */
#define PYMON_SITES_SECTION "pymon_sites"

/* How a variant-forming argument is passed to pymon_enter_args. */
enum pymon_arg_kind {
  PYMON_ARG_SIGNED = 1,   /* any signed integer type, passed as long long */
  PYMON_ARG_UNSIGNED = 2, /* any unsigned integer type, unsigned long long */
  PYMON_ARG_FLOAT = 3,    /* float, double, long double: passed as double */
  PYMON_ARG_CHAR = 4,     /* plain char: passed as long long, shown as text */
  PYMON_ARG_BOOL = 5,     /* _Bool / bool: passed as long long, True/False */
  PYMON_ARG_STRING = 6,   /* char pointer: const char *, NULL allowed */
  PYMON_ARG_ENUM = 7,     /* enum: long long, shown by enumerator name */
  PYMON_ARG_LOOP_INDEX = 8 /* Check's `_i` of a loop test: long long,
                              shown only when != 0 */
};

struct pymon_enumerator {
  const char *name;
  long long value;
};

struct pymon_param {
  const char *name;    /* parameter name, for explicit parametrization */
  uint32_t kind;       /* enum pymon_arg_kind */
  uint32_t enumerator_count;
  const struct pymon_enumerator *enumerators; /* PYMON_ARG_ENUM only */
};

/* struct pymon_module.flags */
#define PYMON_MODULE_SKIP_BY_DEFAULT 0x1u /* file-scope pymon_module_skip_test */

/* One per translation unit that has at least one instrumented function. */
struct pymon_module {
  uint32_t abi_version;     /* PYMON_ABI_VERSION of the plugin */
  uint32_t flags;           /* PYMON_MODULE_* */
  const char *file;         /* the main source file as the compiler saw it */
  const char *compile_dir;  /* compiler's working directory (absolute) */
  const char *component;    /* value of file-scope `pymon_component`, or NULL */
  const char *compiler;     /* e.g. "GCC 12.2.0", "clang 14.0.6" */
  void *runtime_data;       /* zero in the object; owned by the runtime */
};

/* struct pymon_site.flags */
#define PYMON_SITE_BY_NAME 0x1u      /* selected by a naming convention */
#define PYMON_SITE_BY_ATTRIBUTE 0x2u /* selected by annotate("monitor_test") */
#define PYMON_SITE_FORCE 0x4u        /* monitor_test[_if]: beats module default */
#define PYMON_SITE_SKIP_IF 0x8u      /* monitor_skip_test_if: condition skips */

/* One per instrumented function. */
struct pymon_site {
  uint32_t abi_version;        /* PYMON_ABI_VERSION of the plugin */
  uint32_t flags;              /* PYMON_SITE_* */
  struct pymon_module *module;
  const char *function;        /* the function's name in the source */
  const char *suite;           /* class-scope suite name, or NULL */
  uint32_t line;               /* line of the function's definition */
  uint32_t param_count;        /* entries in params, arguments passed */
  const struct pymon_param *params;
  /* For monitor_test_if / monitor_skip_test_if: evaluated at each call,
  ** non-zero means "the condition holds".  NULL when there is none. */
  int (*condition)(void);
  /* Other monitor_* annotate strings of the function, '\n'-separated
  ** (e.g. "monitor_limit:MEM_USAGE=64"), or NULL. */
  const char *annotations;
  void *runtime_data;          /* zero in the object; owned by the runtime */
};

void pymon_enter(struct pymon_site *site);
void pymon_enter_args(struct pymon_site *site, ...);
void pymon_exit(void);

#ifdef __cplusplus
}
#endif

#endif /* PYMON_ABI_H */
