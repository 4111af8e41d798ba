/*
** Diagnostics, checked allocation, the string buffer and output files
** shared by every subcommand.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_command = NULL;

static void vmessage(const char *kind, const char *fmt, va_list ap) {
  if (cli_command)
    fprintf(stderr, "pymon %s: %s", cli_command, kind);
  else
    fprintf(stderr, "pymon: %s", kind);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

int cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage("", fmt, ap);
  va_end(ap);
  return CLI_EXIT_USAGE;
}

void cli_warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage("warning: ", fmt, ap);
  va_end(ap);
}

static void *check_alloc(void *p) {
  if (!p) {
    fputs("pymon: out of memory\n", stderr);
    exit(CLI_EXIT_USAGE);
  }
  return p;
}

void *xmalloc(size_t n) { return check_alloc(malloc(n ? n : 1)); }
void *xcalloc(size_t count, size_t size) {
  return check_alloc(calloc(count ? count : 1, size ? size : 1));
}
void *xrealloc(void *p, size_t n) { return check_alloc(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return check_alloc(strdup(s ? s : "")); }

void *xgrow(void *v, size_t n, size_t *cap, size_t size) {
  if (n < *cap)
    return v;
  *cap = *cap ? *cap * 2 : 16;
  return xrealloc(v, *cap * size);
}

static void sb_reserve(struct strbuf *sb, size_t extra) {
  if (sb->len + extra + 1 <= sb->cap)
    return;
  size_t cap = sb->cap ? sb->cap : 64;
  while (cap < sb->len + extra + 1)
    cap *= 2;
  sb->buf = xrealloc(sb->buf, cap);
  sb->cap = cap;
}

void sb_appendn(struct strbuf *sb, const char *s, size_t n) {
  sb_reserve(sb, n);
  memcpy(sb->buf + sb->len, s, n);
  sb->len += n;
  sb->buf[sb->len] = '\0';
}

void sb_append(struct strbuf *sb, const char *s) { sb_appendn(sb, s, strlen(s)); }

void sb_vappendf(struct strbuf *sb, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0)
    return;
  sb_reserve(sb, (size_t)n);
  vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
  sb->len += (size_t)n;
}

void sb_appendf(struct strbuf *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vappendf(sb, fmt, ap);
  va_end(ap);
}

void sb_free(struct strbuf *sb) {
  free(sb->buf);
  sb->buf = NULL;
  sb->len = sb->cap = 0;
}

static int is_stdout(const char *path) { return !path || strcmp(path, "-") == 0; }

FILE *cli_open_output(const char *path) {
  if (is_stdout(path))
    return stdout;
  FILE *f = fopen(path, "w");
  if (!f)
    cli_error("cannot write '%s': %s", path, strerror(errno));
  return f;
}

int cli_close_output(FILE *f, const char *path) {
  int failed = ferror(f) != 0;
  if (is_stdout(path))
    failed |= fflush(f) != 0;
  else
    failed |= fclose(f) != 0;
  if (failed)
    return cli_error("error writing '%s'", is_stdout(path) ? "stdout" : path);
  return CLI_EXIT_OK;
}
