/*
** pytest-monitor's three tables, exactly as it declares them: the runtime's
** store and pymon-server both create them from this one text.
*/
#ifndef PYMON_SCHEMA_H
#define PYMON_SCHEMA_H

/* EXECUTION_CONTEXTS, TEST_SESSIONS, TEST_METRICS, IF NOT EXISTS, in that
** order so PostgreSQL can check the foreign keys as they are created. */
extern const char pymon_schema_sql[];

#endif /* PYMON_SCHEMA_H */
