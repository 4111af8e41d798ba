/*
** The pymon ABI called by hand, as the plugins call it, for the test
** programs built without a plugin: SUITE_MODULE(file) declares the unit's
** module (SUITE_DIR and SUITE_COMPILER may be defined first), SITE(fn) a
** test's site, ENTER/EXIT the calls.  nap() sleeps without spinning.
*/
#ifndef HAND_ABI_H
#define HAND_ABI_H

#include <time.h>

#include <pymon/abi.h>

#ifndef SUITE_DIR
#define SUITE_DIR "."
#endif
#ifndef SUITE_COMPILER
#define SUITE_COMPILER "GCC 12.2.0"
#endif

#define SUITE_MODULE(file)                                                   \
  static struct pymon_module module = {PYMON_ABI_VERSION, 0, file, SUITE_DIR, \
                                       NULL, SUITE_COMPILER, NULL}
#define SITE(fn)                                                                     \
  static struct pymon_site site_##fn = {PYMON_ABI_VERSION, PYMON_SITE_BY_NAME, &module, \
                                        #fn, NULL, __LINE__, 0, NULL, NULL, NULL, NULL}
#define ENTER(fn) pymon_enter(&site_##fn)
#define EXIT(fn) pymon_exit()

static inline void nap(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

#endif /* HAND_ABI_H */
