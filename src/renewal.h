/*-------------------------------------------------------------------------
 *
 * renewal.h
 *	  The renewal dates of renewal_windows() (renewal.c), for other
 *	  families: renewal k of a term of months and days that started on
 *	  started_on falls due on started_on + k * term, computed from the start
 *	  every time, the months first (the day of the month clamped to the
 *	  month reached: 31 January + 1 month = 29 February 2024), then the days.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSM_RENEWAL_H
#define CSM_RENEWAL_H

#include "utils/date.h"

/*
 * The due day of renewal k (k >= 0; months, days >= 0), as days since
 * 2000-01-01, or PG_INT64_MAX past the last finite date
 */
extern int64 csm_renewal_due_day(DateADT started_on, int32 months, int32 days,
								 int64 k);

#endif							/* CSM_RENEWAL_H */
