/*
** The SCM id of a session: git's HEAD commit in the invocation directory,
** else the Perforce change, else "" (COMPAT.md, "Identifiers").
*/
#ifndef PYMON_SCM_H
#define PYMON_SCM_H

#include <stddef.h>

void pymon_scm_detect(const char *dir, char *out, size_t outlen);

#endif /* PYMON_SCM_H */
