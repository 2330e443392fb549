/*-------------------------------------------------------------------------
 *
 * csm_io.c
 *	  Text and binary I/O helpers shared by every csmetrics type (see
 *	  csm_io.h for the SQLSTATE policy they implement).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"

#include "csm_io.h"

/* ---------- text input ---------- */

/* The position of the cursor, counted in characters from 1 */
static int
text_position(const CsmIoText *t)
{
	return pg_mbstrlen_with_len(t->input, (int) (t->p - t->input)) + 1;
}

void
csm_io_syntax_error(const CsmIoText *t, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", t->typname, t->input),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("%s", t->format)));
	pg_unreachable();
}

void
csm_io_expected(const CsmIoText *t, const char *what)
{
	if (*t->p == '\0')
		csm_io_syntax_error(t, psprintf("The input ends where %s was expected.", what));
	csm_io_syntax_error(t, psprintf("Expected %s at character %d.", what,
									text_position(t)));
}

void
csm_io_expected_char(const CsmIoText *t, char c)
{
	csm_io_expected(t, psprintf("\"%c\"", c));
}

void
csm_io_expect_word(CsmIoText *t, const char *word)
{
	size_t		len = strlen(word);

	if (strncmp(t->p, word, len) != 0)
		csm_io_expected(t, psprintf("\"%s\"", word));
	t->p += len;
}

void
csm_io_expect_end(CsmIoText *t)
{
	csm_io_skip_space(t);
	if (*t->p != '\0')
		csm_io_expected(t, "the end of the input");
}

/* t->p is where csm_io_parse_count began: at no digit, or too many */
void
csm_io_count_error(const CsmIoText *t)
{
	if (!isdigit((unsigned char) *t->p))
		csm_io_expected(t, "a count");
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("count out of range in %s: \"%s\"", t->typname, t->input),
			 errdetail("A count cannot exceed " INT64_FORMAT ".", PG_INT64_MAX)));
	pg_unreachable();
}

/*
 * The value is accumulated as a negative number, so that PG_INT64_MIN can
 * be read.  An out-of-range number is read to its last digit first, to be
 * quoted whole in the message.
 */
int64
csm_io_parse_int(CsmIoText *t, int width, bool allow_sign, const char *what)
{
	const char *start = t->p;
	const char *p = start;
	int64		max;
	int64		value = 0;
	bool		negative = false;
	bool		overflow = false;

	Assert(width == 1 || width == 2 || width == 4 || width == 8);
	max = (width == 8) ? PG_INT64_MAX : ((int64) 1 << (8 * width - 1)) - 1;
	if (allow_sign && (*p == '+' || *p == '-'))
		negative = (*p++ == '-');
	if (!isdigit((unsigned char) *p))
		csm_io_expected(t, psprintf("a %s", what));
	for (; isdigit((unsigned char) *p); p++)
		overflow = overflow || pg_mul_s64_overflow(value, 10, &value) ||
			pg_sub_s64_overflow(value, *p - '0', &value);
	if (!overflow && !negative)
		overflow = pg_sub_s64_overflow(0, value, &value);
	if (overflow || value > max || value < -max - 1)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s \"%.*s\" is out of range", what, (int) (p - start), start),
				 errhint("%s", t->format)));
	t->p = p;
	return value;
}

/* Read exactly two digits at p as a number; -1 if they are not digits */
static int
two_digits(const char *p)
{
	if (!isdigit((unsigned char) p[0]) || !isdigit((unsigned char) p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

DateADT
csm_io_parse_date(CsmIoText *t)
{
	const char *p = t->p;
	int64		year = 0;
	int			ndigits = 0;
	int			month,
				day,
				y2,
				m2,
				d2;
	DateADT		date = 0;
	bool		exists;

	while (isdigit((unsigned char) *p) && ndigits < 8)
	{
		year = year * 10 + (*p++ - '0');
		ndigits++;
	}
	if (ndigits < 4 || ndigits > 7 || p[0] != '-' ||
		(month = two_digits(p + 1)) < 0 || p[3] != '-' ||
		(day = two_digits(p + 4)) < 0)
		csm_io_expected(t, "a date YYYY-MM-DD");
	p += 6;

	/* a well-formed date may still not exist: 2024-02-30, the year 0 */
	exists = year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
		IS_VALID_JULIAN(year, month, day);
	if (exists)
	{
		date = date2j((int) year, month, day) - POSTGRES_EPOCH_JDATE;
		j2date(date + POSTGRES_EPOCH_JDATE, &y2, &m2, &d2);
		exists = IS_VALID_DATE(date) && y2 == year && m2 == month && d2 == day;
	}
	if (!exists)
		csm_io_syntax_error(t, psprintf("The date \"%.*s\" does not exist.",
										(int) (p - t->p), t->p));
	t->p = p;
	return date;
}

CsmGrain
csm_io_parse_grain(CsmIoText *t)
{
	const char *start = t->p;
	CsmGrain	grain;

	while (isalpha((unsigned char) *t->p))
		t->p++;
	grain = csm_grain_lookup(start, t->p - start);
	if (grain == CSM_GRAIN_INVALID)
	{
		t->p = start;
		csm_io_expected(t, "a grain (day, week, month, quarter or year)");
	}
	return grain;
}

/* Skip a run of decimal digits; return how many there were */
static int
skip_digits(const char **p)
{
	const char *start = *p;

	while (isdigit((unsigned char) **p))
		(*p)++;
	return (int) (*p - start);
}

Numeric
csm_io_parse_numeric(CsmIoText *t)
{
	const char *p = t->p;
	int			digits;
	char	   *token;
	Numeric		value;

	if (*p == '+' || *p == '-')
		p++;
	digits = skip_digits(&p);
	if (*p == '.')
	{
		p++;
		digits += skip_digits(&p);
	}
	if (digits == 0)
		csm_io_expected(t, "a number");
	if (*p == 'e' || *p == 'E')
	{
		const char *exponent = p + 1;

		if (*exponent == '+' || *exponent == '-')
			exponent++;
		if (skip_digits(&exponent) == 0)
		{
			t->p = p;
			csm_io_expected(t, "the digits of an exponent");
		}
		p = exponent;
	}

	/* numeric_in reads it: only a number beyond numeric's range fails */
	token = pnstrdup(t->p, p - t->p);
	value = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(token),
												ObjectIdGetDatum(InvalidOid),
												Int32GetDatum(-1)));
	pfree(token);
	t->p = p;
	return value;
}

float8
csm_io_parse_float8(CsmIoText *t)
{
	char	   *end;
	float8		value;

	/* its syntax error is 22P02 for our type and quotes our input */
	value = csm_float8in_internal(unconstify(char *, t->p), &end, t->typname, t->input);
	t->p = end;
	return value;
}

/* ---------- text output ---------- */

void
csm_io_format_date(DateADT date, char *buf)
{
	int			year,
				month,
				day;

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	snprintf(buf, CSM_IO_DATE_LEN, "%04d-%02d-%02d", year, month, day);
}

/* ---------- binary input and output ---------- */

/* Raise 22P03 for the binary input of typname */
static void
bad_binary(const char *typname, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary input for type %s", typname),
			 errdetail("%s", detail)));
}

void
csm_io_recv_version(StringInfo buf, int version, const char *typname)
{
	int			got;

	csm_io_recv_require(buf, 1, typname);
	got = pq_getmsgbyte(buf);
	if (got != version)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported %s binary version %d", typname, got),
				 errdetail("This version of csmetrics reads version %d.", version)));
}

int32
csm_io_recv_length(StringInfo buf, int elem_size, int32 max,
				   const char *what, const char *typname)
{
	int32		count;
	int			left;

	Assert(elem_size > 0 && max >= 0);
	csm_io_recv_require(buf, (int) sizeof(int32), typname);
	count = (int32) pq_getmsgint(buf, 4);
	left = buf->len - buf->cursor;
	/* a division, which cannot overflow as count * elem_size could */
	if (count < 0 || count > max || count > left / elem_size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s count %d in %s binary input", what, count, typname),
				 errdetail("The count must lie between 0 and %d, and the %d bytes that follow hold at most %d.",
						   max, left, left / elem_size)));
	return count;
}

void
csm_io_recv_counts(StringInfo buf, int64 *counts, int n, const char *typname)
{
	csm_io_recv_require(buf, n * (int) sizeof(int64), typname);
	for (int i = 0; i < n; i++)
	{
		counts[i] = (int64) pq_getmsgint64(buf);
		if (counts[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("negative count in %s binary input", typname),
					 errdetail("Count %d of %d is " INT64_FORMAT ".",
							   i + 1, n, counts[i])));
	}
}

/*
 * The numeric field is an int32 length, then that many bytes of numeric's
 * binary form (four int16 header fields: ndigits, weight, sign and dscale,
 * then ndigits int16 digits).  The lengths are checked here, before
 * numeric_recv reads anything, so that short or inconsistent input is
 * 22P03 rather than a protocol violation; numeric_recv checks the sign,
 * the digits and the scale.
 */
Numeric
csm_io_recv_numeric(StringInfo buf, const char *typname)
{
	const int	header = 4 * (int) sizeof(int16);
	StringInfoData sub;
	int32		len;
	int16		ndigits;
	Numeric		value;

	csm_io_recv_require(buf, (int) sizeof(int32), typname);
	len = (int32) pq_getmsgint(buf, 4);
	if (len < header)
		bad_binary(typname, "A numeric field has an impossible length.");
	csm_io_recv_require(buf, len, typname);
	memcpy(&ndigits, buf->data + buf->cursor, sizeof(int16));
	ndigits = (int16) pg_ntoh16(ndigits);
	if (ndigits < 0 || len != header + ndigits * (int) sizeof(int16))
		bad_binary(typname, "A numeric field's length does not match its number of digits.");

	sub.data = buf->data + buf->cursor;
	sub.len = len;
	sub.maxlen = len;
	sub.cursor = 0;
	value = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&sub),
												ObjectIdGetDatum(InvalidOid),
												Int32GetDatum(-1)));
	Assert(sub.cursor == len);
	buf->cursor += len;
	if (numeric_is_nan(value) || numeric_is_inf(value))
		bad_binary(typname, "A numeric field is not a finite number.");
	return value;
}

void
csm_io_send_numeric(StringInfo buf, Numeric value)
{
	bytea	   *bytes = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
															NumericGetDatum(value)));

	pq_sendint32(buf, VARSIZE_ANY_EXHDR(bytes));
	pq_sendbytes(buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
}
