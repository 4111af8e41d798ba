/*
** Shared declarations of the pymon command: the subcommand entry points,
** diagnostics, checked allocation and a growable string buffer.  Every
** subcommand returns its exit status: 0 success, 1 regression (check),
** 2 usage or input error.
*/
#ifndef PYMON_CLI_H
#define PYMON_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

#define CLI_EXIT_OK 0
#define CLI_EXIT_REGRESSION 1
#define CLI_EXIT_USAGE 2

/* Subcommands (argv[0] is the subcommand name). */
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_html(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* The subcommand being run, for message prefixes ("pymon report: ..."). */
extern const char *cli_command;

/* "pymon <cmd>: message" on stderr. cli_error returns CLI_EXIT_USAGE. */
int cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_warn(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Allocation that exits on failure: running out of memory in a
** short-lived command is not worth a recovery path. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Grow array v of n elements (cap allocated) so it holds one more. */
void *xgrow(void *v, size_t n, size_t *cap, size_t size);
/* Append an element to array v, evaluating to a pointer to it (zeroed). */
#define XPUSH(v, n, cap)                                                       \
  ((v) = xgrow((v), (n), &(cap), sizeof *(v)),                                 \
   memset(&(v)[(n)], 0, sizeof *(v)), &(v)[(n)++])

struct strbuf {
  char *buf;
  size_t len, cap;
};
void sb_append(struct strbuf *sb, const char *s);
void sb_appendn(struct strbuf *sb, const char *s, size_t n);
void sb_appendf(struct strbuf *sb, const char *fmt, ...) CLI_PRINTF(2, 3);
void sb_vappendf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_free(struct strbuf *sb);

/* Escaping for the formats pymon writes (escape.c). */
void xml_escape(FILE *out, const char *s);
void csv_field(FILE *out, const char *s);
void md_escape(FILE *out, const char *s);
void term_print(FILE *out, const char *s);

/* Open path for writing, or stdout for NULL / "-". NULL with a message
** on failure. cli_close_output reports write errors; 0 or exit status. */
FILE *cli_open_output(const char *path);
int cli_close_output(FILE *f, const char *path);

#endif /* PYMON_CLI_H */
