/* words_reverse tests: word order reversed, each word kept. */
#include <stdio.h>
#include <string.h>
#include "words.h"

static int failures;

void test_reverse(const char *text, const char *want) {
  char buf[64];
  snprintf(buf, sizeof buf, "%s", text);
  words_reverse(buf);
  if (strcmp(buf, want) != 0) {
    failures++;
    printf("words_reverse(\"%s\") = \"%s\", expected \"%s\"\n", text, buf, want);
  }
}

int main(void) {
  test_reverse("one two three", "three two one");
  test_reverse("single", "single");
  return failures != 0;
}
