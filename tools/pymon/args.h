/*
** Option parsing shared by the subcommands: GNU-style long options
** ("--name value" or "--name=value"), "--" ending the options, and
** checked conversion of option values to numbers.
*/
#ifndef PYMON_ARGS_H
#define PYMON_ARGS_H

struct cli_option {
  const char *name; /* without the leading "--" */
  int has_value;
  int id;           /* > 0 */
};

#define OPT_END 0    /* no more options: argv[a->next] is the first operand */
#define OPT_HELP -1  /* -h or --help */
#define OPT_ERROR -2 /* message already printed */

struct cli_args {
  int argc;
  char **argv;
  int next; /* index of the next argument to read */
};

void args_init(struct cli_args *a, int argc, char **argv);

/* The next option's id, with its value (or NULL) in *value. */
int args_next(struct cli_args *a, const struct cli_option *options,
              const char **value);

/* Error unless every argument was consumed. 0 or CLI_EXIT_USAGE. */
int args_no_operands(const struct cli_args *a);

/* Checked conversions; on bad input print "bad <what> 'text': expected
** ..." and return CLI_EXIT_USAGE, else 0. */
int args_double(const char *what, const char *text, double min,
                double *out);
int args_int(const char *what, const char *text, long min, long max,
             long *out);

#endif /* PYMON_ARGS_H */
