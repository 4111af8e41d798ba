/*
** A stand-in for libpymon that prints every pymon_enter/pymon_exit call it
** receives, decoding the variadic arguments by site->params, so a test can
** check the exact ABI a plugin emits without the real runtime.
*/
#include <stdarg.h>
#include <stdio.h>

#include "pymon/abi.h"

static const char *or_dash(const char *s) { return s ? s : "-"; }

static void print_arg(const struct pymon_param *p, va_list *ap) {
  switch (p->kind) {
  case PYMON_ARG_UNSIGNED:
    printf(" %s=u:%llu", p->name, va_arg(*ap, unsigned long long));
    break;
  case PYMON_ARG_FLOAT:
    printf(" %s=f:%g", p->name, va_arg(*ap, double));
    break;
  case PYMON_ARG_STRING: {
    const char *s = va_arg(*ap, const char *);
    printf(" %s=s:%s", p->name, s ? s : "NULL");
    break;
  }
  case PYMON_ARG_ENUM: {
    long long v = va_arg(*ap, long long);
    printf(" %s=e:%lld", p->name, v);
    for (uint32_t i = 0; i < p->enumerator_count; i++)
      if (p->enumerators[i].value == v)
        printf("/%s", p->enumerators[i].name);
    printf("/%u", (unsigned)p->enumerator_count);
    break;
  }
  default:
    printf(" %s=k%u:%lld", p->name, (unsigned)p->kind, va_arg(*ap, long long));
  }
}

static void print_enter(struct pymon_site *site, va_list *ap, const char *via) {
  printf("enter %s abi=%u flags=%u line=%u file=%s comp=%s suite=%s",
         site->function, (unsigned)site->abi_version, (unsigned)site->flags,
         (unsigned)site->line, site->module->file,
         or_dash(site->module->component), or_dash(site->suite));
  if (site->module->flags)
    printf(" module=%u", (unsigned)site->module->flags);
  if (site->condition)
    printf(" cond=%d", site->condition());
  if (site->annotations)
    printf(" ann=%s", site->annotations);
  for (uint32_t i = 0; ap && i < site->param_count; i++)
    print_arg(&site->params[i], ap);
  /* A site's entry point follows from its parameter count (abi.h). */
  printf(" via=%s%s\n", via,
         (site->param_count > 0) != (ap != NULL) ? "(wrong)" : "");
}

/* pymon_exit names the innermost call entered, as the runtime ends it. */
static const char *entered[64];
static int depth;

void pymon_enter(struct pymon_site *site) {
  print_enter(site, NULL, "enter");
  if (depth < 64) entered[depth++] = site->function;
}

void pymon_enter_args(struct pymon_site *site, ...) {
  va_list ap;
  va_start(ap, site);
  print_enter(site, &ap, "enter_args");
  va_end(ap);
  if (depth < 64) entered[depth++] = site->function;
}

void pymon_exit(void) { printf("exit %s\n", depth > 0 ? entered[--depth] : "(none)"); }

/* Sites in the binary's pymon_sites section; a wrong stride shows here. */
extern struct pymon_site __start_pymon_sites[], __stop_pymon_sites[];
int pymon_standin_sites(void);
int pymon_standin_sites(void) {
  int n = 0;
  for (struct pymon_site *s = __start_pymon_sites; s < __stop_pymon_sites; s++)
    n += s->abi_version == PYMON_ABI_VERSION;
  return n;
}
