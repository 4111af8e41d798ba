# Warning and sanitizer flags for pymon's own C and C++ code.
set(PYMON_WARNING_FLAGS -Wall -Wextra -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wno-unused-parameter)
set(PYMON_CXX_WARNING_FLAGS -Wall -Wextra -Wno-unused-parameter)
if(PYMON_WERROR)
  list(APPEND PYMON_WARNING_FLAGS -Werror)
  list(APPEND PYMON_CXX_WARNING_FLAGS -Werror)
endif()
set(PYMON_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)

# pymon_c_target(<target>): our C warnings (and sanitizers when enabled).
function(pymon_c_target target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:C>:${PYMON_WARNING_FLAGS}>)
  if(PYMON_SANITIZE)
    target_compile_options(${target} PRIVATE ${PYMON_SANITIZER_FLAGS})
    target_link_options(${target} PRIVATE ${PYMON_SANITIZER_FLAGS})
  endif()
endfunction()
