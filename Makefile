# fbreview — out-of-tree build: everything lands in $(BUILD), the binary at build/fbreview.
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
BUILD      ?= build
CC         ?= cc

PKGS      := ncursesw sqlite3 readline libpq jansson nettle uuid inih icu-uc
TEST_PKGS := cmocka

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
        -Wmissing-prototypes -Wold-style-definition -Wpointer-arith -Wcast-qual \
        -Wvla -Wnull-dereference -Wimplicit-fallthrough -Wno-overlength-strings -Wno-format-truncation
# CI builds (and `make check`) turn warnings into errors.
WERROR ?= -Werror

# pkg-config is asked once per make run; a missing package triggers `make deps`.
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS   ?= -O2 -g
CPPFLAGS += -Iinclude -I$(BUILD)/gen -D_GNU_SOURCE -DFB_VERSION='"$(VERSION)"'
ALL_CFLAGS = -std=c11 $(WARN) $(WERROR) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS) -lpthread -lm

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

.PHONY: all build-bin deps demo check unit console-tests sync-tests csv-sheet-test bench eval install uninstall clean need-deps

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

console-tests: all
	@tests/console/run.sh

sync-tests: all
	@tests/sync/run.sh

csv-sheet-test: all
	@tests/check-csv-libreoffice.sh

# The README's test command: every test there is.
check: need-deps
	@$(MAKE) --no-print-directory all unit
	@tests/check-man.sh
	@tests/check-hooks.sh
	@tests/check-layers.sh
	@tests/check-csv-libreoffice.sh
	@$(MAKE) --no-print-directory console-tests
	@$(MAKE) --no-print-directory sync-tests
	@echo "make check: all tests passed"

demo: all
	@tests/../scripts/demo.sh

bench: all $(BUILD)/tests/eval
	@tests/bench/run.sh
	@$(BUILD)/tests/eval

# The message analyser on the labelled corpus (tests/data/messages.tsv): precision, recall,
# violating messages recommended no_violation, hard negatives kept; EVAL_ARGS=--misses lists
# the tuning part's misses.
eval: $(BUILD)/tests/eval
	@$(BUILD)/tests/eval $(EVAL_ARGS)

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
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(HOOK_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BINS:=.d)
