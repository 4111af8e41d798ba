/*
** pymon: entry point.  Dispatches to one subcommand per file.
*/
#include <string.h>

#include "cli.h"

#ifndef PYMON_VERSION
#define PYMON_VERSION "unknown"
#endif

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
    {"run", cmd_run, "run a test command; all its test processes share one session"},
    {"report", cmd_report, "a session as a table: slowest, most CPU, most memory, totals"},
    {"compare", cmd_compare, "a session against a baseline, test by test"},
    {"check", cmd_check, "like compare, but exit 1 on any regression (for CI)"},
    {"export", cmd_export, "sessions and metrics as CSV or JSON"},
    {"html", cmd_html, "a self-contained HTML report with charts"},
    {"serve", cmd_serve, "start pymon-server, the remote storage server"},
};

static void usage(FILE *out) {
  fputs("usage: pymon <command> [options]\n\ncommands:\n", out);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fputs("\n'pymon <command> --help' describes a command's options.\n", out);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
    usage(stdout);
    return CLI_EXIT_OK;
  }
  if (!strcmp(name, "--version")) {
    printf("pymon %s\n", PYMON_VERSION);
    return CLI_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    if (strcmp(name, commands[i].name) == 0) {
      cli_command = commands[i].name;
      return commands[i].run(argc - 1, argv + 1);
    }
  }
  cli_error("unknown command '%s'; expected one of run, report, compare, "
            "check, export, html, serve (see 'pymon --help')",
            name);
  return CLI_EXIT_USAGE;
}
