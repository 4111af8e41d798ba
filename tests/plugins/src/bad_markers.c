/* Two markers pymon must reject (misspelt; condition not defined) around
** another tool's annotation, which it must leave alone. */
__attribute__((annotate("monitor_tset"))) void test_typo(void) {}
__attribute__((annotate("other_tool"))) void test_other(void) {}
__attribute__((annotate("monitor_test_if:nowhere"))) void test_cond(void) {}
