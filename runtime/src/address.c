/*
** Server addresses (see address.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"

/* Digits only, 1..65535. */
static int valid_port(const char *p, size_t len) {
  long port = 0;
  if (len == 0 || len > 5) return 0;
  for (size_t i = 0; i < len; i++) {
    if (p[i] < '0' || p[i] > '9') return 0;
    port = port * 10 + (p[i] - '0');
  }
  return port >= 1 && port <= 65535;
}

/* host[:port] (an IPv6 host in brackets); the port only if required. */
static int valid_authority(const char *a, size_t len, int port_required) {
  const char *host_end;
  if (len == 0) return 0;
  if (a[0] == '[') {
    const char *close = memchr(a, ']', len);
    if (!close || close == a + 1) return 0;
    host_end = close + 1;
  } else {
    host_end = a + len;
    for (const char *p = a + len; p > a; p--)
      if (p[-1] == ':') {
        host_end = p - 1;
        break;
      }
    if (host_end == a) return 0;
  }
  size_t rest = len - (size_t)(host_end - a);
  if (rest == 0) return !port_required;
  return host_end[0] == ':' && valid_port(host_end + 1, rest - 1);
}

char *pymon_server_url(const char *address, char *why, size_t whylen) {
  const char *rest = NULL;
  char *url;
  if (strncasecmp(address, "http://", 7) == 0) rest = address + 7;
  else if (strncasecmp(address, "https://", 8) == 0) rest = address + 8;
  if (rest) {
    if (!valid_authority(rest, strcspn(rest, "/?#"), 0)) {
      snprintf(why, whylen, "the URL has no valid host[:port]");
      return NULL;
    }
    url = strdup(address);
  } else if (strstr(address, "://")) {
    snprintf(why, whylen, "only http:// and https:// URLs are accepted");
    return NULL;
  } else if (strpbrk(address, "/?# ") ||
             !valid_authority(address, strlen(address), 1)) {
    snprintf(why, whylen,
             "expected host:port (port 1-65535) or an http(s):// URL");
    return NULL;
  } else {
    size_t n = strlen(address) + sizeof "http://";
    if ((url = malloc(n)) != NULL) snprintf(url, n, "http://%s", address);
  }
  if (!url) {
    snprintf(why, whylen, "out of memory");
    return NULL;
  }
  size_t len = strlen(url);
  while (len > 0 && url[len - 1] == '/') url[--len] = '\0';
  return url;
}
