/*-------------------------------------------------------------------------
 *
 * grain.h
 *	  Calendar grains ('day', 'week', 'month', 'quarter', 'year') and the
 *	  period arithmetic on dates that the cohort functions (and anything
 *	  else that buckets dates into periods) share.
 *
 * A period is numbered by an int32 "period number" that increases by one
 * from each period to the next, so that the distance between two dates in
 * periods is a subtraction:
 *	  day		days since 2000-01-01 (PostgreSQL's own date value)
 *	  week		ISO weeks (Monday to Sunday) since the week of 2000-01-03
 *	  month		year * 12 + month - 1
 *	  quarter	year * 4 + (month - 1) / 3
 *	  year		the year
 * Period numbers are an in-memory device only; stored values and text
 * forms carry the first day of the period as a date.
 *
 * Also here: the (cohort, period) cell key of the cohort summaries and
 * CsmCohortMap, the aggregate state that cohort.c and revenue_cohort.c
 * build on the cell map of cellmap.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_GRAIN_H
#define CSMETRICS_GRAIN_H

#include "postgres.h"

#include "utils/date.h"
#include "utils/datetime.h"

#include "cellmap.h"
#include "pg_compat.h"

typedef enum CsmGrain
{
	CSM_GRAIN_INVALID = 0,
	CSM_GRAIN_DAY = 1,
	CSM_GRAIN_WEEK = 2,
	CSM_GRAIN_MONTH = 3,
	CSM_GRAIN_QUARTER = 4,
	CSM_GRAIN_YEAR = 5
} CsmGrain;

#define CSM_GRAIN_MAX CSM_GRAIN_YEAR

/*
 * The most periods a retention triangle (cohort_retention,
 * revenue_retention) shows for one cohort: 100,000 days is 273 years, as
 * renewal_windows' limit.  A mistyped as_of or a stored period such as
 * 2147483647 would otherwise materialise up to 2^31 rows per cohort;
 * csm_check_triangle_periods raises 54000 instead.
 */
#define CSM_TRIANGLE_MAX_PERIODS	100000

/*
 * The first day csmetrics' summaries store: 0001-01-01, as days since
 * 2000-01-01 (date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE, a constant so that
 * per-row checks need no call; grain.c asserts that they agree)
 */
#define CSM_FIRST_DAY	(-730119)

static inline int64
csm_first_day(void)
{
	return (int64) CSM_FIRST_DAY;
}

/*
 * Is day (days since 2000-01-01, as an int64 read from a stored value) a
 * day a summary may hold: 0001-01-01 or later, and a finite valid date?
 */
static inline bool
csm_day_in_range(int64 day)
{
	return day >= csm_first_day() &&
		day < (int64) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE);
}

/* Raise 54000 when a cohort's triangle would have more periods (hint: a full sentence) */
extern void csm_check_triangle_periods(int64 periods, DateADT cohort, const char *hint);

/*
 * Parse a grain name: exact lower-case or upper-case spelling (matched
 * case-insensitively, like date_trunc's field names), no surrounding white
 * space.  Returns CSM_GRAIN_INVALID for anything else.
 */
extern CsmGrain csm_grain_lookup(const char *name, size_t len);

/* As csm_grain_lookup, but raise 22023 for an unknown grain */
extern CsmGrain csm_grain_from_text(text *name);

/* The canonical (lower-case) name of a grain */
extern const char *csm_grain_name(CsmGrain grain);

/* Is this a valid grain code (as read from a stored value)? */
static inline bool
csm_grain_is_valid(int code)
{
	return code >= CSM_GRAIN_DAY && code <= CSM_GRAIN_MAX;
}

/*
 * Period number of the period containing a finite date.  The caller has
 * checked that the date is finite.
 */
extern int32 csm_date_period(DateADT date, CsmGrain grain);

/* First day of a period, as a date */
extern DateADT csm_period_start(int32 period, CsmGrain grain);

/*
 * Check that a date may start a cohort (finite, year 1 or later) and raise
 * 22008 otherwise; what names the date in the message.
 */
pg_noreturn extern void csm_bad_cohort_date(DateADT date, const char *what);

/*
 * Refuse an infinite date or one before 0001-01-01 (22008): inline, as
 * transition functions call it for every row
 */
static inline void
csm_check_cohort_date(DateADT date, const char *what)
{
	if (unlikely(DATE_NOT_FINITE(date) || date < CSM_FIRST_DAY))
		csm_bad_cohort_date(date, what);
}

/*
 * Is this date a valid cohort date of the grain: finite, in the year 1 or
 * later, and the first day of its period?  (For reading stored values.)
 */
extern bool csm_is_period_start(DateADT date, CsmGrain grain);

/*
 * A cohort table cell, (cohort period number, periods since), packed into
 * one uint64: the key of the cohort aggregates' cell maps (cellmap.h).
 */
static inline uint64
csm_cell_key(int32 cohort, int32 period)
{
	return ((uint64) (uint32) cohort << 32) | (uint32) period;
}

static inline int32
csm_cell_cohort(uint64 key)
{
	return (int32) (uint32) (key >> 32);
}

static inline int32
csm_cell_period(uint64 key)
{
	return (int32) (uint32) key;
}

/* Order of two packed cells (qsort style): by cohort, then by period */
static inline int
csm_cell_key_cmp(const void *a, const void *b)
{
	uint64		x,
				y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	if (csm_cell_cohort(x) != csm_cell_cohort(y))
		return csm_cell_cohort(x) < csm_cell_cohort(y) ? -1 : 1;
	if (csm_cell_period(x) != csm_cell_period(y))
		return csm_cell_period(x) < csm_cell_period(y) ? -1 : 1;
	return 0;
}

/*
 * The aggregate state of a cohort summary type (cohort.c,
 * revenue_cohort.c): a cell map (cellmap.h) keyed by the packed cell above,
 * and the grain of the summary.  The type's state struct begins with it.
 * The cached pair is one period number and the first day of that period,
 * kept to convert cohorts between the two while walking sorted cells.
 */
typedef struct CsmCohortMap
{
	CsmCellMap	map;
	CsmGrain	grain;			/* CSM_GRAIN_INVALID until the first value */
	bool		cached;			/* cached_period and cached_date are set */
	int32		cached_period;
	DateADT		cached_date;
} CsmCohortMap;

/* Take the grain of the first row, or check that a row has the same */
static inline void
csm_cohort_map_row_grain(CsmCohortMap *cm, CsmGrain grain)
{
	if (cm->grain == CSM_GRAIN_INVALID)
		cm->grain = grain;
	else if (unlikely(cm->grain != grain))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grain changed from %s to %s within one aggregate",
						csm_grain_name(cm->grain), csm_grain_name(grain))));
}

/*
 * Take the grain of the first summary merged, or check that a summary has
 * the same; what names the summaries in the message ("cohort summaries").
 */
static inline void
csm_cohort_map_summary_grain(CsmCohortMap *cm, CsmGrain grain, const char *what)
{
	if (cm->grain == CSM_GRAIN_INVALID)
		cm->grain = grain;
	else if (cm->grain != grain)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge %s of different grains", what),
				 errdetail("One has grain %s, the other %s.",
						   csm_grain_name(cm->grain), csm_grain_name(grain))));
}

/* Remember that period number period starts on date */
static inline void
csm_cohort_map_cache(CsmCohortMap *cm, int32 period, DateADT date)
{
	cm->cached = true;
	cm->cached_period = period;
	cm->cached_date = date;
}

/*
 * The period number of a cohort date; a summary's cells come sorted, so
 * it is usually the date converted last time.
 */
static inline int32
csm_cohort_map_period(CsmCohortMap *cm, DateADT cohort)
{
	if (!cm->cached || cm->cached_date != cohort)
		csm_cohort_map_cache(cm, csm_date_period(cohort, cm->grain), cohort);
	return cm->cached_period;
}

/* The payload of cell (cohort, period), added if missing (*found says) */
static inline void *
csm_cohort_map_insert(CsmCohortMap *cm, int32 cohort, int32 period, bool *found)
{
	uint64		key = csm_cell_key(cohort, period);

	return csm_cellmap_insert(&cm->map, &key, found);
}

/* The cohort date and the period of cell i */
static inline void
csm_cohort_map_cell(CsmCohortMap *cm, uint32 i, DateADT *cohort, int32 *period)
{
	uint64		key;

	memcpy(&key, csm_cellmap_key(&cm->map, i), sizeof(key));
	if (!cm->cached || cm->cached_period != csm_cell_cohort(key))
		csm_cohort_map_cache(cm, csm_cell_cohort(key),
							 csm_period_start(csm_cell_cohort(key), cm->grain));
	*cohort = cm->cached_date;
	*period = csm_cell_period(key);
}

#endif							/* CSMETRICS_GRAIN_H */
