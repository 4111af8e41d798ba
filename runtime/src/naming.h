/*
** Naming items the way pytest-monitor does: ITEM_PATH, ITEM_FS_LOC and the
** parametrized ITEM_VARIANT (`test_p[10-10]`, `test_p[asint_10-asstr_10]`).
*/
#ifndef PYMON_NAMING_H
#define PYMON_NAMING_H

#include <stdarg.h>
#include <stddef.h>

#include "pymon/abi.h"

/* ITEM_VARIANT is declared varchar(2048): longer variants are cut there. */
#define PYMON_VARIANT_MAX 2048

/* Where a source file lives, relative to the invocation directory. */
struct pymon_module_names {
  char *fs_loc;      /* ITEM_FS_LOC: "tests/unit/test_math.c" */
  char *item_path;   /* ITEM_PATH of its functions: "tests.unit.test_math" */
  char *module_item; /* ITEM of the module row: "test_math" */
  char *parent_path; /* ITEM_PATH of the module row: "tests.unit" or "" */
};

/*
** Fill *names for `file` (as the compiler saw it, relative to compile_dir
** unless absolute) seen from invocation_dir.  Returns 0 or -1 (no memory).
*/
int pymon_module_names_init(struct pymon_module_names *names, const char *file,
                            const char *compile_dir, const char *invocation_dir);
void pymon_module_names_free(struct pymon_module_names *names);

/*
** Write the variant for one call into out (at most PYMON_VARIANT_MAX bytes
** plus NUL): the function name, then "[v1-v2]" built from the arguments in
** ap as site->params describe them; "name_value" pairs when explicit.
*/
void pymon_format_variant(char *out, size_t outlen,
                          const struct pymon_site *site, const char *item,
                          int explicit_names, va_list ap);

/* Python's repr() of a float: shortest text that reads back the same. */
void pymon_format_double(char *out, size_t outlen, double value);

#endif /* PYMON_NAMING_H */
