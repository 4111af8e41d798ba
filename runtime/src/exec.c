/*
** The exec family, interposed: where an exec succeeds, the program's image
** ends and with it the items a test left open.  Their end is noted in the
** journal just before, as a fatal signal's is (ends.c), and whoever stores
** the journal next (the new image when it monitors tests, else the next
** pymon process) ends them with the outcome exec at that moment.  An exec
** that fails takes the note back: the test goes on.  glibc's own calls
** (posix_spawn, system, popen) exec in a child and are not seen here.
*/
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include "probe.h"

#define PYMON_API __attribute__((visibility("default")))

typedef int execv_fn(const char *, char *const[]);
typedef int execve_fn(const char *, char *const[], char *const[]);
typedef int fexecve_fn(int, char *const[], char *const[]);
typedef int execveat_fn(int, const char *, char *const[], char *const[], int);

static execv_fn *next_execv, *next_execvp;
static execve_fn *next_execve, *next_execvpe;
static fexecve_fn *next_fexecve;
static execveat_fn *next_execveat;

__attribute__((constructor)) static void resolve_execs(void) {
  next_execv = (execv_fn *)dlsym(RTLD_NEXT, "execv");
  next_execvp = (execv_fn *)dlsym(RTLD_NEXT, "execvp");
  next_execve = (execve_fn *)dlsym(RTLD_NEXT, "execve");
  next_execvpe = (execve_fn *)dlsym(RTLD_NEXT, "execvpe");
  next_fexecve = (fexecve_fn *)dlsym(RTLD_NEXT, "fexecve");
  next_execveat = (execveat_fn *)dlsym(RTLD_NEXT, "execveat");
}

/* Before an exec: note the end (resolving first if a constructor before
** ours execs). */
static void before(void) {
  if (!next_execve) resolve_execs();
  pymon_probe_note_end(PYMON_OUTCOME_EXEC, 0);
}

/* The exec returned: it failed, and errno says why. */
static int failed(int rc) {
  int saved = errno;
  pymon_probe_exec_failed();
  errno = saved;
  return rc;
}

/* The C library has no such function (an older glibc). */
static int missing(void) {
  errno = ENOSYS;
  return -1;
}

PYMON_API int execv(const char *path, char *const argv[]) {
  before();
  return failed(next_execv ? next_execv(path, argv) : missing());
}

PYMON_API int execvp(const char *file, char *const argv[]) {
  before();
  return failed(next_execvp ? next_execvp(file, argv) : missing());
}

PYMON_API int execve(const char *path, char *const argv[], char *const envp[]) {
  before();
  return failed(next_execve ? next_execve(path, argv, envp) : missing());
}

PYMON_API int execvpe(const char *file, char *const argv[], char *const envp[]) {
  before();
  return failed(next_execvpe ? next_execvpe(file, argv, envp) : missing());
}

PYMON_API int fexecve(int fd, char *const argv[], char *const envp[]) {
  before();
  return failed(next_fexecve ? next_fexecve(fd, argv, envp) : missing());
}

PYMON_API int execveat(int dirfd, const char *path, char *const argv[], char *const envp[],
                       int flags) {
  before();
  return failed(next_execveat ? next_execveat(dirfd, path, argv, envp, flags) : missing());
}

/*
** execl, execlp, execle: the arguments up to the NULL as an array on the
** stack (exec may come where malloc must not, after fork in a threaded
** program), then the array form above.  Counted first, as glibc does.
*/
static size_t list_length(const char *first, va_list *ap) {
  size_t n = 0;
  for (const char *a = first; a; a = va_arg(*ap, const char *)) n++;
  return n;
}

/* argv[0..n-1] from first and the n - 1 that follow it; argv[n] = NULL. */
static void list_to_argv(char **argv, size_t n, const char *first, va_list *ap) {
  for (size_t i = 0; i < n; i++) argv[i] = (char *)(i ? va_arg(*ap, const char *) : first);
  argv[n] = NULL;
}

enum list_form { LIST_EXECV, LIST_EXECVP, LIST_EXECVE };

static int exec_list(enum list_form form, const char *path, const char *arg, va_list *ap) {
  va_list count;
  va_copy(count, *ap);
  size_t n = list_length(arg, &count);
  /* execle: after the NULL that ends the list comes the environment. */
  char *const *envp = form == LIST_EXECVE ? va_arg(count, char *const *) : NULL;
  va_end(count);
  char *argv[n + 1];
  list_to_argv(argv, n, arg, ap);
  if (form == LIST_EXECV) return execv(path, argv);
  if (form == LIST_EXECVP) return execvp(path, argv);
  return execve(path, argv, envp);
}

PYMON_API int execl(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int rc = exec_list(LIST_EXECV, path, arg, &ap);
  va_end(ap);
  return rc;
}

PYMON_API int execlp(const char *file, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int rc = exec_list(LIST_EXECVP, file, arg, &ap);
  va_end(ap);
  return rc;
}

PYMON_API int execle(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int rc = exec_list(LIST_EXECVE, path, arg, &ap);
  va_end(ap);
  return rc;
}
