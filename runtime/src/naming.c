/*
** Item names, paths and parametrized variants (see naming.h).
**
** Argument values are shown like pytest's ids: integers in decimal, floats
** as Python's repr(), booleans as True/False, strings as ASCII with other
** bytes escaped (so the stored text is always valid UTF-8 and JSON).
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "naming.h"

/* A growing string that silently stops at its capacity. */
struct text {
  char *buf;
  size_t len, cap; /* cap excludes the NUL */
};

static void text_putc(struct text *t, char c) {
  if (t->len < t->cap) t->buf[t->len++] = c;
  t->buf[t->len] = '\0';
}

static void text_puts(struct text *t, const char *s) {
  while (*s) text_putc(t, *s++);
}

/* Bytes as pytest shows bytes ids: printable ASCII kept, others escaped. */
static void text_put_escaped(struct text *t, const char *s) {
  static const char hex[] = "0123456789abcdef";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '\t': text_puts(t, "\\t"); break;
    case '\n': text_puts(t, "\\n"); break;
    case '\r': text_puts(t, "\\r"); break;
    case '\\': text_puts(t, "\\\\"); break;
    default:
      if (*p >= 0x20 && *p < 0x7f) {
        text_putc(t, (char)*p);
      } else {
        text_puts(t, "\\x");
        text_putc(t, hex[*p >> 4]);
        text_putc(t, hex[*p & 15]);
      }
    }
  }
}

void pymon_format_double(char *out, size_t outlen, double value) {
  if (isnan(value)) { snprintf(out, outlen, "nan"); return; }
  if (isinf(value)) { snprintf(out, outlen, value < 0 ? "-inf" : "inf"); return; }
  /* Shortest round-tripping digits, then Python's layout: positional for
  ** exponents in [-4, 16), scientific otherwise, always a '.' or 'e'. */
  char digits[40];
  int precision;
  for (precision = 1; precision < 17; precision++) {
    snprintf(digits, sizeof digits, "%.*e", precision - 1, value);
    if (strtod(digits, NULL) == value) break;
  }
  snprintf(digits, sizeof digits, "%.*e", precision - 1, value);
  int exponent = atoi(strchr(digits, 'e') + 1);
  if (exponent >= -4 && exponent < 16) {
    int decimals = precision - 1 - exponent;
    if (decimals < 1) decimals = 1;
    snprintf(out, outlen, "%.*f", decimals, value);
  } else {
    *strchr(digits, 'e') = '\0'; /* keep the mantissa digits as printed */
    snprintf(out, outlen, "%se%c%02d", digits, exponent < 0 ? '-' : '+',
             abs(exponent));
  }
}

static const char *enumerator_name(const struct pymon_param *param,
                                   long long value) {
  for (uint32_t i = 0; i < param->enumerator_count; i++)
    if (param->enumerators[i].value == value) return param->enumerators[i].name;
  return NULL;
}

/* Append one argument's id; returns 0 when it is left out (loop index 0). */
static int put_argument(struct text *t, const struct pymon_param *param,
                        va_list *ap, const char *prefix) {
  char num[64];
  long long sval = 0;
  const char *str;

  switch (param->kind) {
  case PYMON_ARG_UNSIGNED:
    snprintf(num, sizeof num, "%llu", va_arg(*ap, unsigned long long));
    str = num;
    break;
  case PYMON_ARG_FLOAT:
    pymon_format_double(num, sizeof num, va_arg(*ap, double));
    str = num;
    break;
  case PYMON_ARG_STRING:
    str = va_arg(*ap, const char *);
    if (prefix) text_puts(t, prefix);
    if (str) text_put_escaped(t, str); else text_puts(t, "None");
    return 1;
  case PYMON_ARG_CHAR:
    num[0] = (char)va_arg(*ap, long long);
    num[1] = '\0';
    if (prefix) text_puts(t, prefix);
    text_put_escaped(t, num);
    return 1;
  case PYMON_ARG_BOOL:
    str = va_arg(*ap, long long) ? "True" : "False";
    break;
  case PYMON_ARG_ENUM:
    sval = va_arg(*ap, long long);
    str = enumerator_name(param, sval);
    if (!str) {
      snprintf(num, sizeof num, "%lld", sval);
      str = num;
    }
    break;
  case PYMON_ARG_LOOP_INDEX:
    sval = va_arg(*ap, long long);
    if (sval == 0) return 0;
    snprintf(num, sizeof num, "%lld", sval);
    str = num;
    break;
  default: /* PYMON_ARG_SIGNED; unknown kinds are refused before this */
    snprintf(num, sizeof num, "%lld", va_arg(*ap, long long));
    str = num;
    break;
  }
  if (prefix) text_puts(t, prefix);
  text_puts(t, str);
  return 1;
}

void pymon_format_variant(char *out, size_t outlen,
                          const struct pymon_site *site, const char *item,
                          int explicit_names, va_list ap) {
  struct text t = {out, 0, outlen - 1};
  va_list args;

  out[0] = '\0';
  text_puts(&t, item);
  if (site->param_count == 0) return;
  va_copy(args, ap);
  size_t bracket = t.len;
  int shown = 0;
  text_putc(&t, '[');
  for (uint32_t i = 0; i < site->param_count; i++) {
    const struct pymon_param *param = &site->params[i];
    char prefix[256];
    size_t mark = t.len;
    if (shown) text_putc(&t, '-');
    if (explicit_names) snprintf(prefix, sizeof prefix, "%s_", param->name);
    if (put_argument(&t, param, &args, explicit_names ? prefix : NULL))
      shown++;
    else
      t.len = mark, t.buf[mark] = '\0';
  }
  va_end(args);
  if (shown)
    text_putc(&t, ']');
  else
    t.len = bracket, t.buf[bracket] = '\0';
}

/* Lexically normalise an absolute path in place: drop ".", "//", "..". */
static void normalise_path(char *path) {
  char *out = path;
  const char *in = path;
  while (*in) {
    while (*in == '/') in++;
    const char *end = strchr(in, '/');
    size_t n = end ? (size_t)(end - in) : strlen(in);
    if (n == 0) break;
    if (n == 1 && in[0] == '.') {
      /* skip */
    } else if (n == 2 && in[0] == '.' && in[1] == '.') {
      while (out > path && *--out != '/') {}
    } else {
      *out++ = '/';
      memmove(out, in, n);
      out += n;
    }
    in += n;
  }
  if (out == path) *out++ = '/';
  *out = '\0';
}

static char *join_path(const char *dir, const char *file) {
  size_t n = strlen(dir) + strlen(file) + 2;
  char *p = malloc(n);
  if (!p) return NULL;
  if (file[0] == '/')
    snprintf(p, n, "%s", file);
  else
    snprintf(p, n, "%s/%s", dir, file);
  normalise_path(p);
  return p;
}

/* `path` relative to `base` (both normalised absolute), with ".." steps. */
static char *relative_path(const char *path, const char *base) {
  size_t common = 0; /* end of the longest shared directory prefix */
  for (size_t i = 0;; i++) {
    int path_end = path[i] == '/' || path[i] == '\0';
    int base_end = base[i] == '/' || base[i] == '\0';
    if (path_end && base_end) common = i;
    if (path[i] != base[i] || path[i] == '\0') break;
  }
  size_t ups = 0;
  for (const char *b = base + common; *b; b++)
    if (*b == '/' && b[1] && b[1] != '/') ups++;
  const char *rest = path + common;
  while (*rest == '/') rest++;
  size_t n = ups * 3 + strlen(rest) + 1;
  char *out = malloc(n);
  if (!out) return NULL;
  char *p = out;
  for (size_t k = 0; k < ups; k++, p += 3) memcpy(p, "../", 3);
  strcpy(p, rest);
  return out;
}

static char *dotted(const char *rel, int keep_last) {
  while (strncmp(rel, "../", 3) == 0) rel += 3;
  char *s = strdup(rel);
  if (!s) return NULL;
  char *dot = strrchr(s, '.');
  char *slash = strrchr(s, '/');
  if (dot && (!slash || dot > slash)) *dot = '\0';
  if (!keep_last) {
    slash = strrchr(s, '/');
    if (slash) *slash = '\0'; else s[0] = '\0';
  }
  for (char *p = s; *p; p++)
    if (*p == '/') *p = '.';
  return s;
}

int pymon_module_names_init(struct pymon_module_names *names, const char *file,
                            const char *compile_dir, const char *invocation_dir) {
  memset(names, 0, sizeof *names);
  char *abs_file = join_path(compile_dir ? compile_dir : "/", file ? file : "");
  char *abs_base = join_path("/", invocation_dir ? invocation_dir : "/");
  if (abs_file && abs_base) {
    names->fs_loc = relative_path(abs_file, abs_base);
    if (names->fs_loc) {
      names->item_path = dotted(names->fs_loc, 1);
      names->parent_path = dotted(names->fs_loc, 0);
      const char *base = strrchr(names->item_path ? names->item_path : "", '.');
      names->module_item = strdup(base ? base + 1 : names->item_path ? names->item_path : "");
    }
  }
  free(abs_file);
  free(abs_base);
  if (!names->fs_loc || !names->item_path || !names->parent_path ||
      !names->module_item) {
    pymon_module_names_free(names);
    return -1;
  }
  return 0;
}

void pymon_module_names_free(struct pymon_module_names *names) {
  free(names->fs_loc);
  free(names->item_path);
  free(names->module_item);
  free(names->parent_path);
  memset(names, 0, sizeof *names);
}
