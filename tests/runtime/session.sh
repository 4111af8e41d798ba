# TEST_SESSIONS: RUN_DATE, SCM_ID, the RUN_DESCRIPTION JSON (CI info, msg,
# tags), SESSION_H, the environment overrides, and how processes group
# into sessions (one runner invocation = one session), in the runner's
# directory even while the runner steps into a test's directory.
. "$(dirname "$0")/common.sh"
rt_build_driver

ci_vars="BUILD_NUMBER BRANCH_NAME JOB_NAME CIRCLE_JOB CIRCLE_BUILD_NUM TRAVIS_BUILD_ID
  TRAVIS_BUILD_NUMBER DRONE_REPO_BRANCH DRONE_BUILD_NUMBER CI_JOB_NAME CI_PIPELINE_ID
  BITBUCKET_BRANCH BITBUCKET_BUILD_NUMBER GITHUB_ACTIONS GITHUB_REF_NAME GITHUB_RUN_NUMBER"
for v in $ci_vars; do unset "$v"; done
# /tmp may sit inside someone's checkout: keep git from looking above.
export GIT_CEILING_DIRECTORIES=$TL_DIR
unset GIT_DIR GIT_WORK_TREE

# run <dir> VAR=VALUE... : one driver run in a fresh directory, prints its
# session row as SCM_ID|RUN_DATE|RUN_DESCRIPTION.
run() {
  local dir=$1
  shift
  mkdir -p "$dir"
  (cd "$dir" && env "$@" ../driver 2 >/dev/null 2>err) || tl_fail "driver failed in $dir"
  tl_expect_eq "$(cat "$dir/err")" "" "nothing on stderr in $dir"
  [ ! -e "$dir/.pymon" ] ||
    tl_sql "$dir/.pymon" 'select SCM_ID, RUN_DATE, RUN_DESCRIPTION from TEST_SESSIONS'
}

desc() { run "$@" | cut -d'|' -f3-; }

# The manual's examples, key order included; Python's json.dumps layout.
tl_expect_eq "$(desc d1)" "{}" "no description, no tags, no CI"
tl_expect_eq "$(desc d2 'PYMON_TAGS=pandas=1.0.1,numpy=1.17')" \
  '{"pandas": "1.0.1", "numpy": "1.17"}' "tags"
tl_expect_eq "$(desc d3 'PYMON_TAGS=pandas=1.0.1,numpy=1.17' 'PYMON_DESCRIPTION=Your summary')" \
  '{"msg": "Your summary", "pandas": "1.0.1", "numpy": "1.17"}' "description then tags"
tl_expect_eq "$(desc d4 'PYMON_TAGS=a=1,b=2,a=3')" '{"a": "3", "b": "2"}' \
  "a later duplicate wins and keeps the first position"
tl_expect_eq "$(desc d5 'PYMON_TAGS=k=x\,y,eq=a=b,empty=,q="\')" \
  '{"k": "x,y", "eq": "a=b", "empty": "", "q": "\"\\"}' "escaped comma, '=' in a value, quotes"
tl_expect_eq "$(desc d6 'PYMON_DESCRIPTION=café ✓' 'PYMON_TAGS=msg=tag wins')" \
  '{"msg": "tag wins"}' "a tag named msg overrides the description"
tl_expect_eq "$(desc d7 'PYMON_DESCRIPTION=café ✓')" '{"msg": "caf\u00e9 \u2713"}' \
  "non-ASCII escaped as Python does"

# CI information comes first; first match wins, GitHub Actions last.
tl_expect_eq "$(desc c1 BUILD_NUMBER=12 JOB_NAME=job 'PYMON_DESCRIPTION=x')" \
  '{"pipeline_branch": "job", "pipeline_build_no": "12", "__ci__": "jenkinsci", "msg": "x"}' "Jenkins"
tl_expect_eq "$(desc c2 BUILD_NUMBER=12 JOB_NAME=job BRANCH_NAME=main)" \
  '{"pipeline_branch": "main", "pipeline_build_no": "12", "__ci__": "jenkinsci"}' "Jenkins branch"
tl_expect_eq "$(desc c3 BUILD_NUMBER=12)" '{}' "BUILD_NUMBER alone is not Jenkins"
tl_expect_eq "$(desc c4 CIRCLE_JOB=build CIRCLE_BUILD_NUM=5)" \
  '{"pipeline_branch": "build", "pipeline_build_no": "5", "__ci__": "circleci"}' "CircleCI"
tl_expect_eq "$(desc c5 TRAVIS_BUILD_ID=77 TRAVIS_BUILD_NUMBER=6)" \
  '{"pipeline_branch": "77", "pipeline_build_no": "6", "__ci__": "travisci"}' "Travis"
tl_expect_eq "$(desc c6 DRONE_REPO_BRANCH=dev DRONE_BUILD_NUMBER=8)" \
  '{"pipeline_branch": "dev", "pipeline_build_no": "8", "__ci__": "droneci"}' "Drone"
tl_expect_eq "$(desc c7 CI_JOB_NAME=test CI_PIPELINE_ID=99 'PYMON_TAGS=t=1')" \
  '{"pipeline_branch": "test", "pipeline_build_no": "99", "__ci__": "gitlabci", "t": "1"}' "GitLab"
tl_expect_eq "$(desc c8 BITBUCKET_BRANCH=b BITBUCKET_BUILD_NUMBER=3)" \
  '{"pipeline_branch": "b", "pipeline_build_no": "3", "__ci__": "bitbucketci"}' "Bitbucket"
tl_expect_eq "$(desc c9 GITHUB_ACTIONS=true GITHUB_REF_NAME=main GITHUB_RUN_NUMBER=7)" \
  '{"pipeline_branch": "main", "pipeline_build_no": "7", "__ci__": "githubci"}' "GitHub Actions"
tl_expect_eq "$(desc c10 GITHUB_ACTIONS=false GITHUB_REF_NAME=main GITHUB_RUN_NUMBER=7)" '{}' \
  "GITHUB_ACTIONS must be true"
tl_expect_eq "$(desc c11 GITHUB_ACTIONS=true GITHUB_RUN_NUMBER=7 CI_JOB_NAME=test CI_PIPELINE_ID=99)" \
  '{"pipeline_branch": "test", "pipeline_build_no": "99", "__ci__": "gitlabci"}' "GitLab before GitHub"

# SESSION_H = md5(SCM_ID || RUN_DATE || RUN_DESCRIPTION as stored).
for d in d3 d7 c1; do
  row=$(tl_sql "$d/.pymon" 'select SESSION_H, SCM_ID || RUN_DATE || RUN_DESCRIPTION from TEST_SESSIONS')
  tl_expect_eq "$(printf '%s' "${row#*|}" | md5sum | cut -d' ' -f1)" "${row%%|*}" "SESSION_H in $d"
  tl_expect_eq "$(tl_sql "$d/.pymon" 'select count(*) from TEST_METRICS m join TEST_SESSIONS s using (SESSION_H)')" \
    2 "rows of $d point at the session"
done

# RUN_DATE: UTC ISO 8601, this process's start when no runner is around.
before=$(date -u +%s.%N)
row=$(run r1)
after=$(date -u +%s.%N)
date=$(echo "$row" | cut -d'|' -f2)
tl_expect_match "$date" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?$' "RUN_DATE format"
tl_expect_range "$(date -u -d "$date" +%s.%N)" "$(awk -v t="$before" 'BEGIN { printf "%.3f", t - 1.5 }')" \
  "$after" "RUN_DATE is the start of the run (UTC; boot time has 1 s resolution)"
tl_expect_eq "$(echo "$row" | cut -d'|' -f1)" "" "SCM_ID outside any repository"

# SCM_ID from git in the invocation directory.
mkdir -p repo && (cd repo && git init -q && git -c user.name=t -c user.email=t@t \
  commit -q --allow-empty -m init) || tl_fail "git init"
run repo >/dev/null
tl_expect_eq "$(tl_sql repo/.pymon 'select SCM_ID from TEST_SESSIONS')" \
  "$(git -C repo rev-parse HEAD)" "SCM_ID is git rev-parse HEAD"

# Overrides, as `pymon run` sets them.
mkdir -p elsewhere/src
row=$(run o1 PYMON_RUN_DATE=2024-01-02T03:04:05.123456 PYMON_SCM_ID=abc123 \
      PYMON_INVOCATION_DIR=../elsewhere PYMON_DB=.pymon)
tl_expect_eq "$row" "abc123|2024-01-02T03:04:05.123456|{}" "PYMON_RUN_DATE and PYMON_SCM_ID"
tl_expect_eq "$(tl_sql o1/.pymon 'select distinct ITEM_FS_LOC from TEST_METRICS')" \
  "../test_driver.c" "ITEM_FS_LOC is relative to PYMON_INVOCATION_DIR"
run o2 PYMON_INVOCATION_DIR=../elsewhere PYMON_SCM_ID= >/dev/null
tl_expect_eq "$(tl_sql elsewhere/.pymon 'select SCM_ID from TEST_SESSIONS')" "" \
  "the database defaults to <invocation dir>/.pymon; PYMON_SCM_ID= means none"

# Grouping: one runner invocation is one session across its processes,
# two invocations are two.  tmake is make under a name of our own, so the
# ctest or make running this test is not taken for the runner.
ln -s "$(command -v make)" tmake
mkdir -p grp/sub
(cd grp/sub && rt_build_driver driver)
printf 'all: a b\na:\n\tcd sub && ./driver 2\nb:\n\tcd sub && ./driver 3\n' >grp/Makefile
(cd grp && PYMON_SESSION_RUNNERS=tmake ../tmake -s -j2 >/dev/null 2>err) || tl_fail "tmake: $(cat grp/err)"
tl_expect_eq "$(cat grp/err)" "" "nothing on stderr under tmake"
tl_expect_eq "$(tl_sql grp/.pymon 'select count(*), count(distinct SESSION_H) from TEST_METRICS')" \
  "5|1" "two processes of one invocation: one session, in <runner cwd>/.pymon"
tl_expect_eq "$(tl_sql grp/.pymon 'select distinct ITEM_FS_LOC from TEST_METRICS')" \
  "sub/test_driver.c" "ITEM_FS_LOC relative to the runner's directory"
sleep 0.1
(cd grp && PYMON_SESSION_RUNNERS=make,tmake ../tmake -s -j2 >/dev/null 2>&1)
tl_expect_eq "$(tl_sql grp/.pymon 'select count(*) from TEST_SESSIONS')" 2 "a second invocation: a second session"
(cd grp/sub && ./driver 1 >/dev/null && ./driver 1 >/dev/null)
tl_expect_eq "$(tl_sql grp/sub/.pymon 'select count(distinct SESSION_H) from TEST_METRICS')" 2 \
  "without a runner each process is its own session"

# A runner that steps into a test's directory for a moment now and then
# while its tests run, as ctest does when it starts a test: the rows still
# go to the directory it runs in.
cat >flipper.c <<'C'
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
static void pause_us(long us) {
  struct timespec t = {0, us * 1000};
  nanosleep(&t, NULL);
}
int main(void) {
  char *argv[] = {"./driver", "3", NULL};
  for (int i = 0; i < 12; i++) {
    pid_t pid;
    int status;
    if (chdir("sub") != 0 || posix_spawn(&pid, "./driver", NULL, NULL, argv, environ) != 0)
      return 1;
    if (chdir("..") != 0) return 1;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (chdir("sub") != 0) return 1;
      pause_us(500);
      if (chdir("..") != 0) return 1;
      pause_us(2000);
    }
  }
  return 0;
}
C
cc -o flipper flipper.c || tl_fail "cannot build flipper"
mkdir -p flip/sub && cp grp/sub/driver flip/sub/
(cd flip && PYMON_SESSION_RUNNERS=flipper ../flipper >/dev/null 2>err) || tl_fail "flipper: $(cat flip/err)"
tl_expect_eq "$(tl_sql flip/.pymon 'select count(*), count(distinct SESSION_H) from TEST_METRICS')" \
  "36|1" "twelve test processes, one session, all in the runner's directory"
tl_expect_eq "$(ls flip/sub/.pymon 2>/dev/null)" "" "none in the directory the runner stepped into"
tl_done
