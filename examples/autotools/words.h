/* words.h - the small library the example's tests exercise. */
#ifndef WORDS_H
#define WORDS_H
#include <stddef.h>

size_t words_count(const char *text);
void words_reverse(char *text);

#endif
