# pymon_instrument(<target> [ARGS plugin-arg...])
#
# Compile <target>'s C and C++ sources with the pymon plugin that matches
# its compiler (GCC: pymon.so, Clang: pymon-clang.so) and link the runtime.
# ARGS are passed as -fplugin-arg-pymon-<arg>, e.g. ARGS verbose select=check_*.
function(pymon_instrument target)
  cmake_parse_arguments(PI "" "" "ARGS" ${ARGN})
  if(NOT PYMON_GCC_PLUGIN OR NOT PYMON_CLANG_PLUGIN)
    message(FATAL_ERROR "pymon_instrument: PYMON_GCC_PLUGIN / PYMON_CLANG_PLUGIN are not set; use find_package(pymon)")
  endif()
  set(flags)
  foreach(arg IN LISTS PI_ARGS)
    list(APPEND flags -fplugin-arg-pymon-${arg})
  endforeach()
  foreach(lang C CXX)
    target_compile_options(${target} PRIVATE
      "$<$<COMPILE_LANG_AND_ID:${lang},GNU>:-fplugin=${PYMON_GCC_PLUGIN};${flags}>"
      "$<$<COMPILE_LANG_AND_ID:${lang},Clang>:-fplugin=${PYMON_CLANG_PLUGIN};${flags}>")
  endforeach()
  if(TARGET pymon::pymon)
    target_link_libraries(${target} PRIVATE pymon::pymon)
  else()
    target_link_libraries(${target} PRIVATE pymon)
  endif()
endfunction()
