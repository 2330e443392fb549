/*-------------------------------------------------------------------------
 *
 * grain.c
 *	  Calendar grains and period arithmetic on dates (see grain.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "csm_io.h"
#include "grain.h"

static const char *const grain_names[] = {
	[CSM_GRAIN_INVALID] = NULL,
	[CSM_GRAIN_DAY] = "day",
	[CSM_GRAIN_WEEK] = "week",
	[CSM_GRAIN_MONTH] = "month",
	[CSM_GRAIN_QUARTER] = "quarter",
	[CSM_GRAIN_YEAR] = "year",
};

/* 2000-01-03, the first Monday on or after PostgreSQL's date epoch */
#define FIRST_MONDAY	2

/* Floor division for a positive divisor */
static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	if ((a % b) < 0)
		q--;
	return q;
}

/* Match a grain name case-insensitively, without trimming */
CsmGrain
csm_grain_lookup(const char *name, size_t len)
{
	for (int g = CSM_GRAIN_DAY; g <= CSM_GRAIN_MAX; g++)
	{
		const char *candidate = grain_names[g];

		if (strlen(candidate) == len && pg_strncasecmp(candidate, name, len) == 0)
			return (CsmGrain) g;
	}
	return CSM_GRAIN_INVALID;
}

/* Parse a grain argument, raising 22023 for anything unknown */
CsmGrain
csm_grain_from_text(text *name)
{
	CsmGrain	grain = csm_grain_lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));

	if (grain == CSM_GRAIN_INVALID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized grain \"%s\"", text_to_cstring(name)),
				 errhint("Valid grains are day, week, month, quarter and year.")));
	return grain;
}

const char *
csm_grain_name(CsmGrain grain)
{
	Assert(csm_grain_is_valid(grain));
	return grain_names[grain];
}

int32
csm_date_period(DateADT date, CsmGrain grain)
{
	int			year,
				month,
				day;

	switch (grain)
	{
		case CSM_GRAIN_DAY:
			return date;
		case CSM_GRAIN_WEEK:
			return (int32) floor_div((int64) date - FIRST_MONDAY, 7);
		default:
			break;
	}
	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	switch (grain)
	{
		case CSM_GRAIN_MONTH:
			return year * 12 + (month - 1);
		case CSM_GRAIN_QUARTER:
			return year * 4 + (month - 1) / 3;
		case CSM_GRAIN_YEAR:
			return year;
		default:
			elog(ERROR, "invalid grain code %d", (int) grain);
	}
	pg_unreachable();
}

DateADT
csm_period_start(int32 period, CsmGrain grain)
{
	int64		year;
	int			month;

	switch (grain)
	{
		case CSM_GRAIN_DAY:
			return period;
		case CSM_GRAIN_WEEK:
			return (DateADT) ((int64) period * 7 + FIRST_MONDAY);
		case CSM_GRAIN_MONTH:
			year = floor_div(period, 12);
			month = (int) (period - year * 12) + 1;
			break;
		case CSM_GRAIN_QUARTER:
			year = floor_div(period, 4);
			month = (int) (period - year * 4) * 3 + 1;
			break;
		case CSM_GRAIN_YEAR:
			year = period;
			month = 1;
			break;
		default:
			elog(ERROR, "invalid grain code %d", (int) grain);
	}
	return date2j((int) year, month, 1) - POSTGRES_EPOCH_JDATE;
}

/* The error of csm_check_cohort_date (grain.h) */
void
csm_bad_cohort_date(DateADT date, const char *what)
{
	Assert(CSM_FIRST_DAY == date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE);
	if (DATE_NOT_FINITE(date))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date", what)));
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is before 0001-01-01", what),
				 errdetail("Cohorts are supported from the year 1 on.")));
}

bool
csm_is_period_start(DateADT date, CsmGrain grain)
{
	if (DATE_NOT_FINITE(date) || !IS_VALID_DATE(date) || date < CSM_FIRST_DAY)
		return false;
	return csm_period_start(csm_date_period(date, grain), grain) == date;
}

/* Refuse a retention triangle with too many periods for one cohort */
void
csm_check_triangle_periods(int64 periods, DateADT cohort, const char *hint)
{
	char		buf[CSM_IO_DATE_LEN];

	if (likely(periods <= CSM_TRIANGLE_MAX_PERIODS))
		return;
	csm_io_format_date(cohort, buf);
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many periods in a retention triangle"),
			 errdetail("Cohort %s would have %lld periods; a triangle shows at most %d periods per cohort.",
					   buf, (long long) periods, CSM_TRIANGLE_MAX_PERIODS),
			 errhint("%s", hint)));
}
