/*
** MD5 (RFC 1321) for the ENV_H and SESSION_H hashes.  Written out here
** rather than taken from libcrypto: loading and initialising libcrypto
** was most of what a test process spent before its first test, and every
** forked or exec'd test process pays that again.
*/
#include <stdint.h>
#include <string.h>

#include "md5hex.h"

struct md5 {
  uint32_t state[4];
  uint64_t length; /* bytes so far */
  unsigned char block[64];
};

/* floor(abs(sin(i + 1)) * 2^32) */
static const uint32_t sine_table[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
    0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
    0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
    0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
    0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left rotations, four per round. */
static const unsigned char rotation[4][4] = {
    {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rotate_left(uint32_t x, unsigned n) {
  return (x << n) | (x >> (32 - n));
}

static void md5_block(struct md5 *h, const unsigned char *p) {
  uint32_t word[16];
  uint32_t a = h->state[0], b = h->state[1], c = h->state[2], d = h->state[3];
  for (int i = 0; i < 16; i++)
    word[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
              (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
  for (unsigned i = 0; i < 64; i++) {
    uint32_t f;
    unsigned g, round = i / 16;
    switch (round) {
    case 0: f = (b & c) | (~b & d); g = i; break;
    case 1: f = (d & b) | (~d & c); g = (5 * i + 1) % 16; break;
    case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16; break;
    default: f = c ^ (b | ~d); g = (7 * i) % 16; break;
    }
    uint32_t next = b + rotate_left(a + f + sine_table[i] + word[g],
                                    rotation[round][i % 4]);
    a = d;
    d = c;
    c = b;
    b = next;
  }
  h->state[0] += a;
  h->state[1] += b;
  h->state[2] += c;
  h->state[3] += d;
}

static void md5_update(struct md5 *h, const unsigned char *p, size_t n) {
  size_t used = (size_t)(h->length % 64);
  h->length += n;
  while (n > 0) {
    size_t take = 64 - used < n ? 64 - used : n;
    memcpy(h->block + used, p, take);
    used += take;
    p += take;
    n -= take;
    if (used == 64) {
      md5_block(h, h->block);
      used = 0;
    }
  }
}

static void md5_final(struct md5 *h, unsigned char digest[16]) {
  static const unsigned char pad[64] = {0x80};
  unsigned char bits[8];
  uint64_t length = h->length * 8;
  for (int i = 0; i < 8; i++) bits[i] = (unsigned char)(length >> (8 * i));
  size_t used = (size_t)(h->length % 64);
  md5_update(h, pad, used < 56 ? 56 - used : 120 - used);
  md5_update(h, bits, 8);
  for (int i = 0; i < 16; i++)
    digest[i] = (unsigned char)(h->state[i / 4] >> (8 * (i % 4)));
}

void pymon_md5_hex(const char *const parts[], size_t count, char out[33]) {
  static const char hex[] = "0123456789abcdef";
  struct md5 h = {{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, 0, {0}};
  unsigned char digest[16];
  for (size_t i = 0; i < count; i++)
    md5_update(&h, (const unsigned char *)parts[i], strlen(parts[i]));
  md5_final(&h, digest);
  for (int i = 0; i < 16; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[32] = '\0';
}
