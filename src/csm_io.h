/*-------------------------------------------------------------------------
 *
 * csm_io.h
 *	  The text and binary I/O helpers that every csmetrics type uses.
 *
 * Each type keeps a documented text form and binary form of its own; what
 * they share lives here once: reading tokens, counts, integers, dates,
 * grains and numbers from text, and version bytes, counts, element counts
 * and numerics from binary messages.  So every type reports the same
 * defect with the same SQLSTATE:
 *
 *	  22P02 invalid_text_representation: malformed text, something other
 *			than what the format expects where it stands.  The message is
 *			invalid input syntax for type X: "<the whole input>", the
 *			detail says what was expected where, the hint shows the format.
 *	  22003 numeric_value_out_of_range: a well-formed count, integer or
 *			number that does not fit: a count above 2^63 - 1, an integer
 *			beyond the width of its field, a number beyond numeric's range.
 *	  22P03 invalid_binary_representation: any defect of binary input: an
 *			unknown version byte, a message that ends early, an element
 *			count the rest of the message cannot hold, a negative count, a
 *			bad numeric field.
 *
 * Text input functions read through a CsmIoText cursor.  White space is
 * never skipped behind the caller's back (csm_io_expect_end and
 * csm_io_parse_float8 excepted, as documented below): each format says
 * where it allows white space and calls csm_io_skip_space() there, so
 * every documented format reads exactly the inputs it always did.  A
 * helper that finds something unexpected raises the error itself; a text
 * input function that finds a well-formed but impossible value (cohorts
 * out of order, an entry without customers) calls csm_io_syntax_error()
 * with a detail of its own.
 *
 * Receive functions read the version byte with csm_io_recv_version(),
 * check that each field is there with csm_io_recv_require() before reading
 * it, and read the element count of an array with csm_io_recv_length(),
 * which checks it against the bytes left in the message and against the
 * type's maximum before the caller allocates anything for the elements
 * (as contrib/hstore's hstore_recv bounds its pair count).  The check that
 * nothing follows the value is left to the caller: COPY and the protocol
 * make it after every receive function.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_CSM_IO_H
#define CSMETRICS_CSM_IO_H

#include "postgres.h"

#include <ctype.h>

#include "common/int.h"
#include "lib/stringinfo.h"
#include "utils/date.h"
#include "utils/numeric.h"

#include "grain.h"
#include "pg_compat.h"

/* ---------- text input ---------- */

/* A cursor over the text given to an input function */
typedef struct CsmIoText
{
	const char *input;			/* the whole text, quoted in messages */
	const char *p;				/* the next character to read */
	const char *typname;		/* the type being read */
	const char *format;			/* one sentence showing the format: the hint */
} CsmIoText;

/* Start reading input as a value of typname */
static inline void
csm_io_text_init(CsmIoText *t, const char *input, const char *typname,
				 const char *format)
{
	t->input = input;
	t->p = input;
	t->typname = typname;
	t->format = format;
}

/* Skip white space */
static inline void
csm_io_skip_space(CsmIoText *t)
{
	while (isspace((unsigned char) *t->p))
		t->p++;
}

/* Consume the character c if it comes next; false if something else does */
static inline bool
csm_io_accept(CsmIoText *t, char c)
{
	if (*t->p != c || c == '\0')
		return false;
	t->p++;
	return true;
}

/*
 * Raise 22P02 for the input: detail (a full sentence) says what is wrong,
 * or NULL for none; the hint is the format.
 */
pg_noreturn extern void csm_io_syntax_error(const CsmIoText *t, const char *detail);

/* Raise 22P02: what (such as "a count" or "\",\"") was expected here */
pg_noreturn extern void csm_io_expected(const CsmIoText *t, const char *what);

/* Raise 22P02: the character c was expected here */
pg_noreturn extern void csm_io_expected_char(const CsmIoText *t, char c);

/* Consume the character c, or raise 22P02 */
static inline void
csm_io_expect(CsmIoText *t, char c)
{
	if (unlikely(!csm_io_accept(t, c)))
		csm_io_expected_char(t, c);
}

/* Consume the exact text word (a key such as "rows"), or raise 22P02 */
extern void csm_io_expect_word(CsmIoText *t, const char *word);

/* Skip white space, then raise 22P02 unless the input ends there */
extern void csm_io_expect_end(CsmIoText *t);

/* Raise the error of a count that is missing (22P02) or too large (22003) */
pg_noreturn extern void csm_io_count_error(const CsmIoText *t);

/*
 * A count: decimal digits, no sign, 0 to 2^63 - 1.  22P02 without digits,
 * 22003 for a larger number.  Inline, with the errors out of line: the
 * text input of a summary reads a count per field, and Citus moves
 * aggregate states as text.
 */
static inline int64
csm_io_parse_count(CsmIoText *t)
{
	const char *p = t->p;
	int64		value = 0;

	if (unlikely(!isdigit((unsigned char) *p)))
		csm_io_count_error(t);
	do
	{
		if (unlikely(pg_mul_s64_overflow(value, 10, &value) ||
					 pg_add_s64_overflow(value, *p - '0', &value)))
			csm_io_count_error(t);
		p++;
	} while (isdigit((unsigned char) *p));
	t->p = p;
	return value;
}

/*
 * An integer that fits in a signed integer of width bytes (1, 2, 4 or 8):
 * decimal digits, after an optional + or - sign if allow_sign.  what is
 * the field's name (a noun such as "period"), used as "a period" in the
 * 22P02 detail and in "period \"...\" is out of range" (22003).
 */
extern int64 csm_io_parse_int(CsmIoText *t, int width, bool allow_sign,
							  const char *what);

/*
 * A date written YYYY-MM-DD (four to seven digits of year, 1 to 5874897),
 * whatever DateStyle says.  22P02 for anything else, including dates that
 * do not exist such as 2024-02-30.
 */
extern DateADT csm_io_parse_date(CsmIoText *t);

/* A grain name (day, week, month, quarter or year, in any case) */
extern CsmGrain csm_io_parse_grain(CsmIoText *t);

/*
 * A finite number as numeric_in reads it: an optional sign, digits with an
 * optional decimal point, an optional exponent.  22P02 for anything else
 * (NaN and the infinities included); 22003 from numeric_in for a number
 * beyond numeric's range.
 */
extern Numeric csm_io_parse_numeric(CsmIoText *t);

/*
 * A float8 as float8in reads it, NaN and the infinities included (the
 * caller checks the range).  Like float8in, it skips white space before
 * and after the number.
 */
extern float8 csm_io_parse_float8(CsmIoText *t);

/* ---------- text output ---------- */

/* Bytes that csm_io_format_date writes, with the terminating NUL */
#define CSM_IO_DATE_LEN 16

/*
 * Format a date as YYYY-MM-DD whatever DateStyle says; the date is finite
 * and in the year 1 or later
 */
extern void csm_io_format_date(DateADT date, char *buf);

/* ---------- binary input and output ---------- */

/*
 * Check that at least nbytes are left before reading them, so that short
 * input is an invalid binary value of the type (22P03) rather than a
 * protocol violation.
 */
static inline void
csm_io_recv_require(StringInfo buf, int nbytes, const char *typname)
{
	if (unlikely(buf->len - buf->cursor < nbytes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type %s", typname),
				 errdetail("The value is %d bytes long where at least %d more were expected.",
						   buf->len, nbytes - (buf->len - buf->cursor))));
}

/* Read the version byte and raise 22P03 unless it is version */
extern void csm_io_recv_version(StringInfo buf, int version, const char *typname);

/*
 * Read the int32 element count of an array whose elements take at least
 * elem_size bytes each in the message, and check it before anything is
 * allocated: 22P03 unless 0 <= count <= max and count * elem_size <= the
 * bytes left.  what names an element ("cell", "entry") in the message.
 */
extern int32 csm_io_recv_length(StringInfo buf, int elem_size, int32 max,
								const char *what, const char *typname);

/* Read n int64 counts into counts[]; 22P03 if one is negative */
extern void csm_io_recv_counts(StringInfo buf, int64 *counts, int n,
							   const char *typname);

/*
 * Read a numeric field, sent as an int32 length and then numeric's own
 * binary form.  Every length is checked against the message before it is
 * read; anything wrong, NaN and the infinities included, is 22P03.
 */
extern Numeric csm_io_recv_numeric(StringInfo buf, const char *typname);

/* Send a numeric field as csm_io_recv_numeric reads it */
extern void csm_io_send_numeric(StringInfo buf, Numeric value);

#endif							/* CSMETRICS_CSM_IO_H */
