/*
** The fields of pytest-monitor's three resources, in the column order of
** its tables (see resources.h).
*/
#include "resources.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* pytest-monitor 1.7 sends cpu_frequency as a float (psutil's MHz). */
static const struct field context_fields[] = {
    {"h", "ENV_H", FIELD_KEY, 64, 0},
    {"cpu_count", "CPU_COUNT", FIELD_INT, 0, 0},
    {"cpu_frequency", "CPU_FREQUENCY_MHZ", FIELD_INT, 0, FIELD_ROUND},
    {"cpu_type", "CPU_TYPE", FIELD_TEXT, 64, 0},
    {"cpu_vendor", "CPU_VENDOR", FIELD_TEXT, 256, FIELD_OPTIONAL},
    {"ram_total", "RAM_TOTAL_MB", FIELD_INT, 0, 0},
    {"machine_node", "MACHINE_NODE", FIELD_TEXT, 512, 0},
    {"machine_type", "MACHINE_TYPE", FIELD_TEXT, 32, 0},
    {"machine_arch", "MACHINE_ARCH", FIELD_TEXT, 16, 0},
    {"system_info", "SYSTEM_INFO", FIELD_TEXT, 256, 0},
    {"python_info", "PYTHON_INFO", FIELD_TEXT, 512, 0},
};

static const struct field session_fields[] = {
    {"session_h", "SESSION_H", FIELD_KEY, 64, 0},
    {"run_date", "RUN_DATE", FIELD_TEXT, 64, 0},
    {"scm_ref", "SCM_ID", FIELD_TEXT, 128, FIELD_NULLABLE},
    {"description", "RUN_DESCRIPTION", FIELD_OBJECT, 0, 0},
};

static const struct field metric_fields[] = {
    {"session_h", "SESSION_H", FIELD_KEY, 64, 0},
    {"context_h", "ENV_H", FIELD_KEY, 64, 0},
    {"item_start_time", "ITEM_START_TIME", FIELD_TEXT, 64, 0},
    {"item_path", "ITEM_PATH", FIELD_TEXT, 4096, 0},
    {"item", "ITEM", FIELD_TEXT, 2048, 0},
    {"item_variant", "ITEM_VARIANT", FIELD_TEXT, 2048, 0},
    {"item_fs_loc", "ITEM_FS_LOC", FIELD_TEXT, 2048, 0},
    {"kind", "KIND", FIELD_TEXT, 64, 0},
    {"component", "COMPONENT", FIELD_TEXT, 512, FIELD_NULLABLE},
    {"total_time", "TOTAL_TIME", FIELD_NUMBER, 0, 0},
    {"user_time", "USER_TIME", FIELD_NUMBER, 0, 0},
    {"kernel_time", "KERNEL_TIME", FIELD_NUMBER, 0, 0},
    {"cpu_usage", "CPU_USAGE", FIELD_NUMBER, 0, 0},
    {"mem_usage", "MEM_USAGE", FIELD_NUMBER, 0, 0},
};

const struct wire_resource wire_contexts = {
    "contexts", "context", "EXECUTION_CONTEXTS", context_fields,
    COUNT(context_fields)};
const struct wire_resource wire_sessions = {
    "sessions", "session", "TEST_SESSIONS", session_fields,
    COUNT(session_fields)};
const struct wire_resource wire_metrics = {
    "metrics", "metrics row", "TEST_METRICS", metric_fields,
    COUNT(metric_fields)};
