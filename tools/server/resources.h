/*
** The three resources of pytest-monitor's HTTP protocol (contexts,
** sessions, metrics): for each field its JSON key, the column it is
** stored in, its type and width.  pymon-server validates, stores and
** serves by this table; `pymon report --server` loads what it serves back
** into the same columns by it, so the two sides cannot disagree.
*/
#ifndef PYMON_SERVER_RESOURCES_H
#define PYMON_SERVER_RESOURCES_H

enum field_kind {
  FIELD_TEXT,   /* string of at most `width` characters */
  FIELD_KEY,    /* non-empty hash-like identifier, usable in a URL */
  FIELD_INT,    /* integer 0..2^31-1 */
  FIELD_NUMBER, /* any JSON number */
  FIELD_OBJECT  /* a JSON object, stored as its text */
};

#define FIELD_OPTIONAL 0x1u /* may be missing: stored as "" */
#define FIELD_NULLABLE 0x2u /* may be null: stored as "" */
#define FIELD_ROUND 0x4u    /* FIELD_INT given as any number is rounded */

/* How a FIELD_OBJECT is kept as text: what Python's json.dumps (and so
** pytest-monitor and pymon's runtime) writes.  Needs <jansson.h>. */
#define FIELD_OBJECT_JSON_FLAGS (JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER)

struct field {
  const char *key;
  const char *column;
  enum field_kind kind;
  unsigned width;
  unsigned flags;
};

struct wire_resource {
  const char *name;     /* route and reply key: "sessions" */
  const char *singular; /* for messages: "session" */
  const char *table;
  const struct field *fields;
  int field_count;
};

extern const struct wire_resource wire_contexts, wire_sessions, wire_metrics;

#endif /* PYMON_SERVER_RESOURCES_H */
