# csmetrics: customer-success metrics as native, parallel PostgreSQL aggregates
EXTENSION = csmetrics
EXTVERSION = 1.1

MODULE_big = csmetrics
# one object per concern; each metric family adds its own lines
OBJS = src/csmetrics.o
OBJS += src/pg_compat.o
OBJS += src/csm_io.o
OBJS += src/stats.o
OBJS += src/survey_score.o
OBJS += src/survey_summary.o
OBJS += src/nps.o
OBJS += src/customer_flow.o
OBJS += src/value.o
OBJS += src/rate_summary.o
OBJS += src/csat.o
OBJS += src/ces.o
OBJS += src/grain.o
OBJS += src/grain_type.o
OBJS += src/cellmap.o
OBJS += src/textkey.o
OBJS += src/cohort.o
OBJS += src/revenue_cohort.o
OBJS += src/mrr.o
OBJS += src/mrr_state.o
OBJS += src/mrr_bridge.o
OBJS += src/renewal.o
OBJS += src/survival.o
OBJS += src/survival_test.o
OBJS += src/trial_conversion.o
OBJS += src/specfun.o
OBJS += src/optimize.o
OBJS += src/purchase_history.o
OBJS += src/clv_fit.o
OBJS += src/bgnbd.o
OBJS += src/gamma_gamma.o
OBJS += src/sbg.o
OBJS += src/subscription_history.o
OBJS += src/mrr_bridge_metrics.o
OBJS += src/mrr_bridge_interval.o
OBJS += src/churn_definition.o
OBJS += src/summary_eq.o
OBJS += src/activity.o
OBJS += src/rowsort.o

# Install scripts (doc/developing.md, "Versions and upgrades"): the released
# full scripts and the upgrade scripts are committed and never change; the
# full script of the version being developed is generated from the master
# file src/sql/$(EXTENSION).sql.  A secondary control file per version may
# override the main one (csmetrics--1.0.control makes 1.0 untrusted).
EXTSCRIPT = src/sql/$(EXTENSION)--$(EXTVERSION).sql
DATA = $(sort $(filter-out $(EXTSCRIPT),$(wildcard src/sql/$(EXTENSION)--*.sql)) $(EXTSCRIPT))
DATA += $(wildcard src/$(EXTENSION)--*.control)
DOCS = README.md

# pg_regress suites, in the order they run (sql/NAME.sql, expected/NAME.out)
REGRESS = upgrade
REGRESS += security
REGRESS += survey_score
REGRESS += survey_summary
REGRESS += nps
REGRESS += nps_parallel
REGRESS += retention
REGRESS += retention_parallel
REGRESS += value
REGRESS += rates
REGRESS += csat_ces
REGRESS += rates_parallel
REGRESS += cohort
REGRESS += cohort_parallel
REGRESS += mrr
REGRESS += mrr_bridge
REGRESS += mrr_bridge_interval
REGRESS += mrr_bridge_coverage
REGRESS += mrr_bridge_interval_parallel
REGRESS += mrr_bridge_wide
REGRESS += mrr_parallel
REGRESS += mrr_state
REGRESS += grain
REGRESS += mrr_playbook
REGRESS += money_random
REGRESS += renewal
REGRESS += survival
REGRESS += survival_parallel
REGRESS += survival_test
REGRESS += survival_test_parallel
REGRESS += trial_conversion
REGRESS += trial_conversion_parallel
REGRESS += clv
REGRESS += clv_parallel
REGRESS += subscription_history
REGRESS += subscription_history_playbook
REGRESS += subscription_history_parallel
REGRESS += subscription_history_renewals
REGRESS += subscription_history_text
REGRESS += churn_definition
REGRESS += goals
# production hardening (issue 15)
REGRESS += moving_null
REGRESS += hardening
REGRESS += summary_eq
# engagement (issue 11)
REGRESS += activity
REGRESS += activity_parallel
REGRESS += activity_merge
REGRESS += activity_batches
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter
PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# the control file carries the version defined above
$(EXTENSION).control: $(EXTENSION).control.in Makefile
	sed 's/@EXTVERSION@/$(EXTVERSION)/' $< > $@

$(EXTSCRIPT): src/sql/$(EXTENSION).sql
	cp $< $@

all: $(EXTENSION).control $(EXTSCRIPT)

# PGXS tracks header dependencies only in --enable-depend builds of the
# server, which Debian's is not: rebuild every object when a header changes,
$(OBJS): $(wildcard src/*.h)
ifeq ($(with_llvm), yes)
# and the bitcode for JIT inlining, which must never see an old layout
$(OBJS:.o=.bc): $(wildcard src/*.h)
endif
EXTRA_CLEAN = $(EXTENSION).control $(EXTSCRIPT)

.PHONY: test demo bench
test:
	test/run-tests
demo:
	demo/run-demo
bench:
	test/bench/run-bench
