#!/bin/sh
# Print the soname of the libgit2 shared library that the build compiles
# against: the libgit2.so in pkg-config's libdir for libgit2, else the
# one that the compiler CC (default cc) links with -lgit2. mandate diff
# loads libgit2 by this name at run time. Prints nothing and exits 1
# when no libgit2.so with a soname is found.
set -u

CC=${1:-cc}

soname_of() {
	[ -f "$1" ] || return 1
	name=$(objdump -p "$1" 2>/dev/null |
		awk '$1 == "SONAME" { print $2; exit }')
	[ -n "$name" ] || return 1
	echo "$name"
}

libdir=$(pkg-config --variable=libdir libgit2 2>/dev/null)
if [ -n "$libdir" ] && soname_of "$libdir/libgit2.so"; then
	exit 0
fi
soname_of "$($CC -print-file-name=libgit2.so 2>/dev/null)"
