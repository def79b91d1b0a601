#!/bin/sh
# embed.sh SYMBOL INPUT: prints a C file holding INPUT's bytes as
# `const char SYMBOL[]` (NUL-terminated) and `const size_t SYMBOL_len`.
# Used to build data files such as schemas/netflow/v1/schema.json into the
# binary, so the installed program needs no data directory.
set -eu
sym=$1
in=$2
echo "/* Generated from $(basename "$in") by build-aux/embed.sh. Do not edit. */"
echo "#include <stddef.h>"
echo "extern const char ${sym}[];"
echo "extern const size_t ${sym}_len;"
echo "const char ${sym}[] = {"
od -An -v -tx1 "$in" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
echo "0x00 };"
echo "const size_t ${sym}_len = sizeof(${sym}) - 1;"
