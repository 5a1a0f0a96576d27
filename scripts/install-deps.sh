#!/bin/sh
# Install the Debian packages mandate needs to build and test, when any
# is missing: with apt-get as root, through sudo otherwise, or print the
# command to run and fail.
set -eu

PACKAGES="gcc make flex bison pkg-config libcjson-dev libgit2-dev \
libpcre2-dev libssl-dev jq groff-base"

missing=""
for pkg in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
		grep -q 'install ok installed'; then
		missing="$missing $pkg"
	fi
done
[ -z "$missing" ] && exit 0

echo "mandate: installing missing build dependencies:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo apt-get update -qq >&2
	sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
else
	echo "mandate: error: missing build dependencies; install them with:" >&2
	echo "    sudo apt-get install$missing" >&2
	exit 1
fi
