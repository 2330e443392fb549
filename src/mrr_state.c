/*-------------------------------------------------------------------------
 *
 * mrr_state.c
 *	  mrr_state: the state of the mrr() and arr() aggregates, a real type
 *	  (not internal) so that parallel plans and sharded engines such as
 *	  Citus split them: partial states on the workers or shards, combined
 *	  on the leader or coordinator, moved as text or binary.
 *
 * The state is the exact sum of the normalised charges (monthly_amount()
 * for mrr, annual_amount() for arr), the number of rows summed, and what
 * PostgreSQL's own sum(numeric) keeps to give the sum its display scale
 * and to take rows out of a moving window:
 *
 *		rows		non-NULL rows summed (int64)
 *		scale		display scale of the sum: the largest display scale of
 *					the rows (numeric addition keeps the larger scale)
 *		scale_rows	how many of the rows have that largest scale
 *		sum			the exact sum, with display scale scale
 *
 * mrr() returns the sum, or NULL when rows is 0: the same value, to the
 * last digit and display scale, as 1.0's sum over numeric_avg_accum.
 * Combining adds rows and sums; the larger scale wins, and equal scales
 * add their scale_rows (numeric_avg_combine's rule).  The inverse (moving
 * windows) takes a row out: exact, except that removing the last row of
 * the largest scale (scale > 0) would leave the display scale unknown, so
 * the inverse then returns NULL and the executor recomputes the frame,
 * as numeric_accum_inv does.  A NULL row still creates the empty state, so
 * that a moving frame that starts with NULLs never has a NULL state.
 *
 * Invariants (checked on every input): 0 <= scale_rows <= rows; rows = 0
 * means scale_rows = 0, scale = 0 and sum = 0; rows > 0 means
 * scale_rows >= 1; scale = 0 means scale_rows = rows.
 *
 * Stored form (a varlena, never shared outside this file):
 *		uint8 version (1), uint8 flags (bit 0: the sum is a numeric),
 *		uint16 scale, int64 rows, int64 scale_rows, then the sum: 16 bytes
 *		of int128 units of 10^-scale (fixed point, src/money.h), or, with
 *		flag bit 0, a numeric datum (4-byte header) with dscale = scale.
 * The fixed-point form is used whenever scale <= 38 and the sum fits
 * within +/- (10^38 - 1) units; otherwise the sum is a numeric.
 *
 * Text form: (rows,scale_rows,sum), e.g. (3,2,100.50); the sum is written
 * with exactly scale decimal places, and its scale is read from the text.
 * Binary form: uint8 version 1, int64 rows, int64 scale_rows, then the sum
 * as an int32 length and numeric's binary form (its dscale is the scale).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "csm_io.h"
#include "csmetrics.h"
#include "money.h"
#include "mrr.h"

#define MRR_STATE_VERSION	1
#define MRR_STATE_NUMERIC	0x01	/* flags: the sum is a numeric */

typedef struct MrrState
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		scale;
	int64		rows;
	int64		scale_rows;
	char		sum[FLEXIBLE_ARRAY_MEMBER]; /* int128 units or a numeric */
} MrrState;

#define MRR_STATE_FIXED_SIZE (offsetof(MrrState, sum) + sizeof(int128))

static const char *const mrr_state_hint =
"An mrr_state is the number of rows, how many of them have the largest number of decimal places, and the exact sum, such as (3,2,100.50).";

/* The fixed-point sum of a state in the fixed-point form */
static inline int128
state_units(const MrrState *state)
{
	int128		v;

	memcpy(&v, state->sum, sizeof(int128));
	return v;
}

static inline void
state_set_units(MrrState *state, int128 v)
{
	memcpy(state->sum, &v, sizeof(int128));
}

/* The numeric sum of a state in the numeric form (not copied) */
static inline Numeric
state_numeric(const MrrState *state)
{
	return (Numeric) state->sum;
}

/* A new state in the fixed-point form, in the current memory context */
static MrrState *
state_new_fixed(int64 rows, int64 scale_rows, int scale, int128 units)
{
	MrrState   *state = palloc0(MRR_STATE_FIXED_SIZE);

	SET_VARSIZE(state, MRR_STATE_FIXED_SIZE);
	state->version = MRR_STATE_VERSION;
	state->rows = rows;
	state->scale_rows = scale_rows;
	state->scale = (uint16) scale;
	state_set_units(state, units);
	return state;
}

/*
 * A new state holding a sum: in the fixed-point form when it fits (the
 * canonical choice), as a numeric otherwise.  The sum's dscale is scale.
 */
static MrrState *
state_new(int64 rows, int64 scale_rows, int scale, Numeric sum)
{
	CsmNumericView view;
	int128		units;
	MrrState   *state;
	Size		nlen;

	csm_numeric_view(NumericGetDatum(sum), &view);
	if (scale <= CSM_FIXED_DIGITS && csm_view_to_fixed(&view, scale, &units))
		return state_new_fixed(rows, scale_rows, scale, units);
	sum = DatumGetNumeric(PointerGetDatum(PG_DETOAST_DATUM(NumericGetDatum(sum))));
	nlen = VARSIZE(sum);
	state = palloc0(offsetof(MrrState, sum) + nlen);
	SET_VARSIZE(state, offsetof(MrrState, sum) + nlen);
	state->version = MRR_STATE_VERSION;
	state->flags = MRR_STATE_NUMERIC;
	state->rows = rows;
	state->scale_rows = scale_rows;
	state->scale = (uint16) scale;
	memcpy(state->sum, sum, nlen);
	return state;
}

/* The sum of a state as a numeric with display scale scale */
static Numeric
state_sum(const MrrState *state)
{
	if (state->flags & MRR_STATE_NUMERIC)
		return state_numeric(state);
	return csm_fixed_to_numeric(state_units(state), state->scale);
}

/* Raise 22P03 for a stored or received state that breaks an invariant */
static void
bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid mrr_state"),
			 errdetail("%s", detail)));
}

/*
 * Check the counts and the scale of a state; NULL when they are possible,
 * otherwise the sentence that says why not.  sum_is_zero: the sum is 0.
 */
static const char *
state_counts_problem(int64 rows, int64 scale_rows, int scale, bool sum_is_zero)
{
	if (rows < 0 || scale_rows < 0)
		return "The counts cannot be negative.";
	if (scale_rows > rows)
		return "The rows of the largest scale cannot outnumber the rows.";
	if (rows == 0 && (scale != 0 || !sum_is_zero))
		return "A state without rows has the sum 0 with no decimal places.";
	if (rows > 0 && scale_rows == 0)
		return "A state with rows has at least one row of the largest scale.";
	if (scale == 0 && scale_rows != rows)
		return "Without decimal places, every row has the largest scale.";
	return NULL;
}

/*
 * A state given as an argument, detoasted and checked: its header, its
 * size and its invariants.  Values come from our own functions or through
 * the input functions, which check the same; this catches corruption.
 */
static MrrState *
state_arg(Datum d)
{
	MrrState   *state = (MrrState *) PG_DETOAST_DATUM(d);
	Size		size = VARSIZE(state);
	const char *problem;
	bool		zero;

	if (size < offsetof(MrrState, sum) + VARHDRSZ || state->version != MRR_STATE_VERSION ||
		(state->flags & ~MRR_STATE_NUMERIC) != 0)
		bad_state("The value is not an mrr_state of this version.");
	if (state->flags & MRR_STATE_NUMERIC)
	{
		Numeric		n = state_numeric(state);
		CsmNumericView view;

		if (VARATT_IS_EXTENDED(n) || VARSIZE(n) != size - offsetof(MrrState, sum))
			bad_state("The sum is not a finite numeric.");
		csm_numeric_view(NumericGetDatum(n), &view);
		if (view.special)
			bad_state("The sum is not a finite numeric.");
		zero = false;
	}
	else
	{
		if (size != MRR_STATE_FIXED_SIZE || state->scale > CSM_FIXED_DIGITS ||
			!csm_fixed_in_range(state_units(state)))
			bad_state("The fixed-point sum is out of range.");
		zero = state_units(state) == 0;
	}
	problem = state_counts_problem(state->rows, state->scale_rows, state->scale, zero);
	if (problem != NULL)
		bad_state(problem);
	return state;
}

/* text input: (rows,scale_rows,sum) */
PG_FUNCTION_INFO_V1(mrr_state_in);
Datum
mrr_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CsmIoText	t;
	int64		rows;
	int64		scale_rows;
	Numeric		sum;
	int			scale;
	const char *problem;

	csm_io_text_init(&t, str, "mrr_state", mrr_state_hint);
	csm_io_skip_space(&t);
	csm_io_expect(&t, '(');
	csm_io_skip_space(&t);
	rows = csm_io_parse_count(&t);
	csm_io_skip_space(&t);
	csm_io_expect(&t, ',');
	csm_io_skip_space(&t);
	scale_rows = csm_io_parse_count(&t);
	csm_io_skip_space(&t);
	csm_io_expect(&t, ',');
	csm_io_skip_space(&t);
	sum = csm_io_parse_numeric(&t);
	csm_io_skip_space(&t);
	csm_io_expect(&t, ')');
	csm_io_expect_end(&t);

	scale = DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(sum)));
	problem = state_counts_problem(rows, scale_rows, scale,
								   DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(sum),
																	NumericGetDatum(int64_to_numeric(0)))));
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type mrr_state: \"%s\"", str),
				 errdetail("%s", problem),
				 errhint("%s", mrr_state_hint)));
	PG_RETURN_POINTER(state_new(rows, scale_rows, scale, sum));
}

/* text output: (rows,scale_rows,sum) */
PG_FUNCTION_INFO_V1(mrr_state_out);
Datum
mrr_state_out(PG_FUNCTION_ARGS)
{
	MrrState   *state = state_arg(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(" INT64_FORMAT "," INT64_FORMAT ",", state->rows, state->scale_rows);
	if (state->flags & MRR_STATE_NUMERIC)
		appendStringInfoString(&buf, DatumGetCString(DirectFunctionCall1(numeric_out,
																		 NumericGetDatum(state_numeric(state)))));
	else
		csm_fixed_append(&buf, state_units(state), state->scale);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * The canonical text of equality (summary_eq.c): the rows and the sum,
 * "(rows,sum)"; the scale bookkeeping is not part of the value, as numeric
 * equality ignores the display scale.  Not SQL-callable.
 */
extern Datum mrr_state_canonical(PG_FUNCTION_ARGS);
Datum
mrr_state_canonical(PG_FUNCTION_ARGS)
{
	MrrState   *state = state_arg(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(" INT64_FORMAT ",", state->rows);
	if (state->flags & MRR_STATE_NUMERIC)
		appendStringInfoString(&buf, DatumGetCString(DirectFunctionCall1(numeric_out,
																		 NumericGetDatum(state_numeric(state)))));
	else
		csm_fixed_append(&buf, state_units(state), state->scale);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* binary input: version, rows, scale_rows, sum */
PG_FUNCTION_INFO_V1(mrr_state_recv);
Datum
mrr_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		counts[2];		/* rows, scale_rows */
	Numeric		sum;
	int			scale;
	const char *problem;

	csm_io_recv_version(buf, MRR_STATE_VERSION, "mrr_state");
	csm_io_recv_counts(buf, counts, 2, "mrr_state");
	sum = csm_io_recv_numeric(buf, "mrr_state");
	scale = DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(sum)));
	problem = state_counts_problem(counts[0], counts[1], scale,
								   DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(sum),
																	NumericGetDatum(int64_to_numeric(0)))));
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid mrr_state binary input"),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(state_new(counts[0], counts[1], scale, sum));
}

/* binary output: version, rows, scale_rows, sum */
PG_FUNCTION_INFO_V1(mrr_state_send);
Datum
mrr_state_send(PG_FUNCTION_ARGS)
{
	MrrState   *state = state_arg(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MRR_STATE_VERSION);
	pq_sendint64(&buf, state->rows);
	pq_sendint64(&buf, state->scale_rows);
	csm_io_send_numeric(&buf, state_sum(state));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Add (sign 1) or subtract (sign -1) an amount of display scale
 * value_scale to a state whose scale is at least value_scale, in place
 * when the fixed-point form holds the result; returns the state to use.
 */
static MrrState *
state_add_amount(MrrState *state, int sign, bool fixed, int128 units,
				 int value_scale, Numeric value)
{
	if (fixed && !(state->flags & MRR_STATE_NUMERIC))
	{
		int128		shifted;
		int128		sum;

		if (csm_fixed_shift(units, state->scale - value_scale, &shifted) &&
			csm_fixed_add(state_units(state), sign * shifted, &sum))
		{
			state_set_units(state, sum);
			return state;
		}
	}
	/* numeric arithmetic: the result keeps the larger display scale */
	if (fixed)
		value = csm_fixed_to_numeric(units, value_scale);
	value = sign > 0 ?
		numeric_add_opt_error(state_sum(state), value, NULL) :
		numeric_sub_opt_error(state_sum(state), value, NULL);
	return state_new(state->rows, state->scale_rows, state->scale, value);
}

/*
 * Raise the scale of a fixed-point state (rows of a larger scale arrive):
 * in place, or into the numeric form when the sum no longer fits.
 */
static MrrState *
state_raise_scale(MrrState *state, int scale)
{
	if (!(state->flags & MRR_STATE_NUMERIC))
	{
		int128		shifted;

		if (scale <= CSM_FIXED_DIGITS &&
			csm_fixed_shift(state_units(state), scale - state->scale, &shifted))
		{
			state_set_units(state, shifted);
			state->scale = (uint16) scale;
			return state;
		}
		/* scale does not fit the fixed-point form with this sum */
		state = state_new(state->rows, state->scale_rows, scale, state_sum(state));
		if (!(state->flags & MRR_STATE_NUMERIC))
			elog(ERROR, "mrr_state: fixed-point sum did not widen");
	}
	/* a numeric sum takes the larger scale from the first addition */
	state->scale = (uint16) scale;
	return state;
}

/*
 * Transition and inverse of mrr() and arr(): normalise the charge, then add
 * it (remove false) or take it out (remove true).  Rows with a NULL amount
 * or period are skipped, but create the empty state.  The inverse returns
 * NULL when it cannot keep the display scale (see the header).
 */
static Datum
mrr_state_step(FunctionCallInfo fcinfo, bool annual, bool remove, const char *funcname)
{
	MrrState   *state;
	int128		units = 0;
	int			scale;
	Numeric		value = NULL;
	bool		fixed;

	(void) csm_aggregate_context(fcinfo, funcname);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (!PG_ARGISNULL(0))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		if (remove)
			PG_RETURN_NULL();
		/* the empty state; the executor copies it into its context */
		PG_RETURN_POINTER(state_new_fixed(0, 0, 0, 0));
	}
	if (PG_ARGISNULL(0) && remove)
		csm_no_state_error(fcinfo, funcname);

	fixed = csm_recurring_amount(PG_GETARG_DATUM(1), PG_GETARG_INTERVAL_P(2), annual,
								 &units, &scale, &value);
	if (!fixed)
		scale = DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(value)));

	state = PG_ARGISNULL(0) ? state_new_fixed(0, 0, 0, 0) : state_arg(PG_GETARG_DATUM(0));
	if (!remove)
	{
		if (scale > state->scale)
		{
			state = state_raise_scale(state, scale);
			state->scale_rows = 1;
		}
		else if (scale == state->scale)
			state->scale_rows = csm_count_add(state->scale_rows, 1);
		state->rows = csm_count_add(state->rows, 1);
		state = state_add_amount(state, 1, fixed, units, scale, value);
		PG_RETURN_POINTER(state);
	}

	if (state->rows == 0 || scale > state->scale)
		csm_removal_error("The row was never added to the state.");
	if (scale == state->scale)
	{
		if (state->scale_rows == 1 && state->scale > 0)
			PG_RETURN_NULL();	/* the frame is recomputed */
		state->scale_rows--;
	}
	state->rows--;
	if (state->rows == 0)
	{
		if (state->flags & MRR_STATE_NUMERIC)
			state = state_new_fixed(0, 0, 0, 0);
		state_set_units(state, 0);
		state->scale = 0;
		state->scale_rows = 0;
		PG_RETURN_POINTER(state);
	}
	state = state_add_amount(state, -1, fixed, units, scale, value);
	PG_RETURN_POINTER(state);
}

/* mrr(amount, billing_period) transition */
PG_FUNCTION_INFO_V1(mrr_state_add);
Datum
mrr_state_add(PG_FUNCTION_ARGS)
{
	return mrr_state_step(fcinfo, false, false, "mrr_state_add");
}

/* mrr(amount, billing_period) inverse transition */
PG_FUNCTION_INFO_V1(mrr_state_remove);
Datum
mrr_state_remove(PG_FUNCTION_ARGS)
{
	return mrr_state_step(fcinfo, false, true, "mrr_state_remove");
}

/* arr(amount, billing_period) transition */
PG_FUNCTION_INFO_V1(arr_state_add);
Datum
arr_state_add(PG_FUNCTION_ARGS)
{
	return mrr_state_step(fcinfo, true, false, "arr_state_add");
}

/* arr(amount, billing_period) inverse transition */
PG_FUNCTION_INFO_V1(arr_state_remove);
Datum
arr_state_remove(PG_FUNCTION_ARGS)
{
	return mrr_state_step(fcinfo, true, true, "arr_state_remove");
}

/*
 * Combine two states (parallel plans, sharded engines).  The four NULL
 * cases are handled; when only the second is non-NULL the new state is a
 * copy of it.
 */
PG_FUNCTION_INFO_V1(mrr_state_combine);
Datum
mrr_state_combine(PG_FUNCTION_ARGS)
{
	MrrState   *state;
	MrrState   *other;
	int64		scale_rows;

	(void) csm_aggregate_context(fcinfo, "mrr_state_combine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	other = state_arg(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
	{
		/* a copy, never the argument itself; the executor moves it */
		MrrState   *copy = palloc(VARSIZE(other));

		memcpy(copy, other, VARSIZE(other));
		PG_RETURN_POINTER(copy);
	}
	state = state_arg(PG_GETARG_DATUM(0));
	if (other->rows == 0)
		PG_RETURN_POINTER(state);
	if (state->rows == 0)
	{
		MrrState   *copy = palloc(VARSIZE(other));

		memcpy(copy, other, VARSIZE(other));
		PG_RETURN_POINTER(copy);
	}

	if (other->scale > state->scale)
		scale_rows = other->scale_rows;
	else if (other->scale == state->scale)
		scale_rows = csm_count_add(state->scale_rows, other->scale_rows);
	else
		scale_rows = state->scale_rows;
	if (other->scale > state->scale)
		state = state_raise_scale(state, other->scale);
	state->rows = csm_count_add(state->rows, other->rows);
	state->scale_rows = scale_rows;
	if (other->flags & MRR_STATE_NUMERIC)
		state = state_add_amount(state, 1, false, 0, other->scale, state_numeric(other));
	else
		state = state_add_amount(state, 1, true, state_units(other), other->scale, NULL);
	PG_RETURN_POINTER(state);
}

/* Final function of mrr() and arr(): the sum, NULL without rows */
PG_FUNCTION_INFO_V1(mrr_state_sum);
Datum
mrr_state_sum(PG_FUNCTION_ARGS)
{
	MrrState   *state = state_arg(PG_GETARG_DATUM(0));
	Numeric		sum;

	if (state->rows == 0)
		PG_RETURN_NULL();
	sum = state_sum(state);
	/* a copy: the numeric form's sum lives inside the state */
	if (state->flags & MRR_STATE_NUMERIC)
	{
		Numeric		copy = palloc(VARSIZE(sum));

		memcpy(copy, sum, VARSIZE(sum));
		sum = copy;
	}
	PG_RETURN_NUMERIC(sum);
}
