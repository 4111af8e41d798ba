/* words.c - counting and reversing words in a string. */
#include <ctype.h>
#include <string.h>
#include "words.h"

size_t words_count(const char *text) {
  size_t n = 0;
  int in_word = 0;
  for (; *text; text++) {
    int space = isspace((unsigned char)*text);
    if (!space && !in_word) n++;
    in_word = !space;
  }
  return n;
}

static void reverse_span(char *begin, char *end) {
  while (begin < end) {
    char c = *begin;
    *begin++ = *--end;
    *end = c;
  }
}

void words_reverse(char *text) {
  reverse_span(text, text + strlen(text));
  for (char *w = text; *w;) {
    char *end = w;
    while (*end && *end != ' ') end++;
    reverse_span(w, end);
    w = *end ? end + 1 : end;
  }
}
