/*
** The execution context, read from the Linux sources behind the Python
** calls pytest-monitor makes (multiprocessing.cpu_count, psutil.cpu_freq,
** platform.*, socket.getfqdn, psutil.virtual_memory), and its ENV_H.
*/
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <gnu/libc-version.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "context.h"
#include "md5hex.h"
#include "runcmd.h"
#include "warn.h"

/* Copy src into a fixed field, cut to fit (uname fields are wider). */
static void copy_field(char *dst, size_t size, const char *src) {
  size_t n = strnlen(src, size - 1);
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* Average of the values, or -1 when there are none. */
struct average {
  double sum;
  int count;
};

static double average_value(const struct average *a) {
  return a->count ? a->sum / a->count : -1;
}

/* psutil: mean of every CPU's scaling_cur_freq (kHz) under cpufreq. */
static double sysfs_frequency(void) {
  static const char *const patterns[] = {
    "/sys/devices/system/cpu/cpufreq/policy[0-9]*/scaling_cur_freq",
    "/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_cur_freq"};
  struct average avg = {0, 0};
  for (size_t p = 0; p < 2 && avg.count == 0; p++) {
    glob_t g;
    if (glob(patterns[p], 0, NULL, &g) != 0) continue;
    for (size_t i = 0; i < g.gl_pathc; i++) {
      FILE *f = fopen(g.gl_pathv[i], "r");
      double khz;
      if (!f) continue;
      if (fscanf(f, "%lf", &khz) == 1) avg.sum += khz / 1000.0, avg.count++;
      fclose(f);
    }
    globfree(&g);
  }
  return average_value(&avg);
}

/* psutil's fallback without cpufreq: mean of /proc/cpuinfo "cpu MHz". */
static double cpuinfo_frequency(void) {
  struct average avg = {0, 0};
  char line[512];
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    double mhz;
    if (strncasecmp(line, "cpu mhz", 7) == 0 && strchr(line, ':') &&
        sscanf(strchr(line, ':') + 1, "%lf", &mhz) == 1)
      avg.sum += mhz, avg.count++;
  }
  fclose(f);
  return average_value(&avg);
}

/* PYTEST_MONITOR_CPU_FREQ, as a float; 0 when unset or malformed. */
static double preset_frequency(void) {
  const char *v = getenv("PYTEST_MONITOR_CPU_FREQ");
  char *end;
  if (!v) return 0;
  double mhz = strtod(v, &end);
  while (isspace((unsigned char)*end)) end++;
  if (end == v || *end != '\0') {
    pymon_warn("PYTEST_MONITOR_CPU_FREQ='%s': expected a number of MHz; "
               "using 0", v);
    return 0;
  }
  return mhz;
}

/* PYTEST_MONITOR_FORCE_CPU_FREQ is an integer; non-zero means "use the
** preset, do not measure". */
static int frequency_forced(void) {
  const char *v = getenv("PYTEST_MONITOR_FORCE_CPU_FREQ");
  char *end;
  if (!v) return 0;
  long forced = strtol(v, &end, 10);
  while (isspace((unsigned char)*end)) end++;
  if (end == v || *end != '\0') {
    pymon_warn("PYTEST_MONITOR_FORCE_CPU_FREQ='%s': expected an integer; "
               "ignored", v);
    return 0;
  }
  return forced != 0;
}

static int cpu_frequency_mhz(void) {
  double mhz = -1;
  if (!frequency_forced()) {
    mhz = sysfs_frequency();
    if (mhz < 0) mhz = cpuinfo_frequency();
  }
  if (mhz < 0) mhz = preset_frequency();
  return (int)(mhz + 0.5);
}

static const char *const cpu_type_command[] = {"uname", "-p", NULL};

/* platform.processor() on Linux: `uname -p`, "unknown" as "". */
static void cpu_type(char *out, size_t outlen) {
  if (pymon_spawn_first_line(cpu_type_command, NULL, out, outlen) != 0 ||
      strcmp(out, "unknown") == 0)
    out[0] = '\0';
}

int pymon_context_cpu_type_key(char *key, size_t len) {
  char path[4096];
  struct stat sb;
  struct utsname u;
  if (pymon_find_command(cpu_type_command[0], path, sizeof path) != 0 || stat(path, &sb) != 0 ||
      uname(&u) != 0)
    return -1;
  int n = snprintf(key, len, "uname -p|%s|%s|%s|%s|%llu:%llu:%lld:%lld.%09ld:%lld.%09ld",
                   u.nodename, u.release, u.machine, path, (unsigned long long)sb.st_dev,
                   (unsigned long long)sb.st_ino, (long long)sb.st_size,
                   (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
                   (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
  return n > 0 && (size_t)n < len ? 0 : -1;
}

/* The first "model name" of /proc/cpuinfo, cut at a second ':' as
** pytest-monitor's split(":")[1] does; "" when there is none (then
** pymon_context_set_cpu_type makes it the CPU type). */
static void cpu_vendor(char *out, size_t outlen) {
  char line[1024];
  FILE *f = fopen("/proc/cpuinfo", "r");
  out[0] = '\0';
  if (!f) return;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "model name", 10) != 0) continue;
    char *s = strchr(line, ':');
    if (!s) break;
    s++;
    s[strcspn(s, ":")] = '\0';
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    snprintf(out, outlen, "%s", s);
    break;
  }
  fclose(f);
}

/* socket.getfqdn(): the host's canonical name and aliases from a reverse
** lookup of its address; the first containing a dot, else the canonical.
** 1 when a lookup failed for now (no answer from the resolver: the host
** name stands in), else 0. */
static int fqdn(char *out, size_t outlen) {
  char host[256] = "";
  struct addrinfo hints = {0}, *res = NULL;
  struct hostent he, *found = NULL;
  char buf[8192];
  int herr = 0;

  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  snprintf(out, outlen, "%s", host);
  hints.ai_family = AF_UNSPEC;
  int rc = getaddrinfo(host, NULL, &hints, &res);
  if (rc != 0 || !res) return rc == EAI_AGAIN;
  const void *addr = NULL;
  socklen_t len = 0;
  if (res->ai_family == AF_INET) {
    addr = &((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
    len = sizeof(struct in_addr);
  } else if (res->ai_family == AF_INET6) {
    addr = &((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr;
    len = sizeof(struct in6_addr);
  }
  if (addr && gethostbyaddr_r(addr, len, res->ai_family, &he, buf, sizeof buf,
                              &found, &herr) == 0 && found && found->h_name) {
    const char *pick = found->h_name;
    if (!strchr(pick, '.'))
      for (char **a = found->h_aliases; a && *a; a++)
        if (strchr(*a, '.')) { pick = *a; break; }
    snprintf(out, outlen, "%s", pick);
  }
  freeaddrinfo(res);
  return !found && herr == TRY_AGAIN;
}

/* What the name lookups read: the host name and the resolver's files. */
static const char *const resolver_files[] = {"/etc/hosts", "/etc/resolv.conf",
                                             "/etc/nsswitch.conf", "/etc/host.conf",
                                             "/etc/gai.conf"};

int pymon_context_machine_node_key(char *key, size_t len) {
  char host[256] = "";
  struct stat sb;
  if (gethostname(host, sizeof host - 1) != 0) return -1;
  int n = snprintf(key, len, "socket.getfqdn|%s", host);
  for (size_t i = 0; i < sizeof resolver_files / sizeof resolver_files[0]; i++) {
    if (n < 0 || (size_t)n >= len) return -1;
    if (stat(resolver_files[i], &sb) != 0)
      n += snprintf(key + n, len - (size_t)n, "|-");
    else
      n += snprintf(key + n, len - (size_t)n, "|%llu:%llu:%lld:%lld.%09ld:%lld.%09ld",
                    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
                    (long long)sb.st_size, (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
                    (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
  }
  return n > 0 && (size_t)n < len ? 0 : -1;
}

int pymon_context_set_machine_node(struct pymon_context *ctx, const char *known) {
  int temporary = 0;
  if (known) copy_field(ctx->machine_node, sizeof ctx->machine_node, known);
  else temporary = fqdn(ctx->machine_node, sizeof ctx->machine_node);
  pymon_context_hash(ctx);
  return temporary;
}

void pymon_context_collect(struct pymon_context *ctx, const char *runtime_info) {
  struct utsname u;
  struct sysinfo si;

  memset(ctx, 0, sizeof *ctx);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  ctx->cpu_count = n > 0 ? (int)n : 0;
  ctx->cpu_frequency_mhz = cpu_frequency_mhz();
  cpu_vendor(ctx->cpu_vendor, sizeof ctx->cpu_vendor);
  if (sysinfo(&si) == 0)
    ctx->ram_total_mb =
        (int)((unsigned long long)si.totalram * si.mem_unit >> 20);
  if (uname(&u) == 0) {
    char system[sizeof u.sysname + sizeof u.release + 3];
    snprintf(system, sizeof system, "%s - %s", u.sysname, u.release);
    copy_field(ctx->machine_type, sizeof ctx->machine_type, u.machine);
    copy_field(ctx->system_info, sizeof ctx->system_info, system);
  }
  snprintf(ctx->machine_arch, sizeof ctx->machine_arch, "%dbit",
           (int)sizeof(void *) * 8);
  pymon_context_set_runtime(ctx, runtime_info);
}

void pymon_context_set_cpu_type(struct pymon_context *ctx, const char *known) {
  if (known) copy_field(ctx->cpu_type, sizeof ctx->cpu_type, known);
  else cpu_type(ctx->cpu_type, sizeof ctx->cpu_type);
  if (!ctx->cpu_vendor[0]) copy_field(ctx->cpu_vendor, sizeof ctx->cpu_vendor, ctx->cpu_type);
  pymon_context_hash(ctx);
}

void pymon_context_set_runtime(struct pymon_context *ctx, const char *runtime_info) {
  if (runtime_info && *runtime_info)
    snprintf(ctx->runtime_info, sizeof ctx->runtime_info, "%s / glibc %s",
             runtime_info, gnu_get_libc_version());
  else
    snprintf(ctx->runtime_info, sizeof ctx->runtime_info, "glibc %s",
             gnu_get_libc_version());
  pymon_context_hash(ctx);
}

void pymon_context_hash(struct pymon_context *ctx) {
  char count[16], freq[16], ram[16];
  snprintf(count, sizeof count, "%d", ctx->cpu_count);
  snprintf(freq, sizeof freq, "%d", ctx->cpu_frequency_mhz);
  snprintf(ram, sizeof ram, "%d", ctx->ram_total_mb);
  const char *const parts[] = {count, freq, ctx->cpu_type, ram,
                               ctx->machine_node, ctx->machine_type,
                               ctx->machine_arch, ctx->system_info,
                               ctx->runtime_info};
  pymon_md5_hex(parts, sizeof parts / sizeof parts[0], ctx->env_h);
}
