/* words_count tests; automake's harness reads the exit status. */
#include <stdio.h>
#include "words.h"

static int failures;

static void expect_count(const char *text, size_t want) {
  size_t got = words_count(text);
  if (got != want) {
    failures++;
    printf("words_count(\"%s\") = %zu, expected %zu\n", text, got, want);
  }
}

void test_count_empty(void) { expect_count("", 0); }

void test_count_spaces(void) { expect_count("  two   words ", 2); }

void test_count_tabs(void) { expect_count("a\tb\nc", 3); }

int main(void) {
  test_count_empty();
  test_count_spaces();
  test_count_tabs();
  return failures != 0;
}
