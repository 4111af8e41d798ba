/*
** The execution context: what machine and toolchain ran the tests, read
** from the same Linux sources pytest-monitor uses, and its ENV_H hash.
*/
#ifndef PYMON_CONTEXT_H
#define PYMON_CONTEXT_H

#include "record.h"

/*
** Fill *ctx for this machine, CPU_TYPE and MACHINE_NODE aside (set below).
** runtime_info names the toolchain that built the tests (e.g. "GCC
** 12.2.0"); the C library version is appended.  Never fails: fields that
** cannot be read are left as pytest-monitor leaves them (0 or "").
*/
void pymon_context_collect(struct pymon_context *ctx, const char *runtime_info);

/*
** CPU_TYPE is what `uname -p` prints, which stays the same for as long as
** the host and the uname binary do.  The key names that answer (host,
** kernel, and the binary's path, device, inode, size and times): 0, or -1
** when there is no uname.  set_cpu_type fills CPU_TYPE in from a kept
** answer, or given NULL runs the command, and hashes the context again.
*/
int pymon_context_cpu_type_key(char *key, size_t len);
void pymon_context_set_cpu_type(struct pymon_context *ctx, const char *known);

/*
** MACHINE_NODE is socket.getfqdn(): name lookups of the host name, which
** may wait for an unanswering resolver's timeouts.  Its answer stays the
** same for as long as the host name and the resolver's files do (key as
** above, with their device, inode, size and times).  set_machine_node
** fills it in from a kept answer, or given NULL looks it up; it returns 1
** when a lookup failed for now (the host name stands in), else 0.
*/
int pymon_context_machine_node_key(char *key, size_t len);
int pymon_context_set_machine_node(struct pymon_context *ctx, const char *known);

/* Name another toolchain in a collected context (and hash it again). */
void pymon_context_set_runtime(struct pymon_context *ctx, const char *runtime_info);

/* Compute ctx->env_h from the other fields (COMPAT.md: "Identifiers"). */
void pymon_context_hash(struct pymon_context *ctx);

#endif /* PYMON_CONTEXT_H */
