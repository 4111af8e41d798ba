# Turns a text file into a C header holding it as a NUL-terminated char
# array, so the HTML report's JS and CSS live in real .js/.css files.
# Usage: cmake -DIN=<file> -DOUT=<header> -DNAME=<symbol> -P embed.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" hex "${hex}")
get_filename_component(base "${IN}" NAME)
file(WRITE "${OUT}.tmp"
  "/* Generated from ${base} by embed.cmake; do not edit. */\n"
  "static const char ${NAME}[] = {\n${hex}0x00};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
