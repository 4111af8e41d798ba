/*
** SCM id detection (see scm.h).  `git rev-parse HEAD` costs every test
** process ~25 ms, so the plain cases are read from the repository's files:
** HEAD holding a commit id, or a branch found as a loose ref or in
** packed-refs.  Anything else (GIT_DIR set, a repository owned by another
** user, reftable, an unborn branch) is left to git itself; a directory in
** no repository at all goes straight to Perforce.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runcmd.h"
#include "scm.h"

#define PATH_MAX_LEN 4096

/* dir + "/" + name into out; -1 when it does not fit (then git decides). */
static int join(char *out, size_t len, const char *dir, const char *name) {
  size_t n = strlen(dir);
  int w = snprintf(out, len, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/",
                   name);
  return w < 0 || (size_t)w >= len ? -1 : 0;
}

/* First line of a small file, without the newline; 0 or -1. */
static int read_line(const char *path, char *out, size_t outlen) {
  FILE *f = fopen(path, "re");
  if (!f) return -1;
  int ok = fgets(out, (int)outlen, f) != NULL;
  fclose(f);
  if (!ok) return -1;
  out[strcspn(out, "\r\n")] = '\0';
  return 0;
}

static int is_object_id(const char *s) {
  size_t n = strlen(s);
  if (n != 40 && n != 64) return 0;
  for (; *s; s++)
    if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s)) return 0;
  return 1;
}

/* The git directory of the repository containing dir, owned by us: 0;
** no repository at all: 1; anything unusual: -1. */
static int find_git_dir(const char *dir, char *gitdir, size_t len) {
  char path[PATH_MAX_LEN], line[PATH_MAX_LEN];
  struct stat st;
  snprintf(path, sizeof path, "%s", dir);
  for (;;) {
    if (join(gitdir, len, path, ".git") != 0) return -1;
    if (stat(gitdir, &st) == 0) {
      if (S_ISREG(st.st_mode)) { /* a worktree: "gitdir: <path>" */
        if (read_line(gitdir, line, sizeof line) != 0 ||
            strncmp(line, "gitdir: ", 8) != 0 ||
            join(gitdir, len, line[8] == '/' ? "" : path, line + 8) != 0 ||
            stat(gitdir, &st) != 0)
          return -1;
      }
      return st.st_uid == geteuid() ? 0 : -1; /* git's safe.directory */
    }
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 1;
    *slash = '\0';
  }
}

/* ref (e.g. refs/heads/main) as a loose file or in packed-refs. */
static int resolve_ref(const char *gitdir, const char *ref, char *out,
                       size_t outlen) {
  char common[PATH_MAX_LEN], path[PATH_MAX_LEN], line[PATH_MAX_LEN];
  if (join(common, sizeof common, gitdir, "") != 0 ||
      join(path, sizeof path, gitdir, "commondir") != 0)
    return -1;
  if (read_line(path, line, sizeof line) == 0 &&
      join(common, sizeof common, line[0] == '/' ? "" : gitdir, line) != 0)
    return -1;
  const char *const dirs[] = {gitdir, common};
  for (int i = 0; i < 2; i++) {
    if (join(path, sizeof path, dirs[i], ref) != 0) return -1;
    if (read_line(path, line, sizeof line) == 0)
      return is_object_id(line) ? (snprintf(out, outlen, "%s", line), 0) : -1;
  }
  if (join(path, sizeof path, common, "packed-refs") != 0) return -1;
  FILE *f = fopen(path, "re");
  if (!f) return -1;
  int rc = -1;
  while (rc != 0 && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *space = strchr(line, ' ');
    if (!space || strcmp(space + 1, ref) != 0) continue;
    *space = '\0';
    if (is_object_id(line)) rc = 0, snprintf(out, outlen, "%s", line);
  }
  fclose(f);
  return rc;
}

/* 0 with the commit in out; 1 when there is no repository; -1: ask git. */
static int git_head_from_files(const char *dir, char *out, size_t outlen) {
  char gitdir[PATH_MAX_LEN], path[PATH_MAX_LEN], head[PATH_MAX_LEN];
  if (getenv("GIT_DIR")) return -1;
  int found = find_git_dir(dir, gitdir, sizeof gitdir);
  if (found != 0) return found;
  if (join(path, sizeof path, gitdir, "HEAD") != 0 ||
      read_line(path, head, sizeof head) != 0)
    return -1;
  if (is_object_id(head)) return snprintf(out, outlen, "%s", head), 0;
  if (strncmp(head, "ref: refs/", 10) != 0) return -1;
  return resolve_ref(gitdir, head + 5, out, outlen);
}

void pymon_scm_detect(const char *dir, char *out, size_t outlen) {
  static const char *const git[] = {"git", "rev-parse", "HEAD", NULL};
  static const char *const p4[] = {"p4", "changes", "-m1", "#have", NULL};
  char line[512];
  int git_files = git_head_from_files(dir, out, outlen);
  if (git_files == 0) return;
  if (git_files < 0 && pymon_spawn_first_line(git, dir, out, outlen) == 0)
    return;
  out[0] = '\0';
  /* "Change 1234 on ...": the second word. */
  if (pymon_spawn_first_line(p4, dir, line, sizeof line) != 0) return;
  const char *word = line + strcspn(line, " \t");
  word += strspn(word, " \t");
  size_t n = strcspn(word, " \t");
  if (n >= outlen) n = outlen - 1;
  memcpy(out, word, n);
  out[n] = '\0';
}
