# mandate: a policy compiler and CI gate for non-human identities.
#
#   make                 build build/mandate
#   make test            build and run every test (also: make check)
#   make demo            run `mandate check` on the bundled example
#   make bench           time check against cJSON alone; docs/BENCHMARKS.md
#   make fuzz            run each libFuzzer target FUZZ_SECONDS (60) seconds,
#                        inputs up to FUZZ_MAX_LEN bytes; fuzz/README.md
#   make DEVELOPER=1     turn warnings into errors
#   make SANITIZE=address,undefined test
#   make install PREFIX=/usr/local DESTDIR=
#   make uninstall       remove what make install put there
#
# Every target first makes sure the Debian build dependencies are
# installed (see scripts/install-deps.sh).

.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:

CC ?= cc
BUILD ?= build
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
STDLIBDIR = $(PREFIX)/share/mandate/stdlib
MANDIR = $(PREFIX)/share/man

PKGS = libcjson libpcre2-8 libgit2
# libgit2 and PCRE2 are not linked but loaded with dlopen: libgit2 by
# mandate diff (gitlib.c), PCRE2 for a gate's owner_pattern or
# agent_name_pattern (pcrelib.c).
LINK_PKGS = $(filter-out libgit2 libpcre2-8,$(PKGS))

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wvla -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) -Icompiler -Iruntime -Iinclude \
	-I$(BUILD) -Igrammar -MMD -MP
ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

DEPS_STAMP = $(BUILD)/.deps-ok
TEST_TOOLS_STAMP = $(BUILD)/.test-tools-ok
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# dlopen is in libdl before glibc 2.34, in libc from then on.
PKG_LIBS = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -ldl
# Expanded only when gitlib.o or pcrelib.o is compiled. Without a soname
# the define is left out and the file stops with #error.
LIBGIT2_SONAME = $(shell sh scripts/soname.sh libgit2 git2 $(CC))
PCRE2_SONAME = $(shell sh scripts/soname.sh libpcre2-8 pcre2-8 $(CC))
# Only the unit test that compares a C check with PCRE2 links PCRE2.
PCRE2_LIBS = $(shell pkg-config --libs libpcre2-8 2>/dev/null)

COMPILER_SRCS = $(filter-out compiler/main.c compiler/gen_catalog.c,\
	$(wildcard compiler/*.c))
RUNTIME_SRCS = $(wildcard runtime/*.c)
GEN_SRCS = $(BUILD)/parser.c $(BUILD)/lexer.c

LIB_OBJS = $(COMPILER_SRCS:%.c=$(BUILD)/%.o) $(RUNTIME_SRCS:%.c=$(BUILD)/%.o) \
	$(if $(wildcard grammar/parser.y),$(BUILD)/parser.o $(BUILD)/lexer.o)
MAIN_OBJ = $(BUILD)/compiler/main.o

# The standard library's catalog as compiled tables (compiler/gen_catalog.c).
CATALOG_OBJ = $(BUILD)/catalog_builtin.o

# The benchmark's helpers: cJSON alone on the export, and a timer.
BENCH_BINS = $(BUILD)/bench/cjson-parse $(BUILD)/bench/rusage

UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(filter-out tests/unit/unit.c,$(UNIT_SRCS)))

# The fuzz targets, and drivers that replay fuzz/regress/ without libFuzzer.
FUZZ_TARGETS = $(patsubst fuzz/%.c,%,$(filter-out fuzz/replay.c,$(wildcard fuzz/*.c)))
FUZZ_REPLAY_BINS = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay-%)
FUZZ_BUILD = $(BUILD)/libfuzzer
FUZZ_SECONDS ?= 60
FUZZ_TOOLS_STAMP = $(BUILD)/.fuzz-tools-ok

all: $(BUILD)/mandate $(BUILD)/libmandate.a

$(DEPS_STAMP): scripts/install-deps.sh
	@sh scripts/install-deps.sh
	@mkdir -p $(BUILD)
	@touch $@

$(BUILD)/parser.c $(BUILD)/parser.h &: grammar/parser.y $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	bison -Wall -Werror --defines=$(BUILD)/parser.h -o $(BUILD)/parser.c \
		grammar/parser.y

$(BUILD)/lexer.c $(BUILD)/lexer.h &: grammar/lexer.l $(BUILD)/parser.h
	flex --header-file=$(BUILD)/lexer.h -o $(BUILD)/lexer.c grammar/lexer.l

# Generated code is not held to the project's warning flags. It includes
# the compiler's headers, so it records them for rebuilds (-MMD) too.
$(BUILD)/parser.o $(BUILD)/lexer.o: %.o: %.c $(BUILD)/parser.h $(BUILD)/lexer.h
	$(CC) -std=c11 $(CFLAGS) $(filter -f%,$(ALL_CFLAGS)) -MMD -MP -Icompiler \
		-Iruntime -Iinclude -I$(BUILD) -Igrammar $(PKG_CFLAGS) \
		-Wno-unused-function -c -o $@ $<

GEN_HEADERS = $(if $(wildcard grammar/parser.y),$(BUILD)/parser.h $(BUILD)/lexer.h)

$(BUILD)/%.o: %.c $(DEPS_STAMP) | $(GEN_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/compiler/gitlib.o: ALL_CFLAGS += \
	$(if $(LIBGIT2_SONAME),-DLIBGIT2_SONAME='"$(LIBGIT2_SONAME)"')

$(BUILD)/compiler/pcrelib.o: ALL_CFLAGS += \
	$(if $(PCRE2_SONAME),-DPCRE2_SONAME='"$(PCRE2_SONAME)"')

# Rewritten only when the soname changes, as after an upgrade of the
# library, so that the object that loads it is compiled again.
$(BUILD)/compiler/gitlib.o: $(BUILD)/libgit2-soname
$(BUILD)/compiler/pcrelib.o: $(BUILD)/pcre2-soname
SONAME_libgit2 = $(LIBGIT2_SONAME)
SONAME_pcre2 = $(PCRE2_SONAME)
$(BUILD)/libgit2-soname $(BUILD)/pcre2-soname: $(BUILD)/%-soname: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SONAME_$*)' | cmp -s - $@ || echo '$(SONAME_$*)' >$@

.PHONY: FORCE

$(BUILD)/libmandate-core.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# The runtime library that services embed: include/mandate.h.
$(BUILD)/libmandate.a: $(RUNTIME_SRCS:%.c=$(BUILD)/%.o)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/gen_catalog: $(BUILD)/compiler/gen_catalog.o \
		$(BUILD)/libmandate-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/catalog_builtin.c: $(BUILD)/gen_catalog stdlib/aws/catalog.txt \
		stdlib/aws/global-condition-keys.txt
	$(BUILD)/gen_catalog stdlib/aws/catalog.txt $@

# Generated tables, compiled like the project's own sources.
$(CATALOG_OBJ): $(BUILD)/catalog_builtin.c
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/mandate: $(MAIN_OBJ) $(CATALOG_OBJ) $(BUILD)/libmandate-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/unit.o \
		$(CATALOG_OBJ) $(BUILD)/libmandate-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(UNIT_LIBS) -lm

$(BUILD)/tests/unit/address_pattern: UNIT_LIBS = $(PCRE2_LIBS)

# The tests also need npm and the SARIF Multitool, which building does not.
$(TEST_TOOLS_STAMP): scripts/install-deps.sh
	@sh scripts/install-deps.sh --test-tools
	@mkdir -p $(BUILD)
	@touch $@

test: $(BUILD)/mandate $(UNIT_BINS) $(BENCH_BINS) $(FUZZ_REPLAY_BINS) \
		$(TEST_TOOLS_STAMP)
	@sh tests/run.sh $(BUILD)

check: test

demo: $(BUILD)/mandate
	@sh scripts/demo.sh $(BUILD)/mandate

$(BUILD)/bench/cjson-parse: $(BUILD)/bench/cjson-parse.o
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/bench/rusage: $(BUILD)/bench/rusage.o
	$(CC) $(LDFLAGS) -o $@ $^

bench: $(BUILD)/mandate $(BENCH_BINS)
	@sh bench/run.sh $(BUILD) docs/BENCHMARKS.md

# The binary finds the standard library at ../share/mandate/stdlib from
# its own directory, so BINDIR and STDLIBDIR must stay in one prefix.
# The generator of the catalog is not needed at run time.
STDLIB_FILES = $(shell find stdlib -type f ! -name '*.py' | LC_ALL=C sort)
STDLIB_DIRS = $(shell find stdlib -mindepth 1 -type d | LC_ALL=C sort -r)
install: $(BUILD)/mandate
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" \
		"$(DESTDIR)$(MANDIR)/man5"
	install -m 755 $(BUILD)/mandate "$(DESTDIR)$(BINDIR)/mandate"
	for f in $(STDLIB_FILES); do \
		install -D -m 644 "$$f" \
			"$(DESTDIR)$(STDLIBDIR)/$${f#stdlib/}" || exit 1; \
	done
	install -m 644 docs/mandate.1 "$(DESTDIR)$(MANDIR)/man1/mandate.1"
	install -m 644 docs/mandate.5 "$(DESTDIR)$(MANDIR)/man5/mandate.5"

# Directories that other packages share (bin, man1, man5) stay.
uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/mandate" \
		"$(DESTDIR)$(MANDIR)/man1/mandate.1" \
		"$(DESTDIR)$(MANDIR)/man5/mandate.5"
	for f in $(STDLIB_FILES); do \
		rm -f "$(DESTDIR)$(STDLIBDIR)/$${f#stdlib/}"; \
	done
	for d in $(STDLIB_DIRS) ""; do \
		rmdir "$(DESTDIR)$(STDLIBDIR)/$${d#stdlib/}" 2>/dev/null; \
	done; \
	rmdir "$(DESTDIR)$(PREFIX)/share/mandate" 2>/dev/null; true

# The targets find the catalog in the source tree's standard library.
$(BUILD)/fuzz/%.o: ALL_CFLAGS += -DFUZZ_STDLIB_DIR='"$(CURDIR)/stdlib"'

$(BUILD)/fuzz/replay-%: $(BUILD)/fuzz/%.o $(BUILD)/fuzz/replay.o \
		$(CATALOG_OBJ) $(BUILD)/libmandate-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# Run by make fuzz in FUZZ_BUILD, with clang and the sanitizers.
$(BUILD)/bin/%: $(BUILD)/fuzz/%.o $(CATALOG_OBJ) $(BUILD)/libmandate-core.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/bin/%)

$(FUZZ_TOOLS_STAMP): scripts/install-deps.sh
	@sh scripts/install-deps.sh --fuzz
	@mkdir -p $(BUILD)
	@touch $@

# Every library object is built again by clang, instrumented for
# coverage; the fuzzer's own main comes in only when a target links.
fuzz: $(FUZZ_TOOLS_STAMP)
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang SANITIZE=address,undefined \
		CFLAGS='-O1 -g -fsanitize=fuzzer-no-link' fuzz-bins
	FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) nice sh fuzz/run.sh $(FUZZ_BUILD) \
		$(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD)

.PHONY: all test check demo bench fuzz fuzz-bins clean install uninstall

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
