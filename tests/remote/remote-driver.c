/*
** Test driver for the remote client alone (runtime/src/remote.c): sends
** one context, one session and N metrics rows, then N more from each of
** CHILDREN forked one after the other (as Check's fork mode runs tests),
** and prints how many calls succeeded.  With RS_GO_FILE set, waits for
** that file to exist between the session and the metrics; with RS_REOPEN
** set, each child opens its own remote instead of using the parent's.
**
** usage: remote-driver ADDRESS TIMEOUT ENV_H SESSION_H N [CHILDREN]
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "remote.h"

static void fill_context(struct pymon_context *ctx, const char *env_h) {
  memset(ctx, 0, sizeof *ctx);
  ctx->cpu_count = 2;
  ctx->cpu_frequency_mhz = 2400;
  snprintf(ctx->cpu_type, sizeof ctx->cpu_type, "x86_64");
  snprintf(ctx->cpu_vendor, sizeof ctx->cpu_vendor, "Test CPU @ 2.40GHz");
  ctx->ram_total_mb = 4096;
  snprintf(ctx->machine_node, sizeof ctx->machine_node, "driver.example");
  snprintf(ctx->machine_type, sizeof ctx->machine_type, "x86_64");
  snprintf(ctx->machine_arch, sizeof ctx->machine_arch, "64bit");
  snprintf(ctx->system_info, sizeof ctx->system_info, "Linux - 6.1");
  snprintf(ctx->runtime_info, sizeof ctx->runtime_info, "GCC 12.2.0 glibc 2.36");
  snprintf(ctx->env_h, sizeof ctx->env_h, "%s", env_h);
}

/* Send n rows named <prefix>test_<i>; returns how many were accepted. */
static int send_metrics(struct pymon_remote *r, const char *env_h,
                        const char *session_h, const char *prefix, int n) {
  int ok = 0;
  for (int i = 0; i < n; i++) {
    char item[64];
    snprintf(item, sizeof item, "%stest_%d", prefix, i);
    struct pymon_metrics m = {
        .session_h = session_h, .env_h = env_h,
        .item_path = "tests.remote.driver", .item = item, .item_variant = item,
        .item_fs_loc = "tests/remote/driver.c", .kind = "function",
        .component = "driver", .total_time = 0.001 * (i + 1),
        .user_time = 0.0005 * i, .kernel_time = 0.25, .cpu_usage = 75.5,
        .mem_usage = 1.0 + i};
    snprintf(m.item_start_time, sizeof m.item_start_time,
             "2024-05-01T10:00:%02d.%06d", i % 60, i);
    ok += pymon_remote_metrics(r, &m) == 0;
  }
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s ADDRESS TIMEOUT ENV_H SESSION_H N [CHILDREN]\n",
            argv[0]);
    return 2;
  }
  const char *env_h = argv[3], *session_h = argv[4];
  int n = atoi(argv[5]);
  int children = argc > 6 ? atoi(argv[6]) : 0;
  char err[256];
  struct pymon_remote *r = pymon_remote_open(argv[1], atof(argv[2]), err,
                                             sizeof err);
  if (!r) {
    printf("open failed: %s\n", err);
    return 1;
  }
  struct pymon_context ctx;
  fill_context(&ctx, env_h);
  struct pymon_session session;
  memset(&session, 0, sizeof session);
  snprintf(session.session_h, sizeof session.session_h, "%s", session_h);
  snprintf(session.run_date, sizeof session.run_date, "2024-05-01T10:00:00");
  snprintf(session.scm_id, sizeof session.scm_id, "0123abcd");
  session.description_json = strdup("{\"msg\":\"remote driver\",\"tag\":\"x\"}");
  int context_rc = pymon_remote_context(r, &ctx);
  int session_rc = pymon_remote_session(r, &session);
  printf("context=%d session=%d\n", context_rc, session_rc);
  fflush(stdout);
  const char *go = getenv("RS_GO_FILE");
  for (int i = 0; go && access(go, F_OK) != 0 && i < 3000; i++) usleep(10000);
  for (int c = 0; c < children; c++) {
    pid_t pid = fork();
    if (pid == 0) {
      /* RS_REOPEN: like the runtime, leave the parent's handle alone and
      ** open (and register) afresh in the child. */
      if (getenv("RS_REOPEN")) {
        r = pymon_remote_open(argv[1], atof(argv[2]), err, sizeof err);
        if (!r) return 1;
        pymon_remote_context(r, &ctx);
        pymon_remote_session(r, &session);
      }
      char prefix[32];
      snprintf(prefix, sizeof prefix, "child%d_", c);
      int ok = send_metrics(r, env_h, session_h, prefix, n);
      printf("child %d metrics ok=%d of %d\n", c, ok, n);
      pymon_remote_close(r);
      free(session.description_json);
      return 0;
    }
    waitpid(pid, NULL, 0);
  }
  int ok = send_metrics(r, env_h, session_h, "", n);
  printf("metrics ok=%d of %d\n", ok, n);
  pymon_remote_close(r);
  free(session.description_json);
  return 0;
}
