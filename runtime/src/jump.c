/*
** The longjmp family, interposed.  Test frameworks fail a test by jumping
** out of it (cmocka, Unity, CUnit, Check with CK_FORK=no); the probe only
** notices the abandoned items at its next call.  Noting the moment of the
** jump here lets those items end when they really ended.  Nothing here
** takes a lock or allocates: a jump may leave a signal handler.
*/
#include <dlfcn.h>
#include <stddef.h>

#include "probe.h"

#define PYMON_API __attribute__((visibility("default")))

struct __jmp_buf_tag;
typedef void (*jump_fn)(struct __jmp_buf_tag *, int);

/* Names as glibc exports them; __longjmp_chk is what _FORTIFY_SOURCE
** builds (Debian's libcmocka among them) call. */
enum { JUMP_LONGJMP, JUMP__LONGJMP, JUMP_SIGLONGJMP, JUMP_LONGJMP_CHK, JUMP_COUNT };
static const char *const jump_names[JUMP_COUNT] = {"longjmp", "_longjmp",
                                                   "siglongjmp", "__longjmp_chk"};
static jump_fn next_jump[JUMP_COUNT];

void pymon_jump_init(void) {
  for (int i = 0; i < JUMP_COUNT; i++)
    if (!next_jump[i]) next_jump[i] = (jump_fn)dlsym(RTLD_NEXT, jump_names[i]);
}

__attribute__((noreturn)) static void jump(int which, struct __jmp_buf_tag *env,
                                           int val) {
  pymon_probe_note_jump();
  if (!next_jump[which]) pymon_jump_init();
  next_jump[which](env, val);
  __builtin_unreachable();
}

PYMON_API __attribute__((noreturn)) void longjmp(struct __jmp_buf_tag *env, int val);
PYMON_API __attribute__((noreturn)) void _longjmp(struct __jmp_buf_tag *env, int val);
PYMON_API __attribute__((noreturn)) void siglongjmp(struct __jmp_buf_tag *env, int val);
PYMON_API __attribute__((noreturn)) void __longjmp_chk(struct __jmp_buf_tag *env, int val);

void longjmp(struct __jmp_buf_tag *env, int val) { jump(JUMP_LONGJMP, env, val); }
void _longjmp(struct __jmp_buf_tag *env, int val) { jump(JUMP__LONGJMP, env, val); }
void siglongjmp(struct __jmp_buf_tag *env, int val) { jump(JUMP_SIGLONGJMP, env, val); }
void __longjmp_chk(struct __jmp_buf_tag *env, int val) { jump(JUMP_LONGJMP_CHK, env, val); }
