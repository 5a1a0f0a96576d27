#!/bin/sh
# Install what mandate needs to build and test, when any of it is
# missing. The Debian packages are installed with apt-get as root,
# through sudo otherwise, or the script prints the command to run and
# fails. With --test-tools (as `make test` runs it), it also installs
# npm when missing and the SARIF Multitool that
# tests/cli/check-formats.sh validates SARIF with, from the npm registry
# into .tools/ of the repository; building and installing need neither.
# With --fuzz (as `make fuzz` runs it), it also installs clang and the
# libFuzzer runtime that the fuzz targets are built with.
set -eu

TEST_TOOLS=false
FUZZ=false
[ "${1:-}" = --test-tools ] && TEST_TOOLS=true
[ "${1:-}" = --fuzz ] && FUZZ=true

# libpcre2-dev contains pcre2.h for the build; libpcre2-8-0 contains the
# library that a run loads with dlopen, which no link records.
PACKAGES="gcc make flex bison pkg-config libcjson-dev libgit2-dev \
libpcre2-dev libpcre2-8-0 jq groff-base libxml2-utils"
# libclang-rt-dev contains libFuzzer and the sanitizer runtimes for clang.
$FUZZ && PACKAGES="$PACKAGES clang libclang-rt-dev"

# The npm package and version of the SARIF validator the tests run.
SARIF_MULTITOOL="@microsoft/sarif-multitool@5.7.0"
TOOLS="$(cd "$(dirname "$0")/.." && pwd)/.tools"

install_debian() {
	missing=""
	if $TEST_TOOLS && ! command -v npm >/dev/null 2>&1; then
		missing=" npm"
	fi
	for pkg in $PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed'; then
			missing="$missing $pkg"
		fi
	done
	[ -z "$missing" ] && return 0

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
}

# The package contains a self-contained .NET program for each platform,
# so Node.js and npm are needed only to install and locate it.
install_sarif_multitool() {
	if [ -f "$TOOLS/node_modules/@microsoft/sarif-multitool/package.json" ]; then
		return 0
	fi
	# Building needs no npm, so without it only the SARIF test fails.
	if ! command -v npm >/dev/null 2>&1; then
		echo "mandate: warning: npm not found, so $SARIF_MULTITOOL is not installed and tests/cli/check-formats.sh fails; install Node.js and npm, then run this script again" >&2
		return 0
	fi
	echo "mandate: installing $SARIF_MULTITOOL into $TOOLS" >&2
	mkdir -p "$TOOLS"
	npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
		"$SARIF_MULTITOOL" >&2
	# The package's own install script only sets the execute bit, and
	# npm may skip install scripts.
	chmod u+x "$(cd "$TOOLS" && node -p "require('@microsoft/sarif-multitool')")"
}

install_debian
if $TEST_TOOLS; then
	install_sarif_multitool
fi
