/*
** MD5 through OpenSSL's EVP interface, for the ENV_H and SESSION_H hashes.
*/
#include <string.h>

#include <openssl/evp.h>

#include "md5hex.h"

void pymon_md5_hex(const char *const parts[], size_t count, char out[33]) {
  static const char hex[] = "0123456789abcdef";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  int ok = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();

  if (ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL)) {
    ok = 1;
    for (size_t i = 0; i < count && ok; i++)
      ok = EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
    ok = ok && EVP_DigestFinal_ex(ctx, digest, &len) && len == 16;
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) memset(digest, 0, 16);
  for (int i = 0; i < 16; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[32] = '\0';
}
