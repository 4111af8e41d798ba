/*
** A misbehaving HTTP server for the client tests, single-threaded:
**   fake-server PORTFILE silent        accept, read, never answer
**   fake-server PORTFILE status CODE   answer every request with CODE
**   fake-server PORTFILE garbage       answer 200 with a non-JSON body
**   fake-server PORTFILE body TEXT     answer 200 with TEXT as the body
** Listens on 127.0.0.1, any free port, written to PORTFILE.
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 64

static void answer(int fd, int code, const char *body) {
  char reply[4096];
  int n = snprintf(reply, sizeof reply,
                   "HTTP/1.1 %d Fake\r\nContent-Type: application/json\r\n"
                   "Content-Length: %zu\r\n\r\n%s",
                   code, strlen(body), body);
  if (n < 0 || (size_t)n >= sizeof reply || write(fd, reply, (size_t)n) < 0)
    perror("write");
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *mode = argv[2];
  int code = strcmp(mode, "status") == 0 && argc > 3 ? atoi(argv[3]) : 200;
  const char *body = "{\"error\":\"fake failure\"}";
  if (strcmp(mode, "garbage") == 0)
    body = "<html>not json</html>";
  else if (strcmp(mode, "body") == 0 && argc > 3)
    body = argv[3];
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 16) ||
      getsockname(lfd, (struct sockaddr *)&addr, &len)) {
    perror("listen");
    return 1;
  }
  FILE *f = fopen(argv[1], "w");
  if (!f) return 1;
  fprintf(f, "%d\n", ntohs(addr.sin_port));
  fclose(f);
  struct pollfd fds[MAX_CLIENTS + 1] = {{.fd = lfd, .events = POLLIN}};
  int nfds = 1;
  for (;;) {
    if (poll(fds, (nfds_t)nfds, -1) < 0) return 1;
    if ((fds[0].revents & POLLIN) && nfds <= MAX_CLIENTS) {
      fds[nfds].fd = accept(lfd, NULL, NULL);
      fds[nfds].events = POLLIN;
      nfds++;
    }
    for (int i = 1; i < nfds; i++) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[65536];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        close(fds[i].fd);
        fds[i--] = fds[--nfds];
        continue;
      }
      /* One reply per request head; bodies here are small. */
      if (strcmp(mode, "silent") != 0 && memmem(buf, (size_t)got, "\r\n\r\n", 4)) {
        answer(fds[i].fd, code, body);
      }
    }
  }
}
