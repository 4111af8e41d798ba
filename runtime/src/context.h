/*
** The execution context: what machine and toolchain ran the tests, read
** from the same Linux sources pytest-monitor uses, and its ENV_H hash.
*/
#ifndef PYMON_CONTEXT_H
#define PYMON_CONTEXT_H

#include "record.h"

/*
** Fill *ctx for this machine.  runtime_info names the toolchain that built
** the tests (e.g. "GCC 12.2.0"); the C library version is appended.
** Never fails: fields that cannot be read are left as pytest-monitor leaves
** them (0 or "").
*/
void pymon_context_collect(struct pymon_context *ctx, const char *runtime_info);

/* Name another toolchain in a collected context (and hash it again). */
void pymon_context_set_runtime(struct pymon_context *ctx, const char *runtime_info);

/* Compute ctx->env_h from the other fields (COMPAT.md: "Identifiers"). */
void pymon_context_hash(struct pymon_context *ctx);

#endif /* PYMON_CONTEXT_H */
