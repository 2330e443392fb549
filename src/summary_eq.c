/*-------------------------------------------------------------------------
 *
 * summary_eq.c
 *	  Equality (=, <>) and hashing of every summary type, so that SELECT
 *	  DISTINCT, UNION, IN, GROUP BY and hash joins work on summary columns;
 *	  and the smaller / larger support of min() and max() over survey_score.
 *
 * Two summaries are equal when they describe the same data: every accessor
 * and every set-returning function gives the same answer for both.  A
 * summary can have several stored forms of the same data, so the values
 * are compared in a canonical form, never byte for byte:
 *
 *	  survey_summary, rate_summary, customer_flow, survival_summary,
 *	  cohort_summary, clv_fit_state and the three model types: the binary
 *	  send form.  It is canonical: survey counts are sent as int64 whatever
 *	  width the value stores them in, cells and tenures are sorted (and a
 *	  tenure of -0 is read as 0), period bounds are sent as their values,
 *	  fit cells in key order, model parameters as float8.
 *
 *	  revenue_cohort_summary, mrr_bridge, purchase_history,
 *	  subscription_history, mrr_state (rows and sum): the text form with
 *	  the trailing zeros of every decimal fraction removed ("90.50" -> "90.5", "10.00"
 *	  -> "10").  Their amounts keep the display scale of the inputs (or the
 *	  largest scale of a bridge's rows), and numeric equality ignores scale,
 *	  so 1.0 and 1.00 are the same amount.  Cells are compared as they
 *	  stand: a revenue cell that sums to 0 is data (a period with rows), so
 *	  it differs from no cell.
 *
 * Customer flows of different periods differ, also without rows.  The
 * hash is hash_any() of the same canonical form, so equal values hash
 * equally.  Equality is the only relation: summaries have no meaningful
 * order, hence no btree operator class (grouping and DISTINCT hash).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "survey_score.h"

/* the send and output functions of the summary types (their own files) */
extern Datum survey_summary_send(PG_FUNCTION_ARGS);
extern Datum rate_summary_send(PG_FUNCTION_ARGS);
extern Datum customer_flow_send(PG_FUNCTION_ARGS);
extern Datum survival_summary_send(PG_FUNCTION_ARGS);
extern Datum cohort_summary_send(PG_FUNCTION_ARGS);
extern Datum revenue_cohort_summary_out(PG_FUNCTION_ARGS);
extern Datum mrr_bridge_out(PG_FUNCTION_ARGS);
extern Datum purchase_history_out(PG_FUNCTION_ARGS);
extern Datum clv_fit_state_send(PG_FUNCTION_ARGS);
extern Datum bgnbd_model_send(PG_FUNCTION_ARGS);
extern Datum gamma_gamma_model_send(PG_FUNCTION_ARGS);
extern Datum sbg_model_send(PG_FUNCTION_ARGS);
extern Datum subscription_history_out(PG_FUNCTION_ARGS);
extern Datum activity_summary_send(PG_FUNCTION_ARGS);
extern Datum mrr_state_canonical(PG_FUNCTION_ARGS);

/* A canonical form: bytes that are equal exactly when the values are */
typedef struct Canonical
{
	const char *data;
	Size		len;
} Canonical;

/* The send form of a value */
static Canonical
canonical_send(PGFunction send, Datum value)
{
	bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(send, value));
	Canonical	c = {VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)};

	return c;
}

/*
 * The text form of a value with the trailing zeros of every decimal
 * fraction removed, and the point too when nothing is left after it
 */
static Canonical
canonical_text(PGFunction out, Datum value)
{
	const char *text = DatumGetCString(DirectFunctionCall1(out, value));
	Size		n = strlen(text);
	char	   *buf = palloc(n + 1);
	Size		len = 0;
	Size		i = 0;
	Canonical	c;

	while (i < n)
	{
		if (text[i] == '.' && len > 0 && isdigit((unsigned char) buf[len - 1]) &&
			isdigit((unsigned char) text[i + 1]))
		{
			Size		end = i + 1;
			Size		last = i;	/* the last nonzero digit, or the point */

			while (isdigit((unsigned char) text[end]))
			{
				if (text[end] != '0')
					last = end;
				end++;
			}
			if (last > i)
			{
				memcpy(buf + len, text + i, last - i + 1);
				len += last - i + 1;
			}
			i = end;
		}
		else
			buf[len++] = text[i++];
	}
	c.data = buf;
	c.len = len;
	return c;
}

/* Are two values of one type equal?  (in the current memory context) */
static bool
summaries_equal_here(Datum a, Datum b, PGFunction fn, bool text_form)
{
	struct varlena *va = PG_DETOAST_DATUM_PACKED(a);
	struct varlena *vb = PG_DETOAST_DATUM_PACKED(b);
	Canonical	ca;
	Canonical	cb;

	/* the same bytes are the same data */
	if (VARSIZE_ANY_EXHDR(va) == VARSIZE_ANY_EXHDR(vb) &&
		memcmp(VARDATA_ANY(va), VARDATA_ANY(vb), VARSIZE_ANY_EXHDR(va)) == 0)
		return true;
	ca = text_form ? canonical_text(fn, a) : canonical_send(fn, a);
	cb = text_form ? canonical_text(fn, b) : canonical_send(fn, b);
	return ca.len == cb.len && memcmp(ca.data, cb.data, ca.len) == 0;
}

/*
 * The canonical forms (and the flat copies of expanded or toasted values)
 * are built in a memory context of their own, deleted before returning:
 * equality and hashing are also called where nothing resets memory between
 * calls.  ANALYZE compares a column's sampled values pairwise in one
 * context, up to millions of calls, and kept every canonical form until it
 * ran out of memory (the test suite's ANALYZE of a table of four summary
 * columns reached 12 GB).
 */
static MemoryContext
comparison_context(void)
{
	return AllocSetContextCreate(CurrentMemoryContext, "csmetrics summary comparison",
								 ALLOCSET_SMALL_SIZES);
}

/* Are two values of one type equal? */
static bool
summaries_equal(Datum a, Datum b, PGFunction fn, bool text_form)
{
	MemoryContext cxt = comparison_context();
	MemoryContext old = MemoryContextSwitchTo(cxt);
	bool		result = summaries_equal_here(a, b, fn, text_form);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return result;
}

/* The hash of a value's canonical form */
static uint32
summary_hash(Datum value, PGFunction fn, bool text_form)
{
	MemoryContext cxt = comparison_context();
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Canonical	c = text_form ? canonical_text(fn, value) : canonical_send(fn, value);
	uint32		result = DatumGetUInt32(hash_any((const unsigned char *) c.data, (int) c.len));

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return result;
}

/* TYPE_eq, TYPE_ne and TYPE_hash of one summary type */
#define CSM_SUMMARY_EQUALITY(type, fn, text_form) \
PG_FUNCTION_INFO_V1(type##_eq); \
Datum \
type##_eq(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(summaries_equal(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), fn, text_form)); \
} \
PG_FUNCTION_INFO_V1(type##_ne); \
Datum \
type##_ne(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(!summaries_equal(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), fn, text_form)); \
} \
PG_FUNCTION_INFO_V1(type##_hash); \
Datum \
type##_hash(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_UINT32(summary_hash(PG_GETARG_DATUM(0), fn, text_form)); \
}

/* survey_summary_eq, _ne, _hash: the same count of answers at each score */
CSM_SUMMARY_EQUALITY(survey_summary, survey_summary_send, false)

/* rate_summary_eq, _ne, _hash: the same successes and trials */
CSM_SUMMARY_EQUALITY(rate_summary, rate_summary_send, false)

/* customer_flow_eq, _ne, _hash: the same period and counts */
CSM_SUMMARY_EQUALITY(customer_flow, customer_flow_send, false)

/* survival_summary_eq, _ne, _hash: the same counts at the same tenures */
CSM_SUMMARY_EQUALITY(survival_summary, survival_summary_send, false)

/* cohort_summary_eq, _ne, _hash: the same grain and cells */
CSM_SUMMARY_EQUALITY(cohort_summary, cohort_summary_send, false)

/* revenue_cohort_summary_eq, _ne, _hash: the same grain, cells and amounts */
CSM_SUMMARY_EQUALITY(revenue_cohort_summary, revenue_cohort_summary_out, true)

/* mrr_bridge_eq, _ne, _hash: the same amounts and counts */
CSM_SUMMARY_EQUALITY(mrr_bridge, mrr_bridge_out, true)

/* purchase_history_eq, _ne, _hash: the same unit, end and purchases per period */
CSM_SUMMARY_EQUALITY(purchase_history, purchase_history_out, true)

/* clv_fit_state_eq, _ne, _hash: the same model kind and data cells */
CSM_SUMMARY_EQUALITY(clv_fit_state, clv_fit_state_send, false)

/* bgnbd_model_eq, _ne, _hash: the same fit (parameters, errors, counts) */
CSM_SUMMARY_EQUALITY(bgnbd_model, bgnbd_model_send, false)

/* gamma_gamma_model_eq, _ne, _hash: the same fit */
CSM_SUMMARY_EQUALITY(gamma_gamma_model, gamma_gamma_model_send, false)

/* sbg_model_eq, _ne, _hash: the same fit */
CSM_SUMMARY_EQUALITY(sbg_model, sbg_model_send, false)

/* subscription_history_eq, _ne, _hash: the same changes of MRR and seats, and the same terms */
CSM_SUMMARY_EQUALITY(subscription_history, subscription_history_out, true)

/* activity_summary_eq, _ne, _hash: the same users on the same days, the same time */
CSM_SUMMARY_EQUALITY(activity_summary, activity_summary_send, false)
/* mrr_state_eq, _ne, _hash: the same rows and sum (mrr_state.c) */
CSM_SUMMARY_EQUALITY(mrr_state, mrr_state_canonical, true)

/* survey_score_smaller(a, b): the smaller score (min) */
PG_FUNCTION_INFO_V1(survey_score_smaller);
Datum
survey_score_smaller(PG_FUNCTION_ARGS)
{
	SurveyScore a = PG_GETARG_SURVEY_SCORE(0);
	SurveyScore b = PG_GETARG_SURVEY_SCORE(1);

	PG_RETURN_DATUM(SurveyScoreGetDatum(Min(a, b)));
}

/* survey_score_larger(a, b): the larger score (max) */
PG_FUNCTION_INFO_V1(survey_score_larger);
Datum
survey_score_larger(PG_FUNCTION_ARGS)
{
	SurveyScore a = PG_GETARG_SURVEY_SCORE(0);
	SurveyScore b = PG_GETARG_SURVEY_SCORE(1);

	PG_RETURN_DATUM(SurveyScoreGetDatum(Max(a, b)));
}
