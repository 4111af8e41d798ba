/*
** Lowercase hex MD5 over several strings fed in order with no separator,
** the way pytest-monitor derives ENV_H and SESSION_H.
*/
#ifndef PYMON_MD5HEX_H
#define PYMON_MD5HEX_H

#include <stddef.h>

/* out receives 32 hex digits and a NUL. */
void pymon_md5_hex(const char *const parts[], size_t count, char out[33]);

#endif /* PYMON_MD5HEX_H */
