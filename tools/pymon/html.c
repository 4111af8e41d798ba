/*
** pymon html: one self-contained HTML file (no network, no CDN) with the
** data as embedded JSON and inline JS/CSS that draws SVG charts: top
** consumers of a session, the change from the session before, and each
** test's history.  Names reach the page only through JSON and are put in
** the DOM as text by the script, never as markup.
*/
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "compare.h"
#include "report_css.h"
#include "report_js.h"

enum { O_SESSION = 1, O_SESSIONS, O_TOP, O_OUTPUT, O_TITLE };

static const struct cli_option html_options[] = {
    {"session", 1, O_SESSION}, {"sessions", 1, O_SESSIONS},
    {"top", 1, O_TOP},         {"output", 1, O_OUTPUT},
    {"title", 1, O_TITLE},     PDB_SOURCE_OPTIONS,
    {NULL, 0, 0},
};

static const char html_help[] =
    "usage: pymon html -o FILE [--db PATH|--server ADDR] [--session ID]\n"
    "                  [--sessions N] [--top N] [--title TEXT]\n"
    "\n"
    "Write a self-contained HTML report: top consumers of a session, its change\n"
    "from the session before, and per-test history over sessions.\n"
    "\n"
    "  -o, --output FILE  where to write (required; - for standard output)\n"
    "  --session ID       session in focus (default latest)\n"
    "  --sessions N       history length: N sessions up to it (default 30)\n"
    "  --top N            tests per chart (default 15)\n"
    "  --title TEXT       page title (default \"pymon report\")\n"
    PDB_SOURCE_HELP;

struct html_options {
  struct pdb_source src;
  const char *session, *output, *title;
  long sessions, top;
};

static int html_option(void *ctx, int id, const char *value) {
  struct html_options *o = ctx;
  switch (id) {
  case O_SESSION: o->session = value; return 0;
  case O_OUTPUT: o->output = value; return 0;
  case O_TITLE: o->title = value; return 0;
  case O_SESSIONS: return args_int("--sessions", value, 1, 100000, &o->sessions);
  case O_TOP: return args_int("--top", value, 1, 10000, &o->top);
  }
  return pdb_source_option(&o->src, id, value);
}

struct html_data {
  json_t *root, *tests, *rows, *test_index; /* test_index: name -> index */
};

/* JSON needs UTF-8: a name that is not keeps its ASCII, '?' for the rest. */
static void make_utf8(struct strbuf *sb) {
  json_t *probe = json_string(sb->buf);
  if (probe) {
    json_decref(probe);
    return;
  }
  for (size_t i = 0; i < sb->len; i++)
    if ((unsigned char)sb->buf[i] >= 0x80)
      sb->buf[i] = '?';
}

static json_t *text(const char *s) {
  struct strbuf sb = {0};
  sb_append(&sb, s);
  make_utf8(&sb);
  json_t *j = json_string(sb.buf);
  sb_free(&sb);
  return j;
}

static json_t *row_test_id(struct html_data *h, const struct prow *r) {
  struct strbuf name = {0};
  result_name(&name, r);
  make_utf8(&name);
  json_t *id = json_object_get(h->test_index, name.buf);
  if (!id) {
    id = json_integer((json_int_t)json_array_size(h->tests));
    json_object_set_new(h->test_index, name.buf, id);
    json_t *t = json_object();
    json_object_set_new(t, "name", json_string(name.buf));
    json_object_set_new(t, "kind", text(r->kind));
    json_object_set_new(t, "component", text(r->component));
    json_array_append_new(h->tests, t);
  }
  sb_free(&name);
  return json_integer(json_integer_value(id));
}

/* rows: [session, test, TOTAL_TIME, CPU time, MEM_USAGE, CPU_USAGE, outcome] */
static int add_session(struct html_data *h, struct pdb *d, size_t index,
                       json_int_t position) {
  const struct psession *s = &d->sessions[index];
  json_t *js = json_object();
  json_object_set_new(js, "h", text(s->session_h));
  json_object_set_new(js, "date", text(s->run_date));
  json_object_set_new(js, "scm", text(s->scm_id));
  json_object_set_new(js, "desc", text(s->description));
  json_array_append_new(json_object_get(h->root, "sessions"), js);

  struct prows rows = {0};
  if (pdb_session_rows(d, s->session_h, &rows))
    return CLI_EXIT_USAGE;
  for (size_t i = 0; i < rows.n; i++) {
    const struct prow *r = &rows.v[i];
    json_t *row = json_array();
    json_array_append_new(row, json_integer(position));
    json_array_append_new(row, row_test_id(h, r));
    for (int m = 0; m < MET_COUNT; m++)
      json_array_append_new(row, json_real(metric_value(r, (enum metric)m)));
    json_array_append_new(row, text(r->outcome));
    json_array_append_new(h->rows, row);
  }
  prows_free(&rows);
  return 0;
}

static void write_page(FILE *out, const char *title, const char *data) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>",
        out);
  xml_escape(out, title);
  fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", report_css);
  xml_escape(out, title);
  fputs("</h1>\n<div id=\"app\"><p id=\"noscript\">This report needs "
        "JavaScript.</p></div>\n"
        "<script type=\"application/json\" id=\"pymon-data\">",
        out);
  /* Outside strings JSON has no '<', '>' or '&': inside them the \u form
   * keeps the block inert to the HTML parser ("</script>", "<!--"). */
  for (const char *p = data; *p; p++) {
    if (*p == '<' || *p == '>' || *p == '&')
      fprintf(out, "\\u%04x", *p);
    else
      fputc(*p, out);
  }
  fprintf(out, "</script>\n<script>\n%s</script>\n</body>\n</html>\n", report_js);
}

static int build_data(struct pdb *d, size_t focus, long sessions, long top,
                      char **json_text) {
  struct html_data h;
  h.root = json_object();
  h.tests = json_array();
  h.rows = json_array();
  h.test_index = json_object();
  json_object_set_new(h.root, "database", text(d->path));
  char now[32];
  time_t t = time(NULL);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
  json_object_set_new(h.root, "generated", json_string(now));
  json_object_set_new(h.root, "top", json_integer(top));
  json_object_set_new(h.root, "sessions", json_array());
  json_object_set_new(h.root, "tests", h.tests);
  json_object_set_new(h.root, "rows", h.rows);

  size_t first = focus + 1 > (size_t)sessions ? focus + 1 - (size_t)sessions : 0;
  int rc = 0;
  for (size_t i = first; i <= focus && rc == 0; i++)
    rc = add_session(&h, d, i, (json_int_t)(i - first));
  if (rc == 0 &&
      !(*json_text = json_dumps(h.root, JSON_COMPACT | JSON_PRESERVE_ORDER)))
    rc = cli_error("cannot encode the report data (is some text not UTF-8?)");
  json_decref(h.test_index);
  json_decref(h.root);
  return rc;
}

int cmd_html(int argc, char **argv) {
  struct html_options o = {PDB_SOURCE_INIT, "latest", NULL, "pymon report",
                           30, 15};
  int rc = args_parse(argc, argv, html_options, html_help, html_option, &o,
                      NULL);
  if (rc)
    return ARGS_EXIT(rc);
  if (!o.output)
    return cli_error("no output file: give -o report.html (or -o - for "
                     "standard output)");

  struct pdb d;
  size_t focus = 0;
  char *data = NULL;
  rc = pdb_open(&d, &o.src, o.session, &focus);
  if (rc == 0)
    rc = build_data(&d, focus, o.sessions, o.top, &data);
  if (rc == 0) {
    FILE *out = cli_open_output(o.output);
    if (!out) {
      rc = CLI_EXIT_USAGE;
    } else {
      write_page(out, o.title, data);
      rc = cli_close_output(out, o.output);
    }
  }
  free(data);
  pdb_close(&d);
  return rc;
}
