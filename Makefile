# fbreview — out-of-tree build: everything lands in $(BUILD), the binary at build/fbreview.
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
CC         ?= cc
# SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer (halting on the first
# finding), built into a folder of its own so the plain build is never mixed with it.
SANITIZE   ?=
ifeq ($(SANITIZE),1)
BUILD      ?= build-san
SAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD      ?= build
SAN_FLAGS  :=
endif

PKGS      := ncursesw sqlite3 readline libpq jansson nettle uuid inih icu-uc icu-i18n
TEST_PKGS := cmocka

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
        -Wmissing-prototypes -Wold-style-definition -Wpointer-arith -Wcast-qual \
        -Wvla -Wnull-dereference -Wimplicit-fallthrough -Wno-overlength-strings -Wno-format-truncation
# clang (the fuzz build) does not know GCC's -Wformat-truncation.
ifneq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -1)),)
WARN := $(filter-out -Wno-format-truncation,$(WARN))
endif
# CI builds (and `make check`) turn warnings into errors.
WERROR ?= -Werror

# pkg-config is asked once per make run; a missing package triggers `make deps`.
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS   ?= -O2 -g
CPPFLAGS += -Iinclude -I$(BUILD)/gen -D_GNU_SOURCE -DFB_VERSION='"$(VERSION)"'
ALL_CFLAGS = -std=c11 $(WARN) $(WERROR) $(CFLAGS) $(SAN_FLAGS) $(PKG_CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS) -lpthread -lm

# The test scripts run the binary of this build (tests/*/lib.sh, tests/run-unit.sh).
export FB_BUILD := $(abspath $(BUILD))
export FB_BIN   := $(FB_BUILD)/fbreview
# The same with the test hooks (-DFB_TEST_HOOKS): unit tests and the fault scripts.
export FB_BIN_TEST := $(FB_BUILD)/fbreview-test
ifeq ($(SANITIZE),1)
# Every report goes to a file in $(BUILD)/san/ as well as failing the process, so a
# finding in a process whose exit status a test does not look at (a console in tmux, a
# background sync) still fails `make check` (see san-report).
SAN_LOG := $(FB_BUILD)/san
export ASAN_OPTIONS  := detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$(SAN_LOG)/asan
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOG)/ubsan
endif

# Every layer's folder (util model store core io sync tui cli): tests/check-layers.sh.
SRC_ALL  := $(sort $(wildcard src/*/*.c))
SRC_MAIN := src/main.c
LIB_OBJS := $(SRC_ALL:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/main.o
GEN      := $(BUILD)/gen/schema_sql.h $(BUILD)/gen/upstream_sql.h $(BUILD)/gen/data_files.h

# Test hooks (FBREVIEW_FAULT, FBREVIEW_SYNC_CRASH_AFTER, FBREVIEW_SYNC_HOOK_CMD, ...) are
# compiled only with -DFB_TEST_HOOKS, into build/fbreview-test and the unit tests; the
# product binary build/fbreview has none (tests/check-hooks.sh checks with strings).
HOOK_SRCS := src/core/decision.c src/sync/sync.c src/sync/upstream_pg.c
HOOK_OBJS := $(HOOK_SRCS:%.c=$(BUILD)/hooks/%.o)
TESTLIB_OBJS := $(filter-out $(HOOK_SRCS:%.c=$(BUILD)/%.o),$(LIB_OBJS)) $(HOOK_OBJS)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# libFuzzer targets, tests/fuzz/fuzz_NAME.c (see `make fuzz`).
FUZZ_TARGETS := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))

.PHONY: all build-bin deps demo check unit console-tests sync-tests csv-sheet-test bench eval install uninstall clean need-deps ref-update check-steps san-clean san-report fuzz fuzz-build fuzz-bins fuzz-replay check-fresh stress

# The deps step runs first; the build is a sub-make so pkg-config is asked after it.
all: need-deps
	@$(MAKE) --no-print-directory build-bin

build-bin: $(BUILD)/fbreview $(BUILD)/fbreview-test

# Run the deps step only when pkg-config cannot find a library or a tool is missing.
need-deps:
	@scripts/deps.sh --check >/dev/null 2>&1 || scripts/deps.sh

deps:
	@scripts/deps.sh

$(BUILD)/fbreview: $(MAIN_OBJ) $(BUILD)/libfbreview.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(MAIN_OBJ) $(BUILD)/libfbreview.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/libfbreview.a: $(LIB_OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/fbreview-test: $(MAIN_OBJ) $(BUILD)/libfbreview-test.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(MAIN_OBJ) $(BUILD)/libfbreview-test.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/libfbreview-test.a: $(TESTLIB_OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/hooks/%.o: %.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC    $< (test hooks)"
	@$(CC) $(CPPFLAGS) -DFB_TEST_HOOKS $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# schema.sql and data/* are built into the binary as C string literals.
$(BUILD)/gen/schema_sql.h: schema.sql scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh fb_schema_sql schema.sql > $@

$(BUILD)/gen/upstream_sql.h: upstream.sql scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh fb_upstream_sql upstream.sql > $@

# data/default.conf is not built in: it is printed from the options table (fbreview --defaults).
DATA_EMBED := $(filter-out data/default.conf,$(wildcard data/*))
$(BUILD)/gen/data_files.h: $(DATA_EMBED) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh --files $(DATA_EMBED) > $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libfbreview-test.a
	@mkdir -p $(dir $@)
	@echo "  TEST  $<"
	@$(CC) $(CPPFLAGS) -DFB_TEST_HOOKS $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(BUILD)/libfbreview-test.a $(LDFLAGS) $(TEST_LIBS) $(LDLIBS)

unit: all $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

# The fuzz targets built with tests/fuzz/replay.c instead of libFuzzer (any compiler), run
# over their seed corpus: they keep building, and the seeds keep passing.
FUZZ_REPLAYS = $(FUZZ_TARGETS:%=$(BUILD)/tests/replay_%)

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libfbreview.a
	@mkdir -p $(dir $@)
	@echo "  TEST  $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libfbreview.a $(LDFLAGS) $(LDLIBS)

fuzz-replay: all $(FUZZ_REPLAYS)
	@for t in $(FUZZ_TARGETS); do \
	    if out=$$($(BUILD)/tests/replay_$$t tests/fuzz/corpus/$$t 2>&1); then \
	        echo "  PASS  fuzz seeds $$t ($$out)"; \
	    else echo "  FAIL  fuzz seeds $$t"; echo "$$out"; exit 1; fi; \
	done

console-tests: all
	@tests/console/run.sh

# Writes the console's reference screens (tests/console/ref/) again after an intended
# change of the screens; review `git diff tests/console/ref` before committing.
ref-update: all
	@FB_REF_UPDATE=1 sh tests/console/test_ref.sh

# Test programs the sync scripts drive (linked like the unit tests, no cmocka).
SYNC_BINS := $(BUILD)/tests/lifecycle_random $(BUILD)/tests/lifecycle_table

$(BUILD)/tests/lifecycle_random $(BUILD)/tests/lifecycle_table: $(BUILD)/tests/%: tests/sync/%.c $(BUILD)/libfbreview.a
	@mkdir -p $(dir $@)
	@echo "  TEST  $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libfbreview.a $(LDFLAGS) $(LDLIBS)

sync-tests: all $(SYNC_BINS)
	@tests/sync/run.sh

csv-sheet-test: all
	@tests/check-csv-libreoffice.sh

# The README's test command: every test there is.
check: need-deps
	@$(MAKE) --no-print-directory all san-clean
	@$(MAKE) --no-print-directory check-steps || { $(MAKE) --no-print-directory san-report; exit 1; }
	@$(MAKE) --no-print-directory san-report
	@echo "make check: all tests passed$(if $(SAN_FLAGS), (under ASan and UBSan),)"

check-steps:
	@$(MAKE) --no-print-directory unit fuzz-replay
	@tests/check-man.sh
	@tests/check-hooks.sh
	@tests/check-layers.sh
	@tests/check-csv-libreoffice.sh
	@$(MAKE) --no-print-directory console-tests
	@$(MAKE) --no-print-directory sync-tests

# Sanitizer reports of the last run; any report fails the run, whichever process wrote it.
san-clean:
	@$(if $(SAN_LOG),rm -rf $(SAN_LOG) && mkdir -p $(SAN_LOG),:)

san-report:
	@$(if $(SAN_LOG),tests/san-report.sh $(SAN_LOG),:)

# libFuzzer targets (tests/fuzz/), built with clang into $(FUZZ_BUILD) with ASan and UBSan.
# `make fuzz FUZZ_SECONDS=N` runs each for N seconds from the seeds in tests/fuzz/corpus/
# and fails on any finding (the crashing input is left in $(FUZZ_BUILD)/artifacts/).
# Not part of `make check`: it needs clang (scripts/deps.sh --fuzz installs it).
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz: fuzz-build
	@FUZZ_ARGS='$(FUZZ_ARGS)' tests/fuzz/run.sh $(FUZZ_BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build:
	@scripts/deps.sh --fuzz --check >/dev/null 2>&1 || scripts/deps.sh --fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) CFLAGS='-O1 -g' \
	    SAN_FLAGS='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' fuzz-bins

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libfbreview.a
	@mkdir -p $(dir $@)
	@echo "  FUZZ  $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libfbreview.a $(LDFLAGS) $(LDLIBS)

# The README's two commands on a fresh Debian 12 root with the clone in /root
# (scripts/check-fresh.sh; needs root and the network; not part of `make check`).
check-fresh:
	@scripts/check-fresh.sh

# The crash loop (tests/stress/run.sh; a few minutes; not part of `make check`).
stress: all
	@tests/stress/run.sh

demo: all
	@tests/../scripts/demo.sh

bench: all $(BUILD)/tests/eval
	@tests/bench/run.sh
	@$(BUILD)/tests/eval

# The message analyser on the labelled corpus (tests/data/messages.tsv): precision, recall,
# violating messages recommended no_violation, hard negatives kept; EVAL_ARGS=--misses lists
# the tuning part's misses; then the blind blocks (tests/data/blind/), figures only.
eval: $(BUILD)/tests/eval
	@$(BUILD)/tests/eval $(EVAL_ARGS)
	@for f in tests/data/blind/block*.tsv tests/data/quoted/*.tsv; do echo "== $$f (written after the rules; no misses printed)"; $(BUILD)/tests/eval $$f | sed -n '/, all:/,$$p'; done
	@for f in tests/data/dev/*.tsv; do echo "== $$f (development wording, tuned on)"; $(BUILD)/tests/eval $$f | sed -n '/, all:/,$$p'; done

$(BUILD)/tests/eval: tests/eval/eval.c tests/eval/corpus.h $(BUILD)/libfbreview.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libfbreview.a $(LDFLAGS) $(LDLIBS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/fbreview $(DESTDIR)$(BINDIR)/fbreview
	install -m 644 man/fbreview.1 $(DESTDIR)$(MANDIR)/man1/fbreview.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fbreview $(DESTDIR)$(MANDIR)/man1/fbreview.1

clean:
	rm -rf $(BUILD) build-san $(FUZZ_BUILD)

-include $(LIB_OBJS:.o=.d) $(HOOK_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_REPLAYS:=.d)
