# Makefile for dllb, built with PGXS.
#
# Sections: version, sources, install script, compiler flags, tests, PGXS.
# Targets beyond PGXS's own (all, install, installcheck, clean):
#   make print-objs     list the object files (one per .c under src/)
#
# The README's test command (scripts/test.sh) drives the three harnesses
# against a private install; `make installcheck` runs the pg_regress and
# isolation suites against the system install for people who prefer that.

EXTENSION = dllb
EXTVERSION := $(shell awk -F"'" '/^default_version/ {print $$2}' dllb.control)
MODULE_big = dllb
PGFILEDESC = "dllb - multi-model documents, graph, BM25 and HNSW for PostgreSQL"

# -- sources: every .c under src/, one folder per layer ----------------------
SRCS := $(sort $(wildcard src/*.c src/*/*.c))
OBJS = $(SRCS:.c=.o)

# -- install script: generated from one piece per layer, in layer order ------
# Each layer owns its SQL next to its C.  Order matters: lower layers first.
SQL_LAYERS = tableam model vector fulltext surql reactive
SQL_PIECES := src/dllb.sql $(foreach l,$(SQL_LAYERS),$(sort $(wildcard src/$(l)/*.sql)))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql

# -- compiler flags -----------------------------------------------------------
PG_CPPFLAGS = -I$(srcdir)/src -DDLLB_VERSION='"$(EXTVERSION)"' -MMD -MP
# -Wextra and -Werror on our code; each silenced warning is one that
# PostgreSQL's own headers or macros trigger:
#   -Wno-unused-parameter  inline functions in PG headers (and the fmgr and
#                          AM callback signatures PG fixes for us) have
#                          parameters that are not all used
#   -Wno-clobbered         PG_TRY/PG_CATCH expand to sigsetjmp, and GCC's
#                          clobber analysis of it gives false positives
#   -Wno-sign-compare      ARR_DATA_PTR in utils/array.h mixes int32 and
#                          size_t in one ?: expression
PG_CFLAGS = -Wextra -Werror -Wno-unused-parameter -Wno-clobbered -Wno-sign-compare

# No LLVM bitcode: JIT inlining of dllb's functions is not worth doubling the
# build, and it would need clang on every machine that builds dllb.
override with_llvm = no

# -- tests (see test/README.md) ----------------------------------------------
REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=$(EXTENSION) --encoding=UTF8 --no-locale
ISOLATION = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --outputdir=test/isolation/output \
	--load-extension=$(EXTENSION)

EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql $(SRCS:.c=.d) \
	results regression.diffs regression.out test/isolation/output tmp_check

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(SRCS:.c=.d)

# The install script, rebuilt when any piece changes.
$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PIECES) dllb.control
	cat $(SQL_PIECES) > $@

.PHONY: print-objs
print-objs:
	@echo $(OBJS)
