/*
** The verdicts of compare/check for CI systems: JUnit XML (one testcase
** per test, a failure per regressed metric) and a Markdown summary for
** pull-request comments or job summaries.  All text is escaped.
*/
#include <string.h>

#include "compare.h"

static int is_failure(enum verdict v) {
  return v == V_REGRESSED || v == V_OVER_LIMIT;
}

/* The failure messages of one test, joined by sep. */
static void failures_text(struct strbuf *sb, const struct test_result *r,
                          const char *sep) {
  for (int m = 0; m < MET_COUNT; m++) {
    if (!is_failure(r->verdict[m]))
      continue;
    if (sb->len)
      sb_append(sb, sep);
    describe_failure(sb, r, (enum metric)m);
  }
}

static const char *skip_reason(enum test_state s) {
  switch (s) {
  case T_NEW: return "no baseline: the test is new";
  case T_NO_CONTEXT: return "no baseline run on a comparable machine";
  case T_MISSING: return "not run in this session";
  case T_COMPARED: break;
  }
  return NULL;
}

int write_junit(const char *path, const struct comparison *c,
                const char *title) {
  FILE *f = cli_open_output(path);
  if (!f)
    return CLI_EXIT_USAGE;
  /* A new test over its limit counts as failed, not skipped. */
  size_t skipped = 0;
  for (size_t i = 0; i < c->n; i++)
    skipped += !c->v[i].failed && c->v[i].state != T_COMPARED;

  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", f);
  fprintf(f, "  <testsuite name=\"pymon check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
          c->n, c->failed, skipped);
  fputs("    <properties><property name=\"comparison\" value=\"", f);
  xml_escape(f, title);
  fputs("\"/></properties>\n", f);

  struct strbuf text = {0};
  for (size_t i = 0; i < c->n; i++) {
    const struct test_result *r = &c->v[i];
    text.len = 0;
    result_name(&text, r->row);
    fputs("    <testcase classname=\"", f);
    xml_escape(f, *r->row->item_path ? r->row->item_path : "(top level)");
    fputs("\" name=\"", f);
    xml_escape(f, text.buf);
    fprintf(f, "\" time=\"%.6f\"", r->state == T_MISSING ? 0 : r->cur[MET_TIME]);
    text.len = 0;
    if (r->failed) {
      failures_text(&text, r, "; ");
      fputs(">\n      <failure type=\"performance regression\" message=\"", f);
      xml_escape(f, text.buf);
      fputs("\">", f);
      xml_escape(f, text.buf);
      fputs("</failure>\n    </testcase>\n", f);
    } else if (skip_reason(r->state)) {
      fputs(">\n      <skipped message=\"", f);
      xml_escape(f, skip_reason(r->state));
      fputs("\"/>\n    </testcase>\n", f);
    } else {
      fputs("/>\n", f);
    }
  }
  sb_free(&text);
  fputs("  </testsuite>\n</testsuites>\n", f);
  return cli_close_output(f, path);
}

int write_markdown(const char *path, const struct comparison *c,
                   const char *title) {
  FILE *f = cli_open_output(path);
  if (!f)
    return CLI_EXIT_USAGE;
  if (c->failed)
    fprintf(f, "## pymon: %zu performance regression%s\n\n", c->failed,
            c->failed == 1 ? "" : "s");
  else
    fputs("## pymon: no performance regression\n\n", f);
  md_escape(f, title);
  fprintf(f, ".\n\n%zu tests compared, %zu new, %zu without a comparable "
             "context, %zu missing.\n",
          c->compared, c->new_tests, c->no_context, c->missing);
  if (c->failed) {
    fputs("\n| Test | Regression |\n|---|---|\n", f);
    struct strbuf text = {0};
    for (size_t i = 0; i < c->n; i++) {
      const struct test_result *r = &c->v[i];
      if (!r->failed)
        continue;
      text.len = 0;
      result_name(&text, r->row);
      fputs("| ", f);
      md_escape(f, text.buf);
      fputs(" | ", f);
      text.len = 0;
      failures_text(&text, r, "; ");
      md_escape(f, text.buf);
      fputs(" |\n", f);
    }
    sb_free(&text);
  }
  return cli_close_output(f, path);
}
