/*
** run-rounds: time several programs fairly on a noisy machine.
**
**   run-rounds ROUNDS REMOVE COMMAND...
**
** Each COMMAND is one argument, split at spaces into the program and its
** arguments (e.g. "env PYMON_BACKGROUND_IMPORT=0 ./suite").
** Runs every COMMAND once per round, rotating which goes first, so a slow
** spell of the machine falls on all of them alike.  Before each run the
** file REMOVE (and REMOVE-wal, REMOVE-shm) is deleted outside the timed
** span, so each run starts from a fresh database as a new `make check`
** would.  Wall time is taken around fork and wait4; CPU time (user +
** system, the program's waited children included) comes from wait4,
** which the kernel keeps to the microsecond, unlike a shell's `times`.
** Prints one line per COMMAND: "median_wall_us median_cpu_us min_wall_us".
** A command that fails stops everything with its status.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "median.h"

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void remove_database(const char *path) {
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  char name[4096];
  for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
    snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
    if (unlink(name) != 0 && errno != ENOENT) {
      fprintf(stderr, "run-rounds: cannot remove '%s': %s\n", name, strerror(errno));
      exit(2);
    }
  }
}

/* One run of command: its wall and CPU time in microseconds. */
static void run_once(const char *command, double *wall, double *cpu) {
  struct rusage ru;
  int status;
  double t0 = now_us();
  pid_t pid = fork();
  if (pid < 0) {
    perror("run-rounds: fork");
    exit(2);
  }
  if (pid == 0) {
    char *argv[64], *copy = strdup(command);
    int argc = 0;
    for (char *word = copy ? strtok(copy, " ") : NULL; word && argc < 63;
         word = strtok(NULL, " "))
      argv[argc++] = word;
    argv[argc] = NULL;
    if (argc > 0) execvp(argv[0], argv);
    fprintf(stderr, "run-rounds: cannot run '%s': %s\n", command, strerror(errno));
    _exit(127);
  }
  if (wait4(pid, &status, 0, &ru) != pid) {
    perror("run-rounds: wait4");
    exit(2);
  }
  *wall = now_us() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "run-rounds: '%s' failed (status 0x%x)\n", command, status);
    exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
  }
  *cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

int main(int argc, char **argv) {
  char *end;
  long rounds = argc > 3 ? strtol(argv[1], &end, 10) : 0;
  if (argc < 4 || *end || rounds < 1 || rounds > 100000) {
    fprintf(stderr, "usage: run-rounds ROUNDS REMOVE COMMAND...  (ROUNDS: 1 to 100000, got '%s')\n",
            argc > 1 ? argv[1] : "");
    return 2;
  }
  int programs = argc - 3;
  double *wall = calloc((size_t)(programs * rounds), sizeof *wall);
  double *cpu = calloc((size_t)(programs * rounds), sizeof *cpu);
  if (!wall || !cpu) {
    fprintf(stderr, "run-rounds: out of memory\n");
    return 2;
  }
  for (long r = 0; r < rounds; r++)
    for (int k = 0; k < programs; k++) {
      int p = (int)((k + r) % programs);
      remove_database(argv[2]);
      run_once(argv[3 + p], &wall[p * rounds + r], &cpu[p * rounds + r]);
    }
  for (int p = 0; p < programs; p++) {
    double *w = &wall[p * rounds];
    double m = median(w, (int)rounds); /* sorts: w[0] is then the least */
    printf("%.0f %.0f %.0f\n", m, median(&cpu[p * rounds], (int)rounds), w[0]);
  }
  free(wall);
  free(cpu);
  return 0;
}
