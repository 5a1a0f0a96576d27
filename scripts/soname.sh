#!/bin/sh
# Print the soname of the shared library libLIBRARY.so that the build
# compiles against: the one in the libdir that pkg-config gives for
# PACKAGE, else the one that the compiler CC (default cc) links with
# -lLIBRARY. mandate loads libgit2 and PCRE2 by these names at run time.
# Prints nothing and exits 1 when no such library with a soname is found.
#
# Usage: scripts/soname.sh PACKAGE LIBRARY [CC]
#   scripts/soname.sh libgit2 git2 cc        prints libgit2.so.1.5 or so
#   scripts/soname.sh libpcre2-8 pcre2-8     prints libpcre2-8.so.0
set -u

if [ $# -lt 2 ]; then
	echo "usage: scripts/soname.sh PACKAGE LIBRARY [CC]" >&2
	exit 2
fi
PACKAGE=$1
FILE=lib$2.so
CC=${3:-cc}

soname_of() {
	[ -f "$1" ] || return 1
	name=$(objdump -p "$1" 2>/dev/null |
		awk '$1 == "SONAME" { print $2; exit }')
	[ -n "$name" ] || return 1
	echo "$name"
}

libdir=$(pkg-config --variable=libdir "$PACKAGE" 2>/dev/null)
if [ -n "$libdir" ] && soname_of "$libdir/$FILE"; then
	exit 0
fi
soname_of "$($CC -print-file-name="$FILE" 2>/dev/null)"
