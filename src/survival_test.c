/*-------------------------------------------------------------------------
 *
 * survival_test.c
 *	  The log-rank test between the survival curves of two or more groups
 *	  of customers: survival_difference_test(survival_summary,
 *	  survival_summary) and the aggregate
 *	  survival_difference_test_groups(group text, survival_summary) over
 *	  any number of groups.
 *
 * The test (Mantel 1966; Peto and Peto 1972), as R's survival::survdiff
 * computes it with rho = 0.  Walk the distinct tenures t at which some
 * customer churned.  With n_j customers of group j at risk at t (tenure
 * >= t, as in the Kaplan-Meier estimator of survival.c: customers censored
 * at t are at risk at t), d_j of them churning at t, N = sum n_j and
 * D = sum d_j:
 *
 *		O_j = sum over t of d_j				(observed churn)
 *		E_j = sum over t of n_j D / N		(expected under equal hazards)
 *		V_jk = sum over t of D (N - D) / (N - 1) * (n_j / N) (delta_jk - n_k / N)
 *
 * (the hypergeometric variance; a tenure with N = 1 adds nothing to V).
 * Groups with E_j = 0 (nobody at risk when anyone churned) take no part,
 * as in survdiff.  With the m groups that remain, drop one (the statistic
 * does not depend on which) and
 *
 *		chi_square = (O - E)' V^-1 (O - E)		over the other m - 1 groups
 *
 * has m - 1 degrees of freedom; p_value = P(chi-square(m - 1) >= it).  For
 * two groups this is (O_1 - E_1)^2 / V_11.  When fewer than two groups take
 * part, or V is singular (every churn event left nobody else at risk), no
 * test is possible and every column of the result is NULL.
 *
 * Computation.  The entries of every group (sorted by tenure in each
 * summary) are put in one array sorted by tenure, and walked once: O(M log
 * M) for M entries, plus O(k^2) per churn tenure for V.  The sums are in
 * double, as in survdiff, so the result agrees with R's to about 1e-12
 * relative.  The chi-square tail is the regularized upper incomplete gamma
 * function Q(df / 2, x / 2): erfc for one degree of freedom, exp for two,
 * otherwise a power series below x = a + 1 and a continued fraction above
 * it (both converge to double precision; Press et al., Numerical Recipes,
 * ch. 6.2).
 *
 * The aggregate's state is internal: a list of (label, summary) pairs, the
 * summaries copied as they come, grouped by label in the final function
 * and the groups taken in byte order of their labels (the first is the one
 * left out of (O - E)), so that any order of the rows gives the same bits.
 * Its size is the sum of its inputs' sizes, which no fixed summary type
 * bounds; it is serialized for parallel plans as the group labels followed
 * by each summary's own stored bytes, validated again when read.  At most
 * SURVIVAL_TEST_MAX_GROUPS distinct labels: the test is meant for a few
 * segments, and V costs k^2 per churn tenure.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "csmetrics.h"
#include "survival.h"

/* Most distinct group labels in one aggregate */
#define SURVIVAL_TEST_MAX_GROUPS 1000

/* One entry of one group, in the merged walk */
typedef struct LogRankItem
{
	float8		tenure;
	int32		group;
	int64		events;
	int64		censored;
} LogRankItem;

/* The outcome of the test */
typedef struct LogRankResult
{
	bool		valid;			/* false: no test possible, all NULL */
	double		chi_square;
	int32		df;
	double		p_value;
} LogRankResult;

/* ---------------------------------------------------------------------
 * The chi-square distribution
 * ---------------------------------------------------------------------
 */

#define GAMMA_EPS		1e-16
#define GAMMA_TINY		1e-300
#define GAMMA_MAX_ITER	100000

/* P(a, x) by its power series; for x < a + 1 */
static double
gamma_p_series(double a, double x)
{
	double		ap = a;
	double		term = 1.0 / a;
	double		sum = term;

	for (int i = 0; i < GAMMA_MAX_ITER; i++)
	{
		ap += 1.0;
		term *= x / ap;
		sum += term;
		if (fabs(term) < fabs(sum) * GAMMA_EPS)
			break;
	}
	return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Q(a, x) by its continued fraction (modified Lentz); for x >= a + 1 */
static double
gamma_q_fraction(double a, double x)
{
	double		b = x + 1.0 - a;
	double		c = 1.0 / GAMMA_TINY;
	double		d = 1.0 / b;
	double		h = d;

	for (int i = 1; i < GAMMA_MAX_ITER; i++)
	{
		double		an = -i * (i - a);
		double		delta;

		b += 2.0;
		d = an * d + b;
		if (fabs(d) < GAMMA_TINY)
			d = GAMMA_TINY;
		c = b + an / c;
		if (fabs(c) < GAMMA_TINY)
			c = GAMMA_TINY;
		d = 1.0 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < GAMMA_EPS)
			break;
	}
	return exp(-x + a * log(x) - lgamma(a)) * h;
}

/* P(chi-square with df degrees of freedom >= x) */
static double
chi_square_upper_tail(double x, int32 df)
{
	double		a = df / 2.0;
	double		h = x / 2.0;

	if (!(x > 0.0))
		return 1.0;
	if (df == 1)
		return erfc(sqrt(h));
	if (df == 2)
		return exp(-h);
	if (h < a + 1.0)
		return 1.0 - gamma_p_series(a, h);
	return gamma_q_fraction(a, h);
}

/* ---------------------------------------------------------------------
 * The test
 * ---------------------------------------------------------------------
 */

/* Order of the merged walk: by tenure */
static int
logrank_item_cmp(const void *a, const void *b)
{
	const LogRankItem *x = (const LogRankItem *) a;
	const LogRankItem *y = (const LogRankItem *) b;

	if (x->tenure != y->tenure)
		return x->tenure < y->tenure ? -1 : 1;
	return (x->group > y->group) - (x->group < y->group);
}

/*
 * Solve V x = r by Cholesky (V symmetric, positive semi-definite, m x m,
 * overwritten) and return r' x, or NaN when V is singular.
 */
static double
logrank_quadratic_form(double *v, const double *r, int m)
{
	double	   *y = palloc(m * sizeof(double));
	double		result = 0.0;
	double		largest = 0.0;

	for (int i = 0; i < m; i++)
		largest = Max(largest, v[i * m + i]);
	/* V = L L', L in the lower triangle of v */
	for (int j = 0; j < m; j++)
	{
		double		diag = v[j * m + j];

		for (int k = 0; k < j; k++)
			diag -= v[j * m + k] * v[j * m + k];
		if (!(diag > largest * 1e-12))
			return get_float8_nan();
		diag = sqrt(diag);
		v[j * m + j] = diag;
		for (int i = j + 1; i < m; i++)
		{
			double		s = v[i * m + j];

			for (int k = 0; k < j; k++)
				s -= v[i * m + k] * v[j * m + k];
			v[i * m + j] = s / diag;
		}
	}
	/* r' V^-1 r = |L^-1 r|^2 */
	for (int i = 0; i < m; i++)
	{
		double		s = r[i];

		for (int k = 0; k < i; k++)
			s -= v[i * m + k] * y[k];
		y[i] = s / v[i * m + i];
		result += y[i] * y[i];
	}
	pfree(y);
	return result;
}

/*
 * The log-rank test over nitems entries of ngroups groups, sorted by
 * tenure (logrank_item_cmp).
 */
static void
logrank_compute(const LogRankItem *items, Size nitems, int ngroups,
				LogRankResult *res)
{
	int64	   *at_risk = palloc0(ngroups * sizeof(int64));
	int64	   *churned = palloc0(ngroups * sizeof(int64));
	double	   *observed = palloc0(ngroups * sizeof(double));
	double	   *expected = palloc0(ngroups * sizeof(double));
	double	   *var = palloc0((Size) ngroups * ngroups * sizeof(double));
	int		   *members;
	double	   *r;
	double	   *v;
	int			m = 0;

	res->valid = false;
	for (Size i = 0; i < nitems; i++)
		at_risk[items[i].group] = csm_count_add(csm_count_add(at_risk[items[i].group],
															  items[i].events),
												items[i].censored);

	for (Size i = 0; i < nitems;)
	{
		Size		end = i;
		int64		total_at_risk = 0;
		int64		total_churned = 0;

		/* the churn at this tenure */
		while (end < nitems && items[end].tenure == items[i].tenure)
		{
			churned[items[end].group] += items[end].events;
			total_churned += items[end].events;
			end++;
		}
		for (int j = 0; j < ngroups; j++)
			total_at_risk += at_risk[j];

		if (total_churned > 0)
		{
			double		n = (double) total_at_risk;
			double		d = (double) total_churned;
			double		w = total_at_risk > 1 ? d * (n - d) / (n - 1.0) : 0.0;

			for (int j = 0; j < ngroups; j++)
			{
				double		pj;

				if (at_risk[j] == 0)
					continue;
				pj = (double) at_risk[j] / n;
				observed[j] += (double) churned[j];
				expected[j] += pj * d;
				if (w == 0.0)
					continue;
				var[j * ngroups + j] += w * pj;
				for (int k = 0; k < ngroups; k++)
					if (at_risk[k] > 0)
						var[j * ngroups + k] -= w * pj * ((double) at_risk[k] / n);
			}
		}

		/* everyone at this tenure leaves the risk sets */
		for (; i < end; i++)
		{
			at_risk[items[i].group] -= items[i].events + items[i].censored;
			churned[items[i].group] = 0;
		}
	}

	/* the groups that take part: expected churn above zero */
	members = palloc(ngroups * sizeof(int));
	for (int j = 0; j < ngroups; j++)
		if (expected[j] > 0.0)
			members[m++] = j;
	if (m < 2)
		return;

	/* drop the first member; (O - E) and V over the others */
	r = palloc((m - 1) * sizeof(double));
	v = palloc((Size) (m - 1) * (m - 1) * sizeof(double));
	for (int a = 1; a < m; a++)
	{
		r[a - 1] = observed[members[a]] - expected[members[a]];
		for (int b = 1; b < m; b++)
			v[(a - 1) * (m - 1) + (b - 1)] = var[members[a] * ngroups + members[b]];
	}
	res->chi_square = logrank_quadratic_form(v, r, m - 1);
	if (isnan(res->chi_square))
		return;
	res->df = m - 1;
	res->p_value = chi_square_upper_tail(res->chi_square, res->df);
	res->valid = true;
}

/* The result row (chi_square, degrees_of_freedom, p_value) */
static Datum
logrank_result_datum(FunctionCallInfo fcinfo, const LogRankResult *res)
{
	TupleDesc	tupdesc;
	Datum		values[3] = {0};
	bool		nulls[3] = {true, true, true};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (res->valid)
	{
		values[0] = Float8GetDatum(res->chi_square);
		values[1] = Int32GetDatum(res->df);
		values[2] = Float8GetDatum(res->p_value);
		nulls[0] = nulls[1] = nulls[2] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* Append the entries of a summary as items of a group */
static Size
logrank_add_items(LogRankItem *items, Size n, const SurvivalSummary *s, int group)
{
	for (int32 i = 0; i < s->count; i++)
	{
		items[n].tenure = s->entries[i].tenure;
		items[n].group = group;
		items[n].events = s->entries[i].events;
		items[n].censored = s->entries[i].censored;
		n++;
	}
	return n;
}

/* survival_difference_test(a, b): the two-group log-rank test */
PG_FUNCTION_INFO_V1(survival_difference_test);
Datum
survival_difference_test(PG_FUNCTION_ARGS)
{
	SurvivalSummary *a = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	SurvivalSummary *b = PG_GETARG_SURVIVAL_SUMMARY_P(1);
	Size		nitems = (Size) a->count + (Size) b->count;
	LogRankItem *items = palloc_extended(mul_size(Max(nitems, 1), sizeof(LogRankItem)),
										 MCXT_ALLOC_HUGE);
	Size		n = 0;
	Size		ia = 0;
	Size		ib = 0;
	LogRankResult res;

	/* merge the two sorted entry lists */
	while (ia < (Size) a->count || ib < (Size) b->count)
	{
		if (ib == (Size) b->count ||
			(ia < (Size) a->count && a->entries[ia].tenure <= b->entries[ib].tenure))
		{
			items[n].tenure = a->entries[ia].tenure;
			items[n].group = 0;
			items[n].events = a->entries[ia].events;
			items[n].censored = a->entries[ia].censored;
			ia++;
		}
		else
		{
			items[n].tenure = b->entries[ib].tenure;
			items[n].group = 1;
			items[n].events = b->entries[ib].events;
			items[n].censored = b->entries[ib].censored;
			ib++;
		}
		n++;
	}
	logrank_compute(items, n, 2, &res);
	return logrank_result_datum(fcinfo, &res);
}

/* ---------------------------------------------------------------------
 * The k-group aggregate
 * ---------------------------------------------------------------------
 */

typedef struct LogRankState
{
	int32		ngroups;
	int32		maxgroups;
	text	  **labels;			/* ngroups distinct labels */
	int32		nitems;
	int32		maxitems;
	int32	   *item_group;		/* group of each summary */
	SurvivalSummary **items;	/* the summaries, copied */
} LogRankState;

static LogRankState *
logrank_state_new(void)
{
	LogRankState *st = palloc0(sizeof(LogRankState));

	st->maxgroups = 4;
	st->labels = palloc(st->maxgroups * sizeof(text *));
	st->maxitems = 8;
	st->item_group = palloc(st->maxitems * sizeof(int32));
	st->items = palloc(st->maxitems * sizeof(SurvivalSummary *));
	return st;
}

/* The group of a label, added if new (in the current memory context) */
static int32
logrank_state_group(LogRankState *st, const char *label, int len)
{
	text	   *copy;

	for (int32 g = 0; g < st->ngroups; g++)
		if (VARSIZE_ANY_EXHDR(st->labels[g]) == (Size) len &&
			memcmp(VARDATA_ANY(st->labels[g]), label, len) == 0)
			return g;
	if (st->ngroups >= SURVIVAL_TEST_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many groups for a log-rank test"),
				 errdetail("A log-rank test compares at most %d groups.",
						   SURVIVAL_TEST_MAX_GROUPS)));
	if (st->ngroups == st->maxgroups)
	{
		st->maxgroups *= 2;
		st->labels = repalloc(st->labels, st->maxgroups * sizeof(text *));
	}
	copy = cstring_to_text_with_len(label, len);
	st->labels[st->ngroups] = copy;
	return st->ngroups++;
}

/* Add a summary (copied into the current memory context) to a group */
static void
logrank_state_add(LogRankState *st, int32 group, const SurvivalSummary *s)
{
	SurvivalSummary *copy;

	if (st->nitems == st->maxitems)
	{
		if (st->maxitems >= (int32) (MaxAllocSize / sizeof(SurvivalSummary *) / 2))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many summaries for a log-rank test")));
		st->maxitems *= 2;
		st->item_group = repalloc(st->item_group, st->maxitems * sizeof(int32));
		st->items = repalloc(st->items, st->maxitems * sizeof(SurvivalSummary *));
	}
	copy = palloc(VARSIZE(s));
	memcpy(copy, s, VARSIZE(s));
	st->item_group[st->nitems] = group;
	st->items[st->nitems] = copy;
	st->nitems++;
}

/*
 * Transition of survival_difference_test_groups(group, summary):
 * remember the summary under its group.  Rows with a NULL group or
 * summary are skipped.
 */
PG_FUNCTION_INFO_V1(survival_test_add);
Datum
survival_test_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, "survival_test_add");
	MemoryContext old;
	LogRankState *st;
	text	   *label;
	SurvivalSummary *s;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	label = PG_GETARG_TEXT_PP(1);
	s = PG_GETARG_SURVIVAL_SUMMARY_P(2);
	old = MemoryContextSwitchTo(aggcontext);
	st = PG_ARGISNULL(0) ? logrank_state_new() : (LogRankState *) PG_GETARG_POINTER(0);
	logrank_state_add(st, logrank_state_group(st, VARDATA_ANY(label),
											  VARSIZE_ANY_EXHDR(label)), s);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

/* Combine: the second state's summaries join the first's groups */
PG_FUNCTION_INFO_V1(survival_test_combine);
Datum
survival_test_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, "survival_test_combine");
	MemoryContext old;
	LogRankState *st;
	LogRankState *other;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	other = (LogRankState *) PG_GETARG_POINTER(1);
	old = MemoryContextSwitchTo(aggcontext);
	st = PG_ARGISNULL(0) ? logrank_state_new() : (LogRankState *) PG_GETARG_POINTER(0);
	for (int32 i = 0; i < other->nitems; i++)
	{
		text	   *label = other->labels[other->item_group[i]];

		logrank_state_add(st, logrank_state_group(st, VARDATA_ANY(label),
												  VARSIZE_ANY_EXHDR(label)),
						  other->items[i]);
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

/*
 * Serialize: int32 group count, each label as int32 length and bytes,
 * int32 summary count, each summary as int32 group, int32 length and its
 * stored bytes.
 */
PG_FUNCTION_INFO_V1(survival_test_serialize);
Datum
survival_test_serialize(PG_FUNCTION_ARGS)
{
	LogRankState *st;
	StringInfoData buf;

	(void) csm_aggregate_context(fcinfo, "survival_test_serialize");
	st = (LogRankState *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->ngroups);
	for (int32 g = 0; g < st->ngroups; g++)
	{
		pq_sendint32(&buf, (int32) VARSIZE_ANY_EXHDR(st->labels[g]));
		pq_sendbytes(&buf, VARDATA_ANY(st->labels[g]), VARSIZE_ANY_EXHDR(st->labels[g]));
	}
	pq_sendint32(&buf, st->nitems);
	for (int32 i = 0; i < st->nitems; i++)
	{
		pq_sendint32(&buf, st->item_group[i]);
		pq_sendint32(&buf, (int32) VARSIZE(st->items[i]));
		pq_sendbytes(&buf, (char *) st->items[i], VARSIZE(st->items[i]));
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Read an int32 that must lie in [lo, hi] (22P03 otherwise) */
static int32
logrank_recv_int(StringInfo buf, int32 lo, int32 hi)
{
	int32		v;

	if (buf->len - buf->cursor < 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid log-rank test state"),
				 errdetail("The state ends early.")));
	v = pq_getmsgint(buf, 4);
	if (v < lo || v > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid log-rank test state"),
				 errdetail("A length or group number is out of range.")));
	return v;
}

/* Deserialize, validating every summary as an argument would be */
PG_FUNCTION_INFO_V1(survival_test_deserialize);
Datum
survival_test_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes;
	StringInfoData buf;
	LogRankState *st;
	int32		ngroups;
	int32		nitems;

	(void) csm_aggregate_context(fcinfo, "survival_test_deserialize");
	bytes = PG_GETARG_BYTEA_PP(0);
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
	st = logrank_state_new();
	ngroups = logrank_recv_int(&buf, 0, SURVIVAL_TEST_MAX_GROUPS);
	for (int32 g = 0; g < ngroups; g++)
	{
		int32		len = logrank_recv_int(&buf, 0, buf.len - buf.cursor - 4);
		const char *label = pq_getmsgbytes(&buf, len);

		if (logrank_state_group(st, label, len) != g)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid log-rank test state"),
					 errdetail("A group label appears twice.")));
	}
	nitems = logrank_recv_int(&buf, 0, (buf.len - buf.cursor) / 8);
	for (int32 i = 0; i < nitems; i++)
	{
		int32		group = logrank_recv_int(&buf, 0, ngroups - 1);
		int32		len = logrank_recv_int(&buf, VARHDRSZ, buf.len - buf.cursor - 4);
		SurvivalSummary *s = palloc(len);

		memcpy(s, pq_getmsgbytes(&buf, len), len);
		if (VARSIZE(s) != (Size) len)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid log-rank test state"),
					 errdetail("A summary's length does not match its header.")));
		logrank_state_add(st, group, survival_summary_check(s));
		pfree(s);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

/* Order of two labels: their bytes, then their lengths */
static int
logrank_label_cmp(const void *a, const void *b)
{
	const text *x = *(const text *const *) a;
	const text *y = *(const text *const *) b;
	Size		lx = VARSIZE_ANY_EXHDR(x);
	Size		ly = VARSIZE_ANY_EXHDR(y);
	int			c = memcmp(VARDATA_ANY(x), VARDATA_ANY(y), Min(lx, ly));

	if (c != 0)
		return c;
	return (lx > ly) - (lx < ly);
}

/*
 * The rank of each group's label in byte order.  The test walks the groups
 * in that order, so the sums are added in the same order whatever order
 * the rows (or the parallel workers' states) came in, and the result is
 * the same to the last bit.
 */
static int32 *
logrank_label_ranks(const LogRankState *st)
{
	const text **sorted = palloc(Max(st->ngroups, 1) * sizeof(text *));
	int32	   *rank = palloc(Max(st->ngroups, 1) * sizeof(int32));

	memcpy(sorted, st->labels, st->ngroups * sizeof(text *));
	qsort(sorted, st->ngroups, sizeof(text *), logrank_label_cmp);
	for (int32 g = 0; g < st->ngroups; g++)
	{
		const text *key = st->labels[g];
		const text **hit = bsearch(&key, sorted, st->ngroups, sizeof(text *),
								   logrank_label_cmp);

		rank[g] = (int32) (hit - sorted);
	}
	pfree(sorted);
	return rank;
}

/* Final function: the k-group log-rank test */
PG_FUNCTION_INFO_V1(survival_test_final);
Datum
survival_test_final(PG_FUNCTION_ARGS)
{
	LogRankState *st;
	Size		nitems = 0;
	Size		n = 0;
	LogRankItem *items;
	LogRankResult res;
	int32	   *rank;

	(void) csm_aggregate_context(fcinfo, "survival_test_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (LogRankState *) PG_GETARG_POINTER(0);
	rank = logrank_label_ranks(st);
	for (int32 i = 0; i < st->nitems; i++)
		nitems = add_size(nitems, st->items[i]->count);
	items = palloc_extended(mul_size(Max(nitems, 1), sizeof(LogRankItem)),
							MCXT_ALLOC_HUGE);
	for (int32 i = 0; i < st->nitems; i++)
		n = logrank_add_items(items, n, st->items[i], rank[st->item_group[i]]);
	qsort(items, n, sizeof(LogRankItem), logrank_item_cmp);
	logrank_compute(items, n, st->ngroups, &res);
	return logrank_result_datum(fcinfo, &res);
}
