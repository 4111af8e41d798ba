/*
** Escaping for the text formats pymon writes: XML (JUnit, HTML text),
** CSV fields (RFC 4180), Markdown table cells and the terminal.  Test names come from
** source code and may hold anything, so every writer goes through here.
*/
#include <string.h>

#include "cli.h"

/* XML 1.0 forbids most control characters even as references; they are
** replaced by U+FFFD so the document stays well-formed. */
void xml_escape(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&apos;", out); break;
    case '\t': case '\n': case '\r': fprintf(out, "&#%d;", *p); break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        fputs("\xEF\xBF\xBD", out);
      else
        fputc(*p, out);
    }
  }
}

void csv_field(FILE *out, const char *s) {
  if (!s)
    s = "";
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

/* Inside a table cell: a pipe would end the cell, a newline the row, and
** emphasis or HTML characters would change what is shown. */
void md_escape(FILE *out, const char *s) {
  for (s = s ? s : ""; *s; s++) {
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      fputc(' ', out);
    else if (strchr("\\`*_[]<>|#&!", *s))
      fprintf(out, "\\%c", *s);
    else
      fputc(*s, out);
  }
}

/* On a terminal a control character in a test name would break the table
** (newline) or worse (escape sequences): show it as C would write it. */
void term_print(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '\n')
      fputs("\\n", out);
    else if (*p == '\t')
      fputs("\\t", out);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
  }
}
