/*
** Option parsing shared by the subcommands.  Kept deliberately small:
** long options only (plus -h and -o), so every subcommand reads the same.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

#define OPT_END 0    /* no more options: argv[a->next] is the first operand */
#define OPT_HELP -1  /* -h or --help */
#define OPT_ERROR -2 /* message already printed */

struct cli_args {
  int argc;
  char **argv;
  int next; /* index of the next argument to read */
};

static void args_init(struct cli_args *a, int argc, char **argv) {
  a->argc = argc;
  a->argv = argv;
  a->next = 1; /* argv[0] is the subcommand */
}

static const struct cli_option *find_option(const struct cli_option *options,
                                            const char *name, size_t len) {
  for (const struct cli_option *o = options; o->name; o++)
    if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
      return o;
  return NULL;
}

/* The next option's id, with its value (or NULL) in *value. */
static int args_next(struct cli_args *a, const struct cli_option *options,
                     const char **value) {
  *value = NULL;
  if (a->next >= a->argc)
    return OPT_END;
  const char *arg = a->argv[a->next];
  if (strcmp(arg, "--") == 0) {
    a->next++;
    return OPT_END;
  }
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
    a->next++;
    return OPT_HELP;
  }
  const char *name;
  if (strncmp(arg, "--", 2) == 0)
    name = arg + 2;
  else if (strcmp(arg, "-o") == 0)
    name = "output";
  else if (arg[0] == '-' && arg[1] != '\0')
    goto unknown;
  else
    return OPT_END; /* first operand */

  const char *eq = strchr(name, '=');
  size_t len = eq ? (size_t)(eq - name) : strlen(name);
  const struct cli_option *o = find_option(options, name, len);
  if (!o)
    goto unknown;
  a->next++;
  if (!o->has_value) {
    if (eq) {
      cli_error("option --%s takes no value (got '%s')", o->name, arg);
      return OPT_ERROR;
    }
    return o->id;
  }
  if (eq) {
    *value = eq + 1;
  } else if (a->next < a->argc) {
    *value = a->argv[a->next++];
  } else {
    cli_error("option --%s needs a value", o->name);
    return OPT_ERROR;
  }
  return o->id;

unknown:
  cli_error("unknown option '%s' (see 'pymon %s --help')", arg,
            cli_command ? cli_command : "");
  return OPT_ERROR;
}

static int args_no_operands(const struct cli_args *a) {
  if (a->next < a->argc)
    return cli_error("unexpected argument '%s' (see 'pymon %s --help')",
                     a->argv[a->next], cli_command ? cli_command : "");
  return 0;
}

int args_parse(int argc, char **argv, const struct cli_option *options,
               const char *help, cli_option_fn fn, void *ctx, int *operands) {
  struct cli_args a;
  args_init(&a, argc, argv);
  const char *value;
  int id, rc;
  while ((id = args_next(&a, options, &value)) > 0)
    if ((rc = fn(ctx, id, value)) != 0)
      return rc;
  if (id == OPT_HELP) {
    fputs(help, stdout);
    return ARGS_HELP_SHOWN;
  }
  if (id == OPT_ERROR)
    return CLI_EXIT_USAGE;
  if (!operands)
    return args_no_operands(&a);
  *operands = a.next;
  return 0;
}

int args_double(const char *what, const char *text, double min,
                double *out) {
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || errno || !isfinite(v) || v < min)
    return cli_error("bad %s '%s': expected a number >= %g", what, text, min);
  *out = v;
  return 0;
}

int args_int(const char *what, const char *text, long min, long max,
             long *out) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (end == text || *end != '\0' || errno || v < min || v > max)
    return cli_error("bad %s '%s': expected a whole number from %ld to %ld",
                     what, text, min, max);
  *out = v;
  return 0;
}
