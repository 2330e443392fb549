/*-------------------------------------------------------------------------
 *
 * customer_flow.c
 *	  Churn and retention over a period: the customer_flow summary, its text
 *	  and binary forms, the transition, inverse and combine functions of
 *	  customer_flow_agg(), churn_rate() and retention_rate(), the accessors,
 *	  and the scalar rates for callers that already have the counts.
 *
 * Every input row is one customer's active span [started_on, ended_on)
 * (ended_on NULL while active) and the period [period_start, period_end).
 * With s, e the span and ps, pe the period, each row falls in exactly one
 * of five classes:
 *
 *	  retained	 s <= ps < e and e >= pe   (in S and in E)
 *	  churned	 s <= ps < e and e <  pe   (in S, gone by the last day)
 *	  new		 ps < s < pe and e >= pe   (in E, not in S)
 *	  transient	 ps < s < e < pe		   (active only inside the period)
 *	  other		 never active in the period (or a zero-length span)
 *
 * so S = retained + churned, E = retained + new and E - N = S - churned.
 * The summary keeps rows, S, churned, new and transient; E is derived,
 * which makes the identity hold by construction.
 *
 * Text form (dates; timestamps are quoted, in UTC, ISO style):
 *	  [2024-01-01,2024-02-01) rows=130 start=100 end=109 new=19 churned=10 transient=1
 *	  ["2024-01-01 00:00:00+00","2024-02-01 00:00:00+00") rows=... (same keys)
 * Binary form: version byte (1), kind byte (0 date, 1 timestamptz), the two
 * period bounds as int64, then rows, start, churned, new and transient as
 * int64.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "csm_io.h"
#include "csmetrics.h"

#define CUSTOMER_FLOW_VERSION	1

/* what the period bounds (and the rows' spans) are measured in */
#define CUSTOMER_FLOW_DATE			0
#define CUSTOMER_FLOW_TIMESTAMPTZ	1

/*
 * On-disk and in-memory layout of customer_flow (fixed size, stored plain).
 * pg_upgrade copies stored values byte for byte, so this layout is forever;
 * version and the reserved flags leave room to change it later.
 */
typedef struct CustomerFlow
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* CUSTOMER_FLOW_VERSION */
	uint8		kind;			/* CUSTOMER_FLOW_DATE or _TIMESTAMPTZ */
	uint16		flags;			/* reserved, always 0 */
	int64		period_start;	/* DateADT or TimestampTz, widened */
	int64		period_end;
	int64		rows;			/* non-NULL rows counted */
	int64		at_start;		/* S */
	int64		churned;		/* of S, gone by the last day */
	int64		new_customers;	/* N: in E, started inside the period */
	int64		transient;		/* started and ended inside the period */
} CustomerFlow;

#define DatumGetCustomerFlowP(X)	customer_flow_check((CustomerFlow *) PG_DETOAST_DATUM(X))
#define PG_GETARG_CUSTOMER_FLOW_P(n) DatumGetCustomerFlowP(PG_GETARG_DATUM(n))

/* E, derived: S - churned + N */
static inline int64
flow_at_end(const CustomerFlow *flow)
{
	return flow->at_start - flow->churned + flow->new_customers;
}

/* Allocate an empty summary in the current memory context */
static CustomerFlow *
customer_flow_new(int kind, int64 period_start, int64 period_end)
{
	CustomerFlow *flow = palloc0(sizeof(CustomerFlow));

	SET_VARSIZE(flow, sizeof(CustomerFlow));
	flow->version = CUSTOMER_FLOW_VERSION;
	flow->kind = kind;
	flow->period_start = period_start;
	flow->period_end = period_end;
	return flow;
}

/* Is a period bound a finite value of its kind? */
static inline bool
period_bound_valid(int kind, int64 value)
{
	if (kind == CUSTOMER_FLOW_DATE)
		return value > PG_INT32_MIN && value < PG_INT32_MAX &&
			IS_VALID_DATE((DateADT) value);
	return !TIMESTAMP_NOT_FINITE(value) && IS_VALID_TIMESTAMP(value);
}

/*
 * Why the fields of a summary do not describe a possible period and set of
 * customers, or NULL when they do.  Shared by text input, binary input and
 * the check of every summary argument.
 */
static const char *
customer_flow_problem(int kind, int64 period_start, int64 period_end,
					  int64 rows, int64 at_start, int64 churned,
					  int64 new_customers, int64 transient)
{
	int64		sum;

	if (kind != CUSTOMER_FLOW_DATE && kind != CUSTOMER_FLOW_TIMESTAMPTZ)
		return "The kind of period is unknown.";
	if (!period_bound_valid(kind, period_start) ||
		!period_bound_valid(kind, period_end))
		return "The period bounds must be finite.";
	if (period_end <= period_start)
		return "The period must end after it starts.";
	if (rows < 0 || at_start < 0 || churned < 0 || new_customers < 0 ||
		transient < 0)
		return "The counts must not be negative.";
	if (churned > at_start)
		return "More customers churned than were active at the start.";
	if (pg_add_s64_overflow(at_start, new_customers, &sum) ||
		pg_add_s64_overflow(sum, transient, &sum) || sum > rows)
		return "The customers at the start, the new and the transient customers together exceed the rows.";
	return NULL;
}

/*
 * Validate a summary that reached a function as an argument: the input
 * functions refuse anything malformed, so this guards against values that
 * arrived some other way (a forged state, a future layout).
 */
static CustomerFlow *
customer_flow_check(CustomerFlow *flow)
{
	const char *problem;

	if (VARSIZE(flow) != sizeof(CustomerFlow) ||
		flow->version != CUSTOMER_FLOW_VERSION || flow->flags != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid customer_flow value"),
				 errdetail("The value has size %u and version %u; expected size %zu and version %d.",
						   (unsigned) VARSIZE(flow), (unsigned) flow->version,
						   sizeof(CustomerFlow), CUSTOMER_FLOW_VERSION)));
	problem = customer_flow_problem(flow->kind, flow->period_start,
									flow->period_end, flow->rows,
									flow->at_start, flow->churned,
									flow->new_customers, flow->transient);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid customer_flow value"),
				 errdetail("%s", problem)));
	return flow;
}

/* ---------- text and binary forms ---------- */

/* Append one period bound in its fixed, session-independent text form */
static void
append_bound(StringInfo buf, int kind, int64 value)
{
	char		str[MAXDATELEN + 1];
	struct pg_tm tm;

	if (kind == CUSTOMER_FLOW_DATE)
	{
		j2date((int) value + POSTGRES_EPOCH_JDATE,
			   &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
		EncodeDateOnly(&tm, USE_ISO_DATES, str);
		appendStringInfoString(buf, str);
	}
	else
	{
		fsec_t		fsec;

		/* no time zone: the broken-down time is in UTC */
		if (timestamp2tm(value, NULL, &tm, &fsec, NULL, NULL) != 0)
			elog(ERROR, "customer_flow period bound out of range");
		tm.tm_isdst = 0;		/* print the zone: +00 */
		EncodeDateTime(&tm, fsec, true, 0, NULL, USE_ISO_DATES, str);
		appendStringInfo(buf, "\"%s\"", str);
	}
}

/*
 * Read one period bound and the delimiter stop after it.  Dates are bare,
 * timestamps are in double quotes; the text of the bound itself is read by
 * the date and timestamptz input functions.
 */
static int64
parse_bound(CsmIoText *t, int kind, char stop)
{
	const char *start;
	const char *end;
	char	   *text;
	int64		value;

	if (kind == CUSTOMER_FLOW_TIMESTAMPTZ)
	{
		csm_io_expect(t, '"');
		start = t->p;
		end = strchr(start, '"');
		if (end == NULL)
			csm_io_syntax_error(t, "A quoted period bound has no closing quote.");
		t->p = end + 1;
	}
	else
	{
		start = t->p;
		end = start;
		while (*end && *end != stop && *end != '"')
			end++;
		t->p = end;
	}
	csm_io_expect(t, stop);
	if (end == start)
	{
		t->p = start;
		csm_io_expected(t, "a period bound");
	}

	text = pnstrdup(start, end - start);
	if (kind == CUSTOMER_FLOW_DATE)
		value = DatumGetDateADT(DirectFunctionCall1(date_in, CStringGetDatum(text)));
	else
		value = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in,
														CStringGetDatum(text),
														ObjectIdGetDatum(InvalidOid),
														Int32GetDatum(-1)));
	pfree(text);
	return value;
}

/* Read " key=<count>": white space before the key, none around "=" */
static int64
parse_keyed_count(CsmIoText *t, const char *key)
{
	csm_io_skip_space(t);
	csm_io_expect_word(t, key);
	csm_io_expect(t, '=');
	return csm_io_parse_count(t);
}

/* Text input: the period, then the six counts in their fixed order */
PG_FUNCTION_INFO_V1(customer_flow_in);
Datum
customer_flow_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CsmIoText	t;
	int			kind;
	int64		period_start,
				period_end,
				rows,
				at_start,
				at_end,
				new_customers,
				churned,
				transient;
	const char *problem;
	CustomerFlow *flow;

	csm_io_text_init(&t, str, "customer_flow",
					 "A customer_flow is a period and six counts, such as [2024-01-01,2024-02-01) rows=130 start=100 end=109 new=19 churned=10 transient=1.");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '[');
	kind = (*t.p == '"') ? CUSTOMER_FLOW_TIMESTAMPTZ : CUSTOMER_FLOW_DATE;
	period_start = parse_bound(&t, kind, ',');
	period_end = parse_bound(&t, kind, ')');
	rows = parse_keyed_count(&t, "rows");
	at_start = parse_keyed_count(&t, "start");
	at_end = parse_keyed_count(&t, "end");
	new_customers = parse_keyed_count(&t, "new");
	churned = parse_keyed_count(&t, "churned");
	transient = parse_keyed_count(&t, "transient");
	csm_io_expect_end(&t);

	problem = customer_flow_problem(kind, period_start, period_end, rows,
									at_start, churned, new_customers,
									transient);
	if (problem == NULL && at_start - churned + new_customers != at_end)
		problem = "The customers at the end must equal those at the start, less the churned, plus the new.";
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid customer_flow value: \"%s\"", str),
				 errdetail("%s", problem)));

	flow = customer_flow_new(kind, period_start, period_end);
	flow->rows = rows;
	flow->at_start = at_start;
	flow->churned = churned;
	flow->new_customers = new_customers;
	flow->transient = transient;
	PG_RETURN_POINTER(flow);
}

/* Text output */
PG_FUNCTION_INFO_V1(customer_flow_out);
Datum
customer_flow_out(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow = PG_GETARG_CUSTOMER_FLOW_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	append_bound(&buf, flow->kind, flow->period_start);
	appendStringInfoChar(&buf, ',');
	append_bound(&buf, flow->kind, flow->period_end);
	appendStringInfo(&buf, ") rows=" INT64_FORMAT " start=" INT64_FORMAT
					 " end=" INT64_FORMAT " new=" INT64_FORMAT
					 " churned=" INT64_FORMAT " transient=" INT64_FORMAT,
					 flow->rows, flow->at_start, flow_at_end(flow),
					 flow->new_customers, flow->churned, flow->transient);
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: version and kind bytes, two bounds, five counts */
PG_FUNCTION_INFO_V1(customer_flow_recv);
Datum
customer_flow_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			kind;
	int64		bounds[2];
	int64		counts[5];		/* rows, start, churned, new, transient */
	const char *problem;
	CustomerFlow *flow;

	csm_io_recv_version(buf, CUSTOMER_FLOW_VERSION, "customer_flow");
	csm_io_recv_require(buf, 1 + 2 * (int) sizeof(int64), "customer_flow");
	kind = pq_getmsgbyte(buf);
	bounds[0] = (int64) pq_getmsgint64(buf);
	bounds[1] = (int64) pq_getmsgint64(buf);
	csm_io_recv_counts(buf, counts, 5, "customer_flow");

	problem = customer_flow_problem(kind, bounds[0], bounds[1], counts[0],
									counts[1], counts[2], counts[3], counts[4]);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid customer_flow binary input"),
				 errdetail("%s", problem)));

	flow = customer_flow_new(kind, bounds[0], bounds[1]);
	flow->rows = counts[0];
	flow->at_start = counts[1];
	flow->churned = counts[2];
	flow->new_customers = counts[3];
	flow->transient = counts[4];
	PG_RETURN_POINTER(flow);
}

/* Binary output */
PG_FUNCTION_INFO_V1(customer_flow_send);
Datum
customer_flow_send(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow = PG_GETARG_CUSTOMER_FLOW_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CUSTOMER_FLOW_VERSION);
	pq_sendbyte(&buf, flow->kind);
	pq_sendint64(&buf, flow->period_start);
	pq_sendint64(&buf, flow->period_end);
	pq_sendint64(&buf, flow->rows);
	pq_sendint64(&buf, flow->at_start);
	pq_sendint64(&buf, flow->churned);
	pq_sendint64(&buf, flow->new_customers);
	pq_sendint64(&buf, flow->transient);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- aggregate support ---------- */

/*
 * Check one row's period: both bounds given, finite, and the period not
 * empty or reversed.
 */
static inline void
check_period(FunctionCallInfo fcinfo, int kind, int64 *period_start,
			 int64 *period_end)
{
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period bounds must not be null")));
	if (kind == CUSTOMER_FLOW_DATE)
	{
		*period_start = PG_GETARG_DATEADT(3);
		*period_end = PG_GETARG_DATEADT(4);
		if (DATE_NOT_FINITE(*period_start) || DATE_NOT_FINITE(*period_end))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("period bounds must be finite")));
	}
	else
	{
		*period_start = PG_GETARG_TIMESTAMPTZ(3);
		*period_end = PG_GETARG_TIMESTAMPTZ(4);
		if (TIMESTAMP_NOT_FINITE(*period_start) || TIMESTAMP_NOT_FINITE(*period_end))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("period bounds must be finite")));
	}
	if (unlikely(*period_end < *period_start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("period ends before it starts")));
	if (unlikely(*period_end == *period_start))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period is empty"),
				 errdetail("The period [period_start, period_end) must contain at least one day.")));
}

/* The error for rows or summaries of different periods in one group */
static void
different_periods_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("customer flows of different periods cannot be combined"),
			 errhint("Group by the period, or give every row of a group the same period_start and period_end.")));
}

/*
 * The state for one row: the existing summary (whose period must be the
 * row's), or a new one.  The span is read and
 * checked into *started_on and *ended_on (ended_on NULL as +infinity).
 */
static inline CustomerFlow *
row_state(FunctionCallInfo fcinfo, int kind, bool create, const char *funcname,
		  int64 *started_on, int64 *ended_on)
{
	int64		period_start;
	int64		period_end;
	CustomerFlow *flow;

	(void) csm_aggregate_context(fcinfo, funcname);
	check_period(fcinfo, kind, &period_start, &period_end);
	if (kind == CUSTOMER_FLOW_DATE)
	{
		*started_on = PG_GETARG_DATEADT(1);
		*ended_on = PG_ARGISNULL(2) ? PG_INT64_MAX : PG_GETARG_DATEADT(2);
	}
	else
	{
		*started_on = PG_GETARG_TIMESTAMPTZ(1);
		*ended_on = PG_ARGISNULL(2) ? PG_INT64_MAX : PG_GETARG_TIMESTAMPTZ(2);
	}
	if (unlikely(*ended_on < *started_on))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("customer span ends before it starts"),
				 errdetail("ended_on must not be earlier than started_on.")));

	if (PG_ARGISNULL(0))
	{
		if (!create)
			csm_no_state_error(fcinfo, funcname);
		/* copied by the executor (see csm_aggregate_context) */
		return customer_flow_new(kind, period_start, period_end);
	}
	flow = (CustomerFlow *) PG_GETARG_POINTER(0);
	if (unlikely(flow->kind != kind || flow->period_start != period_start ||
				 flow->period_end != period_end))
	{
		/*
		 * A flow without rows takes the period of its first row: the empty
		 * initial state of the moving forms (MINITCOND), or a window frame
		 * that every row has left.
		 */
		if (flow->rows != 0)
			different_periods_error();
		flow->kind = kind;
		flow->period_start = period_start;
		flow->period_end = period_end;
	}
	return flow;
}

/*
 * Add (delta +1) or remove (delta -1) one customer's span.  The classes
 * are those of the file header comment; removing a row that was added
 * cannot make a count negative, so only adding needs the overflow check
 * (on rows, which bounds every other count).
 */
static inline void
count_row(CustomerFlow *flow, int64 s, int64 e, int64 delta)
{
	int64		ps = flow->period_start;
	int64		pe = flow->period_end;

	if (delta > 0 && unlikely(flow->rows == PG_INT64_MAX))
		(void) csm_count_add(flow->rows, 1);
	else if (delta < 0 && unlikely(flow->rows == 0))
		csm_removal_error("The customer flow has no rows left.");
	flow->rows += delta;
	if (s <= ps && e > ps)
	{
		flow->at_start += delta;
		if (e < pe)
			flow->churned += delta;
	}
	else if (s > ps && s < pe)
	{
		if (e >= pe)
			flow->new_customers += delta;
		else if (s < e)
			flow->transient += delta;
	}
	if (delta < 0 && unlikely(flow->at_start < 0 || flow->churned < 0 ||
							  flow->new_customers < 0 || flow->transient < 0))
		csm_removal_error("A count would become negative.");
}

/*
 * Transition functions, for date and timestamptz rows.  A NULL started_on
 * skips the row (NULL before the first row, so that no rows give NULL).
 */
PG_FUNCTION_INFO_V1(customer_flow_add_date);
Datum
customer_flow_add_date(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow;
	int64		s,
				e;

	CSM_PASS_STATE_IF_INPUT_NULL();
	flow = row_state(fcinfo, CUSTOMER_FLOW_DATE, true, "customer_flow_add_date", &s, &e);
	count_row(flow, s, e, 1);
	PG_RETURN_POINTER(flow);
}

PG_FUNCTION_INFO_V1(customer_flow_add_timestamptz);
Datum
customer_flow_add_timestamptz(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow;
	int64		s,
				e;

	CSM_PASS_STATE_IF_INPUT_NULL();
	flow = row_state(fcinfo, CUSTOMER_FLOW_TIMESTAMPTZ, true,
					 "customer_flow_add_timestamptz", &s, &e);
	count_row(flow, s, e, 1);
	PG_RETURN_POINTER(flow);
}

/* Inverse transition functions (moving aggregates) */
PG_FUNCTION_INFO_V1(customer_flow_remove_date);
Datum
customer_flow_remove_date(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow;
	int64		s,
				e;

	CSM_PASS_STATE_IF_INPUT_NULL();
	flow = row_state(fcinfo, CUSTOMER_FLOW_DATE, false, "customer_flow_remove_date", &s, &e);
	count_row(flow, s, e, -1);
	PG_RETURN_POINTER(flow);
}

PG_FUNCTION_INFO_V1(customer_flow_remove_timestamptz);
Datum
customer_flow_remove_timestamptz(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow;
	int64		s,
				e;

	CSM_PASS_STATE_IF_INPUT_NULL();
	flow = row_state(fcinfo, CUSTOMER_FLOW_TIMESTAMPTZ, false,
					 "customer_flow_remove_timestamptz", &s, &e);
	count_row(flow, s, e, -1);
	PG_RETURN_POINTER(flow);
}

/* Refuse to merge summaries of different periods */
static inline void
check_same_period(const CustomerFlow *a, const CustomerFlow *b)
{
	if (a->kind != b->kind || a->period_start != b->period_start ||
		a->period_end != b->period_end)
		different_periods_error();
}

/*
 * Merge the second summary into the first: the combine function of every
 * customer-flow aggregate and the transition function of rollup().  All
 * four NULL cases are handled; when only the second is non-NULL the new
 * state is a copy of it.
 */
PG_FUNCTION_INFO_V1(customer_flow_combine);
Datum
customer_flow_combine(PG_FUNCTION_ARGS)
{
	CustomerFlow *state;
	CustomerFlow *other;

	(void) csm_aggregate_context(fcinfo, "customer_flow_combine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	other = PG_GETARG_CUSTOMER_FLOW_P(1);

	if (PG_ARGISNULL(0))
	{
		/* a copy, never the argument itself; the executor moves it */
		state = palloc(sizeof(CustomerFlow));
		memcpy(state, other, sizeof(CustomerFlow));
		PG_RETURN_POINTER(state);
	}

	state = PG_GETARG_CUSTOMER_FLOW_P(0);
	if (state->rows == 0)
	{
		/* a flow without rows takes the other's period (see row_state) */
		memcpy(state, other, sizeof(CustomerFlow));
		PG_RETURN_POINTER(state);
	}
	if (other->rows == 0)
		PG_RETURN_POINTER(state);
	check_same_period(state, other);
	state->rows = csm_count_add(state->rows, other->rows);
	state->at_start = csm_count_add(state->at_start, other->at_start);
	state->churned = csm_count_add(state->churned, other->churned);
	state->new_customers = csm_count_add(state->new_customers, other->new_customers);
	state->transient = csm_count_add(state->transient, other->transient);
	PG_RETURN_POINTER(state);
}

/* Inverse of rollup()'s transition: take a summary back out of the frame */
PG_FUNCTION_INFO_V1(customer_flow_uncombine);
Datum
customer_flow_uncombine(PG_FUNCTION_ARGS)
{
	CustomerFlow *state;
	CustomerFlow *other;

	(void) csm_aggregate_context(fcinfo, "customer_flow_uncombine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	if (PG_ARGISNULL(0))
		csm_no_state_error(fcinfo, "customer_flow_uncombine");
	state = PG_GETARG_CUSTOMER_FLOW_P(0);
	other = PG_GETARG_CUSTOMER_FLOW_P(1);
	if (other->rows == 0)
		PG_RETURN_POINTER(state);
	check_same_period(state, other);
	state->rows = csm_count_sub(state->rows, other->rows);
	state->at_start = csm_count_sub(state->at_start, other->at_start);
	state->churned = csm_count_sub(state->churned, other->churned);
	state->new_customers = csm_count_sub(state->new_customers, other->new_customers);
	state->transient = csm_count_sub(state->transient, other->transient);
	PG_RETURN_POINTER(state);
}

/*
 * Moving final function of customer_flow_agg() and rollup(): NULL once
 * every row has left the window frame, as over no rows.
 */
PG_FUNCTION_INFO_V1(customer_flow_nonempty);
Datum
customer_flow_nonempty(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	flow = PG_GETARG_CUSTOMER_FLOW_P(0);
	if (flow->rows == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(flow);
}

/* ---------- rates ---------- */

/* churned / at_start * 100; the caller has checked 0 < at_start */
static inline double
churn_pct(int64 churned, int64 at_start)
{
	return 100.0 * (double) churned / (double) at_start;
}

/* (at_end - new) / at_start * 100, i.e. retained / at_start * 100 */
static inline double
retention_pct(int64 retained, int64 at_start)
{
	return 100.0 * (double) retained / (double) at_start;
}

/* customers_at_start(customer_flow): S */
PG_FUNCTION_INFO_V1(customer_flow_at_start);
Datum
customer_flow_at_start(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_CUSTOMER_FLOW_P(0)->at_start);
}

/* customers_at_end(customer_flow): E */
PG_FUNCTION_INFO_V1(customer_flow_at_end);
Datum
customer_flow_at_end(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(flow_at_end(PG_GETARG_CUSTOMER_FLOW_P(0)));
}

/* new_customers(customer_flow): N */
PG_FUNCTION_INFO_V1(customer_flow_new_customers);
Datum
customer_flow_new_customers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_CUSTOMER_FLOW_P(0)->new_customers);
}

/* churned_customers(customer_flow) */
PG_FUNCTION_INFO_V1(customer_flow_churned);
Datum
customer_flow_churned(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_CUSTOMER_FLOW_P(0)->churned);
}

/* transient_customers(customer_flow) */
PG_FUNCTION_INFO_V1(customer_flow_transient);
Datum
customer_flow_transient(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_CUSTOMER_FLOW_P(0)->transient);
}

/* churn_rate(customer_flow); also the final function of churn_rate() */
PG_FUNCTION_INFO_V1(customer_flow_churn_rate);
Datum
customer_flow_churn_rate(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow = PG_GETARG_CUSTOMER_FLOW_P(0);

	if (flow->at_start == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(churn_pct(flow->churned, flow->at_start));
}

/* retention_rate(customer_flow); also the final function of retention_rate() */
PG_FUNCTION_INFO_V1(customer_flow_retention_rate);
Datum
customer_flow_retention_rate(PG_FUNCTION_ARGS)
{
	CustomerFlow *flow = PG_GETARG_CUSTOMER_FLOW_P(0);

	if (flow->at_start == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(retention_pct(flow->at_start - flow->churned, flow->at_start));
}

/* Refuse a negative count given to a scalar rate */
static inline void
check_count_arg(int64 value, const char *name)
{
	if (value < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", name)));
}

/* churn_rate(churned bigint, at_start bigint) */
PG_FUNCTION_INFO_V1(churn_rate_counts);
Datum
churn_rate_counts(PG_FUNCTION_ARGS)
{
	int64		churned = PG_GETARG_INT64(0);
	int64		at_start = PG_GETARG_INT64(1);

	check_count_arg(churned, "churned");
	check_count_arg(at_start, "at_start");
	if (churned > at_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churned must not exceed at_start"),
				 errdetail("Only customers active at the start of the period can churn.")));
	if (at_start == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(churn_pct(churned, at_start));
}

/* retention_rate(at_end bigint, new bigint, at_start bigint) */
PG_FUNCTION_INFO_V1(retention_rate_counts);
Datum
retention_rate_counts(PG_FUNCTION_ARGS)
{
	int64		at_end = PG_GETARG_INT64(0);
	int64		new_customers = PG_GETARG_INT64(1);
	int64		at_start = PG_GETARG_INT64(2);

	check_count_arg(at_end, "at_end");
	check_count_arg(new_customers, "new");
	check_count_arg(at_start, "at_start");
	if (new_customers > at_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new must not exceed at_end"),
				 errdetail("New customers are counted among the customers at the end of the period.")));
	if (at_end - new_customers > at_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("at_end - new must not exceed at_start"),
				 errdetail("The customers retained from the start cannot outnumber the customers at the start.")));
	if (at_start == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(retention_pct(at_end - new_customers, at_start));
}
