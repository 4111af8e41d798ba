/*
** Server addresses as pytest-monitor's --remote-server takes them: the
** manual's "host:port" (meaning http://host:port) or an http(s):// URL.
** One rule for the runtime's configuration, its client and the pymon
** command.
*/
#ifndef PYMON_ADDRESS_H
#define PYMON_ADDRESS_H

#include <stddef.h>

/*
** The base URL for `address`, without a trailing '/', malloc'd; or NULL
** with the reason (what is expected) in why.
*/
char *pymon_server_url(const char *address, char *why, size_t whylen);

#endif /* PYMON_ADDRESS_H */
