/*
** The longjmp family, interposed.  Test frameworks fail a test by jumping
** out of it (cmocka, Unity, CUnit, Check with CK_FORK=no).  Noting the
** moment of the jump here lets the abandoned items end when they really
** ended, and where glibc's jmp_buf layout is known, the stack pointer the
** jump lands at tells the probe exactly which items it abandons.  Nothing
** here takes a lock or allocates: a jump may leave a signal handler.
*/
#include <dlfcn.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"

#define PYMON_API __attribute__((visibility("default")))

typedef void (*jump_fn)(struct __jmp_buf_tag *, int);

/* Names as glibc exports them; __longjmp_chk is what _FORTIFY_SOURCE
** builds (Debian's libcmocka among them) call. */
enum { JUMP_LONGJMP, JUMP__LONGJMP, JUMP_SIGLONGJMP, JUMP_LONGJMP_CHK, JUMP_COUNT };
static const char *const jump_names[JUMP_COUNT] = {"longjmp", "_longjmp",
                                                   "siglongjmp", "__longjmp_chk"};
static jump_fn next_jump[JUMP_COUNT];
static int target_known; /* jmp_buf_sp reads this glibc's layout right */

#if defined(__x86_64__) && defined(__GLIBC__)
/* glibc stores the stack pointer in slot 6, mangled: xor with the
** thread's pointer guard (%fs:0x30), then rotated left by 17 bits. */
static uintptr_t jmp_buf_sp(const struct __jmp_buf_tag *env) {
  uintptr_t guard, v = (uintptr_t)env->__jmpbuf[6];
  __asm__("mov %%fs:0x30, %0" : "=r"(guard));
  return ((v >> 17) | (v << 47)) ^ guard;
}

/* Trust the layout only if our own jmp_buf reads back as a stack pointer
** just below one of our locals. */
__attribute__((noinline)) static int check_jmp_buf_layout(void) {
  jmp_buf here;
  if (setjmp(here) != 0) return 0;
  uintptr_t sp = jmp_buf_sp(here), local = (uintptr_t)&here;
  return sp <= local && local - sp < 4096;
}
#else
static uintptr_t jmp_buf_sp(const struct __jmp_buf_tag *env) {
  (void)env;
  return 0;
}
static int check_jmp_buf_layout(void) { return 0; }
#endif

void pymon_jump_init(void) {
  for (int i = 0; i < JUMP_COUNT; i++)
    if (!next_jump[i]) next_jump[i] = (jump_fn)dlsym(RTLD_NEXT, jump_names[i]);
  if (!target_known) target_known = check_jmp_buf_layout();
}

__attribute__((noreturn)) static void jump(int which, struct __jmp_buf_tag *env,
                                           int val) {
  pymon_probe_note_jump(target_known ? jmp_buf_sp(env) : 0);
  if (!next_jump[which]) pymon_jump_init();
  next_jump[which](env, val);
  __builtin_unreachable();
}

/* Declared by <setjmp.h> except __longjmp_chk; defined with its array
** parameters. */
PYMON_API __attribute__((noreturn)) void __longjmp_chk(struct __jmp_buf_tag env[1],
                                                       int val);

PYMON_API void longjmp(struct __jmp_buf_tag env[1], int val) {
  jump(JUMP_LONGJMP, env, val);
}
PYMON_API void _longjmp(struct __jmp_buf_tag env[1], int val) {
  jump(JUMP__LONGJMP, env, val);
}
PYMON_API void siglongjmp(struct __jmp_buf_tag env[1], int val) {
  jump(JUMP_SIGLONGJMP, env, val);
}
PYMON_API void __longjmp_chk(struct __jmp_buf_tag env[1], int val) {
  jump(JUMP_LONGJMP_CHK, env, val);
}
