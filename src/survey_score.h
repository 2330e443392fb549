/*-------------------------------------------------------------------------
 *
 * survey_score.h
 *	  The survey_score type: one answer on the 0-10 "how likely are you to
 *	  recommend us" scale, stored in one byte and passed by value.
 *
 * The answers 0-6 are detractors, 7-8 passives and 9-10 promoters; every
 * file that classifies a score or counts a class uses the bounds below.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_SURVEY_SCORE_H
#define CSMETRICS_SURVEY_SCORE_H

#include "postgres.h"

#include "fmgr.h"

#define SURVEY_SCORE_MIN	0
#define SURVEY_SCORE_MAX	10
#define SURVEY_SCORE_COUNT	(SURVEY_SCORE_MAX + 1)

/* NPS classes: detractors 0-6, passives 7-8, promoters 9-10 */
#define NPS_PASSIVE_FROM	7
#define NPS_PROMOTER_FROM	9

typedef uint8 SurveyScore;

#define DatumGetSurveyScore(X)		((SurveyScore) DatumGetUInt8(X))
#define SurveyScoreGetDatum(X)		UInt8GetDatum(X)
#define PG_GETARG_SURVEY_SCORE(n)	DatumGetSurveyScore(PG_GETARG_DATUM(n))
#define PG_RETURN_SURVEY_SCORE(x)	return SurveyScoreGetDatum(x)

/*
 * Check that an integer is a valid score and return it as one; the single
 * place where the range is enforced for casts and integer aggregates.
 */
static inline SurveyScore
survey_score_from_int64_checked(int64 value)
{
	if (unlikely(value < SURVEY_SCORE_MIN || value > SURVEY_SCORE_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("survey score %lld is out of range", (long long) value),
				 errdetail("A survey score is an integer from %d to %d.",
						   SURVEY_SCORE_MIN, SURVEY_SCORE_MAX)));
	return (SurveyScore) value;
}

#endif							/* CSMETRICS_SURVEY_SCORE_H */
