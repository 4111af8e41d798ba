/*
** pymon serve: hand over to the pymon-server binary installed next to
** this executable, so one command name covers the whole tool set.
*/
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The directory holding the running executable, or NULL. */
static char *self_dir(void) {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0)
    return NULL;
  path[n] = '\0';
  char *slash = strrchr(path, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  return xstrdup(path);
}

int cmd_serve(int argc, char **argv) {
  char *dir = self_dir();
  if (!dir)
    return cli_error("cannot find where pymon is installed: %s",
                     strerror(errno));
  /* Installed layout first, then the build tree (tools/pymon next to
   * tools/server). */
  const char *const candidates[] = {"%s/pymon-server", "%s/../server/pymon-server"};
  char path[PATH_MAX + 32];
  for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
    snprintf(path, sizeof path, candidates[i], dir);
    if (access(path, X_OK) == 0) {
      free(dir);
      argv[0] = path;
      execv(path, argv);
      return cli_error("cannot run '%s': %s", path, strerror(errno));
    }
  }
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("usage: pymon serve [server options]\n\n"
             "Runs pymon-server from %s with these arguments; its own --help\n"
             "lists them. pymon-server is not installed there.\n",
             dir);
      free(dir);
      return CLI_EXIT_OK;
    }
  }
  cli_error("pymon-server is not installed: looked for '%s/pymon-server'; "
            "install the pymon server (built with -DPYMON_BUILD_TOOLS=ON)",
            dir);
  free(dir);
  return CLI_EXIT_USAGE;
}
