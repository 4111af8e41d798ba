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

/* Called with each option's id and value: 0 to go on, else an exit
** status that stops the parsing. */
typedef int (*cli_option_fn)(void *ctx, int id, const char *value);

#define ARGS_HELP_SHOWN -1 /* args_parse printed help: exit 0 */
/* The exit status of a command whose args_parse returned rc != 0. */
#define ARGS_EXIT(rc) ((rc) == ARGS_HELP_SHOWN ? CLI_EXIT_OK : (rc))

/* Read every option of argv (argv[0] is the subcommand) into fn; on -h
** print help.  With operands NULL an operand is an error, else
** *operands is the index of the first one (argc if none).  Returns 0,
** ARGS_HELP_SHOWN, or CLI_EXIT_USAGE after a message. */
int args_parse(int argc, char **argv, const struct cli_option *options,
               const char *help, cli_option_fn fn, void *ctx, int *operands);

/* Checked conversions; on bad input print "bad <what> 'text': expected
** ..." and return CLI_EXIT_USAGE, else 0. */
int args_double(const char *what, const char *text, double min,
                double *out);
int args_int(const char *what, const char *text, long min, long max,
             long *out);

#endif /* PYMON_ARGS_H */
