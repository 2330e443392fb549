/*-------------------------------------------------------------------------
 *
 * activity.c
 *	  Engagement: the activity_summary type (which users were active on
 *	  which days, and the time they spent), the activity_agg() and rollup()
 *	  aggregates that build and merge it exactly, and its accessors:
 *	  active users, daily active users, average DAU, stickiness, the
 *	  active-days distribution, usage rate, time per active user, activity
 *	  retention and the lifecycle (new, returning, resurrecting, dormant).
 *
 * Users.  A user id is a bigint, a uuid or a text; one summary holds one
 * kind ("ids") and refuses to merge with another.  The key of a user is
 * 128 bits (hi, lo), compared as unsigned integers: a bigint is exact (lo
 * is the id with its sign bit flipped, so that the order is the id's
 * order), a uuid is exact (its 16 bytes, big-endian), a text id is the
 * 64-bit key of textkey.h (csm_text_datum_key): two text ids with the same
 * key count as one user, which for n distinct ids happens with
 * probability at most n(n-1)/2^65.
 *
 * Aggregate state.  The state is the expanded object of the shared cell
 * map (cellmap.h: its memory context shared by the groups under the
 * aggregate context, the combine function's NULL cases, flattening when the
 * value leaves the aggregate), but its cells are not used: the state holds
 * sorted flat summaries ("pending") and a batch of rows.  A row appends
 * (user key, day) to the batch, unless it repeats the row before; a full
 * batch (1M rows) is sorted by a radix sort (rowsort.h; 16-byte rows for
 * bigint and text ids, packed into one 8-byte word when the spreads of
 * the ids and the days fit in 64 bits, 24-byte rows for uuids) and
 * becomes a flat summary of its own; a summary merged by combine or rollup
 * is kept as it is.  Flattening merges every pending summary in one pass, a
 * scan of the current keys of (at most 64) sorted streams user by user,
 * uniting each user's runs; one-day summaries (a rollup of days) give only
 * their keys, the streams at a user being its days (activity_map_merge_all).
 * Chosen by measurement (doc/engagement.md, doc/performance.md): a hash
 * table with a cell per user and a day bitmap as payload cost a random
 * memory access per row and per user of every merged summary, 2 to 9 times
 * slower than the sorted batches and merges on 200,000 users.  More than 64 pending
 * summaries are merged into one, so memory stays proportional to the
 * distinct (user, day) pairs plus one batch.
 *
 * Flat form (stored, sent between processes), a varlena:
 *	  int32 vl_len_, uint8 version (1), uint8 kind (1 bigint, 2 uuid,
 *	  3 text), uint8 flags (1: time recorded), uint8 unused (0),
 *	  int32 users (1 or more), int32 first_day, int32 last_day (the first
 *	  and last day any user was active), int32 unused2 (0), int64 time_us,
 *	  then the users in increasing order of key, each:
 *		the key as the difference from the previous key (the first from 0):
 *		for uuid ids an unsigned LEB128 varint of the hi difference, then
 *		of the lo difference when hi did not change, else of lo itself; for
 *		bigint and text ids (hi is 0) a varint of the lo difference;
 *		then, unless first_day = last_day (a one-day summary, where every
 *		user was active on that day), a varint run count (1 or more) and
 *		per run of consecutive active days two varints: the gap (days from
 *		first_day to the first run's start; for a later run the days
 *		between the previous run's end and this start, minus one, so runs
 *		never touch) and the run's length minus one.
 *	  A day of 100,000 users with ids from a range of 200,000 takes a byte
 *	  or two per user.  The form is canonical: equal summaries have equal
 *	  bytes.
 *
 * Text form: the kind, the time, then the users with their runs, such as
 *	  bigint time_us=5400000000 {1:2024-01-01/2024-01-02 2024-01-05,7:2024-01-03}
 * with time_us=none when no time was recorded; a bigint id is written as
 * the number, a uuid in its usual form, a text id as its key in 16 hex
 * digits.  A run is from/to (inclusive) or a single date.
 *
 * Binary form: uint8 version (1), uint8 kind, uint8 flags, int64 time_us,
 * int32 users, then per user its key (8 bytes: the bigint, or the text
 * key; 16 for a uuid), int32 runs and per run int32 from and to (dates).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"

#include "cellmap.h"
#include "csm_io.h"
#include "csmetrics.h"
#include "grain.h"
#include "rates.h"
#include "rowsort.h"
#include "textkey.h"

#define ACTIVITY_VERSION		1

#define ACTIVITY_KIND_BIGINT	1
#define ACTIVITY_KIND_UUID		2
#define ACTIVITY_KIND_TEXT		3

#define ACTIVITY_FLAG_TIME		1

/* The most users a summary holds, and the most runs of one user */
#define ACTIVITY_MAX_USERS		(PG_INT32_MAX / 4)
#define ACTIVITY_MAX_RUNS		(PG_INT32_MAX / 4)

/* The most days a daily series, or periods a retention table, may have */
#define ACTIVITY_MAX_DAYS		CSM_TRIANGLE_MAX_PERIODS
#define ACTIVITY_MAX_PERIODS	2000

typedef struct ActivitySummary
{
	int32		vl_len_;
	uint8		version;
	uint8		kind;
	uint8		flags;
	uint8		unused;
	int32		users;
	DateADT		first_day;
	DateADT		last_day;
	int32		unused2;
	int64		time_us;
	uint8		data[FLEXIBLE_ARRAY_MEMBER];
} ActivitySummary;

#define ACTIVITY_HEADER_SIZE	offsetof(ActivitySummary, data)

static const char *const activity_kind_names[] = {NULL, "bigint", "uuid", "text"};

/* A user key: compared as an unsigned 128-bit number, hi first */
typedef struct ActivityKey
{
	uint64		hi;
	uint64		lo;
} ActivityKey;

/* A run of consecutive active days, inclusive */
typedef struct ActivityRun
{
	int32		from;
	int32		to;
} ActivityRun;

/* ---------------------------------------------------------------------
 * Errors and small helpers
 * ---------------------------------------------------------------------
 */

pg_noreturn static void activity_invalid(const char *detail);

/* A malformed flat value (a forged state, a future layout) */
static void
activity_invalid(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid activity_summary value"),
			 errdetail("%s", detail)));
	pg_unreachable();
}

static inline int
activity_key_cmp_keys(const ActivityKey *a, const ActivityKey *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

/* qsort-style order of two cell keys */
static int
activity_key_cmp(const void *a, const void *b)
{
	ActivityKey x,
				y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return activity_key_cmp_keys(&x, &y);
}

/* ---------------------------------------------------------------------
 * Writing the flat form
 * ---------------------------------------------------------------------
 */

/* Bytes written (buf NULL: only counted) */
typedef struct ActivityWriter
{
	uint8	   *buf;
	Size		len;
	Size		cap;			/* bytes of buf; it grows if growable */
	bool		growable;
	ActivityKey prev;
	DateADT		first_day;
	DateADT		last_day;
	uint8		kind;
} ActivityWriter;

/* Make room in a growable writer */
static void
activity_writer_grow(ActivityWriter *w)
{
	Assert(w->growable);
	if (w->cap >= MaxAllocSize / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("activity summary too large"),
				 errhint("Summarise fewer days or fewer users at a time.")));
	w->cap *= 2;
	w->buf = repalloc(w->buf, w->cap);
}

/* The most bytes of a varint (a uint64 in 7-bit groups) */
#define ACTIVITY_VARINT_MAX		10

/*
 * Append a varint (buf NULL: only count it), with room for the longest made
 * once, not checked byte by byte
 */
static inline void
activity_put_varint(ActivityWriter *w, uint64 v)
{
	if (w->buf == NULL)
	{
		w->len += pg_leftmost_one_pos64(v | 1) / 7 + 1;
		return;
	}
	if (unlikely(w->cap - w->len < ACTIVITY_VARINT_MAX))
		activity_writer_grow(w);
	while (v >= 0x80)
	{
		w->buf[w->len++] = (uint8) (v | 0x80);
		v >>= 7;
	}
	w->buf[w->len++] = (uint8) v;
}

/* Write one user: its key and runs (sorted, not touching, in the range) */
static void
activity_put_user(ActivityWriter *w, const ActivityKey *key,
				  const ActivityRun *runs, int32 nruns)
{
	if (w->kind == ACTIVITY_KIND_UUID)
	{
		activity_put_varint(w, key->hi - w->prev.hi);
		activity_put_varint(w, key->hi == w->prev.hi ? key->lo - w->prev.lo : key->lo);
	}
	else
		activity_put_varint(w, key->lo - w->prev.lo);
	w->prev = *key;
	if (w->first_day == w->last_day)
		return;
	activity_put_varint(w, (uint64) nruns);
	for (int32 i = 0; i < nruns; i++)
	{
		int64		start = i == 0 ? (int64) w->first_day : (int64) runs[i - 1].to + 2;

		activity_put_varint(w, (uint64) ((int64) runs[i].from - start));
		activity_put_varint(w, (uint64) ((int64) runs[i].to - runs[i].from));
	}
}

static void
activity_writer_init(ActivityWriter *w, uint8 *buf, uint8 kind,
					 DateADT first_day, DateADT last_day)
{
	w->buf = buf;
	w->len = 0;
	w->cap = SIZE_MAX;			/* a fixed buffer of the right size */
	w->growable = false;
	w->prev.hi = 0;
	w->prev.lo = 0;
	w->kind = kind;
	w->first_day = first_day;
	w->last_day = last_day;
}

static void
activity_header(ActivitySummary *s, Size size, uint8 kind, bool has_time,
				int64 time_us, int32 users, DateADT first_day, DateADT last_day)
{
	SET_VARSIZE(s, size);
	s->version = ACTIVITY_VERSION;
	s->kind = kind;
	s->flags = has_time ? ACTIVITY_FLAG_TIME : 0;
	s->users = users;
	s->first_day = first_day;
	s->last_day = last_day;
	s->time_us = time_us;
}

/* ---------------------------------------------------------------------
 * Reading the flat form: every reader validates as it goes
 * ---------------------------------------------------------------------
 */

typedef struct ActivityReader
{
	const ActivitySummary *s;
	const uint8 *p;
	const uint8 *end;
	int32		remaining;		/* users not read yet */
	ActivityKey key;			/* the current user */
	ActivityRun *runs;			/* its runs */
	int32		nruns;
	int32		runs_capacity;
	int64		min_day;		/* seen so far */
	int64		max_day;
} ActivityReader;

/* Check the header of a summary that reached a function */
static const ActivitySummary *
activity_check_header(const ActivitySummary *s)
{
	Size		size = VARSIZE(s);

	if (size < ACTIVITY_HEADER_SIZE || s->version != ACTIVITY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid activity_summary value"),
				 errdetail("The value has size %zu and version %u.",
						   size, (unsigned) (size >= ACTIVITY_HEADER_SIZE ? s->version : 0))));
	if (s->kind < ACTIVITY_KIND_BIGINT || s->kind > ACTIVITY_KIND_TEXT)
		activity_invalid("The id kind is unknown.");
	if ((s->flags & ~ACTIVITY_FLAG_TIME) != 0 || s->unused != 0 || s->unused2 != 0)
		activity_invalid("Reserved fields are not zero.");
	if (s->users < 1 || s->users > ACTIVITY_MAX_USERS)
		activity_invalid("The user count is out of range.");
	if (!csm_day_in_range(s->first_day) || !csm_day_in_range(s->last_day) ||
		s->first_day > s->last_day)
		activity_invalid("The first and last days are out of range.");
	if (s->time_us < 0 || (!(s->flags & ACTIVITY_FLAG_TIME) && s->time_us != 0))
		activity_invalid("The time spent is out of range.");
	return s;
}

#define DatumGetActivitySummaryP(X) \
	activity_check_header((ActivitySummary *) PG_DETOAST_DATUM(X))
#define PG_GETARG_ACTIVITY_P(n) DatumGetActivitySummaryP(PG_GETARG_DATUM(n))

static void
activity_reader_init(ActivityReader *r, const ActivitySummary *s)
{
	r->s = s;
	r->p = s->data;
	r->end = (const uint8 *) s + VARSIZE(s);
	r->remaining = s->users;
	r->key.hi = 0;
	r->key.lo = 0;
	r->runs_capacity = 16;
	r->runs = palloc(r->runs_capacity * sizeof(ActivityRun));
	r->nruns = 0;
	r->min_day = PG_INT64_MAX;
	r->max_day = PG_INT64_MIN;
}

/* A varint of more than one byte, or at the end of the value */
static pg_noinline uint64
activity_get_long_varint(ActivityReader *r)
{
	uint64		v = 0;
	int			shift = 0;

	for (;;)
	{
		uint8		b;

		if (unlikely(r->p >= r->end))
			activity_invalid("The value ends inside a user.");
		b = *r->p++;
		if (unlikely(shift == 63 && (b & 0x7E) != 0))
			activity_invalid("A number is too large.");
		v |= (uint64) (b & 0x7F) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
		if (unlikely(shift > 63))
			activity_invalid("A number is too large.");
	}
}

/* The next varint: most are one byte (small key differences, gaps, lengths) */
static inline uint64
activity_get_varint(ActivityReader *r)
{
	if (likely(r->p < r->end && *r->p < 0x80))
		return *r->p++;
	return activity_get_long_varint(r);
}

/* After the last user: the whole value must have been read */
static void
activity_reader_end(const ActivityReader *r)
{
	const ActivitySummary *s = r->s;

	if (r->p != r->end)
		activity_invalid("Bytes follow the last user.");
	if (r->min_day != s->first_day || r->max_day != s->last_day)
		activity_invalid("The first or last day does not match the users' days.");
}

/* Read the key of the next user (one remains) into r->key */
static inline void
activity_read_key(ActivityReader *r)
{
	const ActivitySummary *s = r->s;
	bool		first = r->remaining == s->users;
	ActivityKey key;
	uint64		d;

	Assert(r->remaining > 0);
	r->remaining--;
	d = activity_get_varint(r);
	if (s->kind == ACTIVITY_KIND_UUID)
	{
		uint64		lo = activity_get_varint(r);

		if (d == 0)
		{
			if (lo == 0 && !first)
				activity_invalid("The users are not in strictly increasing order.");
			key.hi = r->key.hi;
			if (lo > PG_UINT64_MAX - r->key.lo)
				activity_invalid("A key is out of range.");
			key.lo = r->key.lo + lo;
		}
		else
		{
			if (d > PG_UINT64_MAX - r->key.hi)
				activity_invalid("A key is out of range.");
			key.hi = r->key.hi + d;
			key.lo = lo;
		}
	}
	else
	{
		if (d == 0 && !first)
			activity_invalid("The users are not in strictly increasing order.");
		if (d > PG_UINT64_MAX - r->key.lo)
			activity_invalid("A key is out of range.");
		key.hi = 0;
		key.lo = r->key.lo + d;
	}
	r->key = key;
}

/*
 * Read the next user into r->key and r->runs; false after the last one,
 * when the whole value has been checked.
 */
static bool
activity_next_user(ActivityReader *r)
{
	const ActivitySummary *s = r->s;

	if (r->remaining == 0)
	{
		activity_reader_end(r);
		return false;
	}
	activity_read_key(r);

	if (s->first_day == s->last_day)
	{
		r->nruns = 1;
		r->runs[0].from = r->runs[0].to = s->first_day;
	}
	else
	{
		uint64		n = activity_get_varint(r);
		int64		prev_to = 0;

		if (n < 1 || n > (uint64) (r->end - r->p) / 2)
			activity_invalid("A user has an impossible number of runs.");
		if ((int32) n > r->runs_capacity)
		{
			r->runs_capacity = (int32) n;
			r->runs = repalloc_huge(r->runs, n * sizeof(ActivityRun));
		}
		r->nruns = (int32) n;
		for (int32 i = 0; i < (int32) n; i++)
		{
			uint64		gap = activity_get_varint(r);
			uint64		len = activity_get_varint(r);
			int64		start = i == 0 ? (int64) s->first_day : prev_to + 2;
			int64		room = (int64) s->last_day - start;

			/* the run must end by last_day: checked before anything uses it */
			if (room < 0 || gap > (uint64) room || len > (uint64) room - gap)
				activity_invalid("A run lies outside the summary's days.");
			r->runs[i].from = (int32) (start + (int64) gap);
			r->runs[i].to = (int32) (r->runs[i].from + (int64) len);
			prev_to = r->runs[i].to;
		}
	}
	r->min_day = Min(r->min_day, r->runs[0].from);
	r->max_day = Max(r->max_day, r->runs[r->nruns - 1].to);
	return true;
}

/* ---------------------------------------------------------------------
 * Building a flat value from sorted users (text and binary input)
 * ---------------------------------------------------------------------
 */

typedef struct ActivityBuild
{
	uint8		kind;
	bool		has_time;
	int64		time_us;
	int32		users;
	int32		capacity;
	ActivityKey *keys;
	int32	   *run_start;		/* users + 1 offsets into runs */
	ActivityRun *runs;
	int32		nruns;
	int32		runs_capacity;
} ActivityBuild;

static void
activity_build_init(ActivityBuild *b, int32 capacity)
{
	memset(b, 0, sizeof(*b));
	b->capacity = Max(capacity, 4);
	b->keys = palloc_extended((Size) b->capacity * sizeof(ActivityKey), MCXT_ALLOC_HUGE);
	b->run_start = palloc_extended(((Size) b->capacity + 1) * sizeof(int32), MCXT_ALLOC_HUGE);
	b->run_start[0] = 0;
	b->runs_capacity = 16;
	b->runs = palloc(b->runs_capacity * sizeof(ActivityRun));
}

/* Start a user (its key), before its runs */
static void
activity_build_user(ActivityBuild *b, const ActivityKey *key)
{
	if (b->users == b->capacity)
	{
		if (b->capacity >= ACTIVITY_MAX_USERS / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many users in an activity summary")));
		b->capacity *= 2;
		/* huge: 16 bytes a user pass 1 GB long before ACTIVITY_MAX_USERS */
		b->keys = repalloc_huge(b->keys, (Size) b->capacity * sizeof(ActivityKey));
		b->run_start = repalloc_huge(b->run_start, ((Size) b->capacity + 1) * sizeof(int32));
	}
	b->keys[b->users++] = *key;
	b->run_start[b->users] = b->nruns;
}

static void
activity_build_run(ActivityBuild *b, int32 from, int32 to)
{
	if (b->nruns == b->runs_capacity)
	{
		if (b->runs_capacity >= ACTIVITY_MAX_RUNS / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many runs in an activity summary")));
		b->runs_capacity *= 2;
		b->runs = repalloc_huge(b->runs, (Size) b->runs_capacity * sizeof(ActivityRun));
	}
	b->runs[b->nruns].from = from;
	b->runs[b->nruns].to = to;
	b->nruns++;
	b->run_start[b->users] = b->nruns;
}

/*
 * What is wrong with the users collected, or NULL: keys strictly
 * increasing, every user with a run, runs valid, ordered and not touching.
 */
static const char *
activity_build_problem(const ActivityBuild *b)
{
	if (b->users < 1)
		return "An activity summary holds at least one user.";
	if (b->time_us < 0 || (!b->has_time && b->time_us != 0))
		return "The time spent is out of range.";
	for (int32 u = 0; u < b->users; u++)
	{
		if (b->kind != ACTIVITY_KIND_UUID && b->keys[u].hi != 0)
			return "A key is out of range.";
		if (u > 0 && activity_key_cmp_keys(&b->keys[u - 1], &b->keys[u]) >= 0)
			return "The users are not in strictly increasing order.";
		if (b->run_start[u + 1] == b->run_start[u])
			return "A user has no active day.";
		for (int32 i = b->run_start[u]; i < b->run_start[u + 1]; i++)
		{
			const ActivityRun *run = &b->runs[i];

			if (!csm_day_in_range(run->from) || !csm_day_in_range(run->to) ||
				run->from > run->to)
				return "A run of days is out of range or ends before it starts.";
			if (i > b->run_start[u] && (int64) run->from <= (int64) b->runs[i - 1].to + 1)
				return "A user's runs of days are not in order or touch.";
		}
	}
	return NULL;
}

/* The flat value of checked users */
static ActivitySummary *
activity_build_flat(const ActivityBuild *b)
{
	DateADT		first_day = PG_INT32_MAX;
	DateADT		last_day = PG_INT32_MIN;
	ActivityWriter w;
	ActivitySummary *s;
	Size		size;

	for (int32 u = 0; u < b->users; u++)
	{
		first_day = Min(first_day, b->runs[b->run_start[u]].from);
		last_day = Max(last_day, b->runs[b->run_start[u + 1] - 1].to);
	}
	activity_writer_init(&w, NULL, b->kind, first_day, last_day);
	for (int32 u = 0; u < b->users; u++)
		activity_put_user(&w, &b->keys[u], &b->runs[b->run_start[u]],
						  b->run_start[u + 1] - b->run_start[u]);
	size = ACTIVITY_HEADER_SIZE + w.len;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("activity summary too large")));
	s = palloc0(size);
	activity_header(s, size, b->kind, b->has_time, b->time_us, b->users,
					first_day, last_day);
	activity_writer_init(&w, s->data, b->kind, first_day, last_day);
	for (int32 u = 0; u < b->users; u++)
		activity_put_user(&w, &b->keys[u], &b->runs[b->run_start[u]],
						  b->run_start[u + 1] - b->run_start[u]);
	Assert(ACTIVITY_HEADER_SIZE + w.len == size);
	return s;
}

/* ---------------------------------------------------------------------
 * The aggregate state: sorted batches of rows and pending flat summaries
 * on the cell map's expanded object (see the file header)
 * ---------------------------------------------------------------------
 */

typedef struct ActivityMap
{
	CsmCellMap	map;			/* the expanded object; no cells (see above) */
	uint8		kind;			/* 0 until the first user */
	bool		has_time;
	int64		time_us;
	/* sorted flat summaries: merged ones, and full batches of rows */
	int32		npending;
	int32		pending_capacity;
	ActivitySummary **pending;
	ActivitySummary *merged;	/* the flat form, NULL when out of date */
	/* the batch of rows not yet sorted: nrows rows of row_width words */
	uint64	   *rows;
	int32		nrows;
	int32		rows_capacity;
	int32		row_width;
} ActivityMap;

/*
 * Rows in a batch: sorted into a flat summary of its own when it is full.
 * A batch of this many rows is 16 MB (24 MB for uuid ids), and its sort
 * needs a second buffer of the batch's size for as long as it runs
 * (packed or not, see activity_sort_batch); a group starts with room
 * for a few rows and doubles up to it.  Batches of 1M rows rather than
 * 256k: the radix sort's cost grows in proportion to the rows, and fewer,
 * larger batches leave fewer users to merge (50 million events make 48
 * batches, merged once, instead of 191 merged in four rounds).  Beyond
 * ACTIVITY_MAX_PENDING pending summaries, they are merged into one, so
 * that memory stays proportional to the distinct (user, day) pairs, not
 * to the rows.
 *
 * A row is a few 64-bit words in the order of (user key, day), sorted by
 * the radix sort of rowsort.h: the key's words, then the day as the
 * unsigned word (uint32) day xor 2^31 (in the day's order).  A uuid key
 * takes two words (hi, lo); a bigint or text key one (lo: its hi is
 * always 0), so their rows are 16 bytes instead of 24 and the sort moves
 * less.  The id kinds differ only there: the rows' width.
 */
#define ACTIVITY_ROW_BATCH		(1024 * 1024)
#define ACTIVITY_MAX_PENDING	64
#define ACTIVITY_DAY_FLIP		UINT64CONST(0x80000000)

static void activity_map_rows_to_pending(ActivityMap *am);
static ActivitySummary *activity_map_merge_all(ActivityMap *am);

static void
activity_map_kind(ActivityMap *am, uint8 kind)
{
	if (am->kind == 0)
		am->kind = kind;
	else if (unlikely(am->kind != kind))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge activity summaries of %s ids and %s ids",
						activity_kind_names[am->kind], activity_kind_names[kind])));
}

static inline void
activity_map_time(ActivityMap *am, int64 time_us)
{
	if (unlikely(pg_add_s64_overflow(am->time_us, time_us, &am->time_us)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("time spent out of range in activity_summary"),
				 errdetail("The total time spent cannot exceed %lld microseconds.",
						   (long long) PG_INT64_MAX)));
	am->has_time = true;
}

/* Add a row to the batch (flushed first when full) */
static inline void
activity_map_add_row(ActivityMap *am, const ActivityKey *key, DateADT day)
{
	uint64		row[3];
	int32		width;
	uint64	   *out;

	/* a uuid key is 128 bits; bigint and text keys fit in one word */
	if (am->kind == ACTIVITY_KIND_UUID)
	{
		row[0] = key->hi;
		row[1] = key->lo;
		width = 3;
	}
	else
	{
		row[0] = key->lo;
		width = 2;
	}
	row[width - 1] = (uint64) (uint32) day ^ ACTIVITY_DAY_FLIP;

	/*
	 * The same user and day as the row before: nothing to add.  Cheap, and
	 * common in events stored in order of user or of time.
	 */
	if (am->nrows > 0)
	{
		const uint64 *last = am->rows + (Size) (am->nrows - 1) * width;
		int32		j = 0;

		while (j < width && last[j] == row[j])
			j++;
		if (j == width)
			return;
	}
	if (unlikely(am->nrows == am->rows_capacity))
	{
		if (am->rows_capacity >= ACTIVITY_ROW_BATCH)
			activity_map_rows_to_pending(am);
		else
		{
			int32		capacity = Max(8, am->rows_capacity * 2);
			Size		bytes = (Size) capacity * width * sizeof(uint64);

			if (am->rows == NULL)
				am->rows = MemoryContextAlloc(csm_cellmap_context(&am->map), bytes);
			else
				am->rows = repalloc(am->rows, bytes);
			am->rows_capacity = capacity;
			am->row_width = width;
		}
	}
	out = am->rows + (Size) am->nrows * width;
	for (int j = 0; j < width; j++)
		out[j] = row[j];
	am->nrows++;
}

/*
 * The map changed: its flat form is out of date (it stays as the one
 * pending summary it replaced, see activity_map_merged)
 */
static inline void
activity_map_changed(ActivityMap *am)
{
	am->merged = NULL;
}

/* Add a flat summary (in the map's context) to the pending ones */
static void
activity_map_add_pending(ActivityMap *am, ActivitySummary *flat)
{
	if (am->npending == am->pending_capacity)
	{
		MemoryContext cxt = csm_cellmap_context(&am->map);
		int32		capacity = Max(8, am->pending_capacity * 2);

		if (am->pending == NULL)
			am->pending = MemoryContextAlloc(cxt, capacity * sizeof(ActivitySummary *));
		else
			am->pending = repalloc(am->pending, capacity * sizeof(ActivitySummary *));
		am->pending_capacity = capacity;
	}
	am->pending[am->npending++] = flat;
	if (am->npending >= ACTIVITY_MAX_PENDING)
	{
		/* merge them into one (the value does not change) */
		ActivitySummary *merged = activity_map_merge_all(am);

		for (int32 i = 0; i < am->npending; i++)
			pfree(am->pending[i]);
		am->pending[0] = merged;
		am->npending = 1;
	}
}

/*
 * The merge callback: keep a copy of a flat summary, to be merged with the
 * cells and the other summaries in one pass when the state is flattened
 * (activity_map_merged).  Merging sorted summaries stream by stream reads
 * each once, in order; adding each user's days to the hash table would
 * cost a random memory access per user and summary.
 */
static void
activity_map_merge(CsmCellMap *map, Datum flat)
{
	ActivityMap *am = (ActivityMap *) map;
	const ActivitySummary *s = DatumGetActivitySummaryP(flat);
	MemoryContext cxt = csm_cellmap_context(map);
	ActivitySummary *copy;

	activity_map_kind(am, s->kind);
	if (s->flags & ACTIVITY_FLAG_TIME)
		activity_map_time(am, s->time_us);
	copy = MemoryContextAlloc(cxt, VARSIZE(s));
	memcpy(copy, s, VARSIZE(s));
	activity_map_add_pending(am, copy);
	activity_map_changed(am);
}

static int
activity_run_cmp(const void *a, const void *b)
{
	const ActivityRun *x = a;
	const ActivityRun *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/* Runs of a user in order of start (insertion sort: few, mostly in order) */
static void
activity_sort_runs(ActivityRun *runs, int32 nruns)
{
	if (nruns > 64)
	{
		qsort(runs, nruns, sizeof(ActivityRun), activity_run_cmp);
		return;
	}
	for (int32 i = 1; i < nruns; i++)
	{
		ActivityRun run = runs[i];
		int32		j = i;

		while (j > 0 && runs[j - 1].from > run.from)
		{
			runs[j] = runs[j - 1];
			j--;
		}
		runs[j] = run;
	}
}

/*
 * The streams of a merge (at most 64, see activity_map_merge_all), in the
 * order their runs are gathered: stream i reads r[i], whose current user
 * has the key (hi[i], lo[i]) while bit i of alive is set; a stream that
 * ended has the key (2^64 - 1, 2^64 - 1) and its bit cleared.  The keys are
 * kept apart from the readers so that the next user is found by tight
 * loops over two small arrays.
 */
typedef struct ActivityStreams
{
	int32		n;
	bool		wide;			/* uuid keys: hi counts */
	uint64		alive;
	ActivityReader *r[64];
	uint64		hi[64];
	uint64		lo[64];
} ActivityStreams;

/*
 * The next user of the merge, into *key, and the mask of the streams at it
 * (0 when every stream has ended).  Bigint and text keys have hi = 0 (see
 * the file header), so for them lo alone decides: a run of branch-free
 * minimums and comparisons.  An ended stream's key is the largest there is
 * and its bit is not alive, so it is never taken, even when a live stream
 * is at that key too.
 */
static inline uint64
activity_streams_next(const ActivityStreams *st, ActivityKey *key)
{
	uint64		mask = 0;

	key->hi = st->hi[0];
	key->lo = st->lo[0];
	if (!st->wide)
	{
		key->hi = 0;
		for (int32 i = 1; i < st->n; i++)
			key->lo = Min(key->lo, st->lo[i]);
		for (int32 i = 0; i < st->n; i++)
			mask |= (uint64) (st->lo[i] == key->lo) << i;
	}
	else
	{
		for (int32 i = 1; i < st->n; i++)
			if (st->hi[i] < key->hi || (st->hi[i] == key->hi && st->lo[i] < key->lo))
			{
				key->hi = st->hi[i];
				key->lo = st->lo[i];
			}
		for (int32 i = 0; i < st->n; i++)
			mask |= (uint64) (st->lo[i] == key->lo && st->hi[i] == key->hi) << i;
	}
	return mask & st->alive;
}

/* Stream i has read its next user (its key), or has ended */
static inline void
activity_streams_moved(ActivityStreams *st, int32 i, bool more)
{
	if (more)
	{
		st->hi[i] = st->r[i]->key.hi;
		st->lo[i] = st->r[i]->key.lo;
	}
	else
	{
		st->hi[i] = PG_UINT64_MAX;
		st->lo[i] = PG_UINT64_MAX;
		st->alive &= ~(UINT64CONST(1) << i);
	}
}

/*
 * Merge streams of any summaries: every stream at the user gives its runs
 * (in stream order) and reads its next user; the runs are sorted when they
 * came out of order, then united.  The users written, counted.
 */
static int64
activity_merge_runs(ActivityStreams *st, ActivityWriter *w)
{
	int32		runs_capacity = 64;
	ActivityRun *runs = palloc(runs_capacity * sizeof(ActivityRun));
	int64		users = 0;
	ActivityKey key;
	uint64		mask;

	for (int32 i = 0; i < st->n; i++)
		activity_streams_moved(st, i, activity_next_user(st->r[i]));
	while ((mask = activity_streams_next(st, &key)) != 0)
	{
		int32		nruns = 0;
		int32		out = 0;
		bool		sorted = true;

		for (; mask != 0; mask &= mask - 1)
		{
			int32		i = pg_rightmost_one_pos64(mask);
			ActivityReader *s = st->r[i];

			if (nruns + s->nruns > runs_capacity)
			{
				runs_capacity = Max(runs_capacity * 2, nruns + s->nruns);
				runs = repalloc(runs, runs_capacity * sizeof(ActivityRun));
			}
			/* a stream's own runs are in order; do they follow the others'? */
			if (nruns > 0 && s->runs[0].from < runs[nruns - 1].from)
				sorted = false;
			memcpy(runs + nruns, s->runs, s->nruns * sizeof(ActivityRun));
			nruns += s->nruns;
			activity_streams_moved(st, i, activity_next_user(s));
		}
		if (!sorted)
			activity_sort_runs(runs, nruns);
		/* united: overlapping or touching runs joined */
		for (int32 i = 1; i < nruns; i++)
		{
			if ((int64) runs[i].from <= (int64) runs[out].to + 1)
				runs[out].to = Max(runs[out].to, runs[i].to);
			else
				runs[++out] = runs[i];
		}
		activity_put_user(w, &key, runs, out + 1);
		if ((++users & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return users;
}

/*
 * Merge streams of one-day summaries (first_day = last_day in each, the
 * common rollup of daily summaries): every user of a stream was active on
 * its day, so only the keys are read, and the mask of the streams at a user
 * is its days.  The streams are in order of day, so the days come in
 * order: when the days are consecutive and distinct (stream i on day
 * day0 + i), each run of set bits of the mask is a run of days; otherwise
 * the days are taken bit by bit and joined when they touch or repeat.  The
 * users written, counted.
 */
static int64
activity_merge_days(ActivityStreams *st, ActivityWriter *w)
{
	ActivityRun runs[64];
	DateADT		day[64];
	bool		consecutive = true;
	int64		users = 0;
	ActivityKey key;
	uint64		mask;

	for (int32 i = 0; i < st->n; i++)
	{
		ActivityReader *s = st->r[i];

		day[i] = s->s->first_day;
		if ((int64) day[i] != (int64) day[0] + i)
			consecutive = false;
		/* what activity_next_user would record: every user is on the day */
		s->min_day = s->max_day = day[i];
		Assert(s->remaining > 0);	/* a summary has a user */
		activity_read_key(s);
		activity_streams_moved(st, i, true);
	}
	while ((mask = activity_streams_next(st, &key)) != 0)
	{
		int32		nruns = 0;

		if (consecutive)
		{
			for (uint64 m = mask; m != 0;)
			{
				int32		from = pg_rightmost_one_pos64(m);
				uint64		rest = ~(m >> from);	/* 0 below the run's end */
				int32		len = rest == 0 ? 64 : pg_rightmost_one_pos64(rest);

				runs[nruns].from = day[0] + from;
				runs[nruns++].to = day[0] + from + len - 1;
				m = from + len == 64 ? 0 : m & ~((UINT64CONST(1) << (from + len)) - 1);
			}
		}
		else
		{
			for (uint64 m = mask; m != 0; m &= m - 1)
			{
				DateADT		d = day[pg_rightmost_one_pos64(m)];

				if (nruns > 0 && (int64) d <= (int64) runs[nruns - 1].to + 1)
					runs[nruns - 1].to = Max(runs[nruns - 1].to, d);
				else
				{
					runs[nruns].from = d;
					runs[nruns++].to = d;
				}
			}
		}
		activity_put_user(w, &key, runs, nruns);
		for (; mask != 0; mask &= mask - 1)
		{
			int32		i = pg_rightmost_one_pos64(mask);
			ActivityReader *s = st->r[i];

			if (s->remaining > 0)
			{
				activity_read_key(s);
				activity_streams_moved(st, i, true);
			}
			else
			{
				activity_reader_end(s);
				activity_streams_moved(st, i, false);
			}
		}
		if ((++users & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return users;
}

/*
 * The flat form of the whole state: every pending summary, merged user by
 * user in key order, each user's runs united.  Every stream is validated as
 * it is read.
 *
 * There are at most ACTIVITY_MAX_PENDING (64) streams, so the next user is
 * found by a scan of the streams' current keys, once per distinct user,
 * which gives the mask of the streams at that user; each of them gives its
 * days and moves on.  For daily summaries of one user base, where a user
 * is in many streams, this costs less than a heap's comparisons for every
 * stream of every user, and at most 64 steps per user otherwise.  The
 * streams are taken in order of first day, so that the days of one-day
 * summaries come in order (activity_merge_days), and the runs of others
 * mostly do.
 */
static ActivitySummary *
activity_map_merge_all(ActivityMap *am)
{
	MemoryContext cxt = csm_cellmap_context(&am->map);
	int32		n = am->npending;
	ActivityReader *r = palloc(Max(n, 1) * sizeof(ActivityReader));
	ActivityStreams st;
	bool		one_day = true;
	DateADT		first_day = PG_INT32_MAX;
	DateADT		last_day = PG_INT32_MIN;
	ActivityWriter w;
	int64		users;
	ActivitySummary *result;

	StaticAssertStmt(ACTIVITY_MAX_PENDING <= lengthof(st.r),
					 "a merge takes at most 64 streams");
	if (n == 0 || n > ACTIVITY_MAX_PENDING)
		elog(ERROR, "activity_summary state of %d summaries", n);
	st.n = n;
	st.wide = am->kind == ACTIVITY_KIND_UUID;
	st.alive = n == 64 ? PG_UINT64_MAX : (UINT64CONST(1) << n) - 1;
	for (int32 i = 0; i < n; i++)
	{
		const ActivitySummary *s = activity_check_header(am->pending[i]);
		int32		j = i;

		if (s->kind != am->kind)
			elog(ERROR, "activity_summary state of mixed id kinds");
		first_day = Min(first_day, s->first_day);
		last_day = Max(last_day, s->last_day);
		one_day = one_day && s->first_day == s->last_day;
		activity_reader_init(&r[i], s);
		/* in order of first day; after the streams of the same day */
		while (j > 0 && st.r[j - 1]->s->first_day > s->first_day)
		{
			st.r[j] = st.r[j - 1];
			j--;
		}
		st.r[j] = &r[i];
	}

	activity_writer_init(&w, NULL, am->kind, first_day, last_day);
	w.growable = true;
	w.cap = 1024;
	for (int32 i = 0; i < n; i++)
		w.cap += VARSIZE(am->pending[i]);
	w.cap = Min(w.cap, MaxAllocSize / 2);
	w.buf = palloc(w.cap);

	users = one_day ? activity_merge_days(&st, &w) : activity_merge_runs(&st, &w);
	if (users > ACTIVITY_MAX_USERS || w.len > MaxAllocSize - ACTIVITY_HEADER_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("activity summary too large"),
				 errhint("Summarise fewer days or fewer users at a time.")));
	result = MemoryContextAllocZero(cxt, ACTIVITY_HEADER_SIZE + w.len);
	activity_header(result, ACTIVITY_HEADER_SIZE + w.len, am->kind, am->has_time,
					am->time_us, (int32) users, first_day, last_day);
	memcpy(result->data, w.buf, w.len);
	return result;
}

/* The user key and the day of a row of the batch */
static inline void
activity_row_key(const uint64 *row, int32 width, ActivityKey *key)
{
	key->hi = width == 3 ? row[0] : 0;
	key->lo = row[width - 2];
}

static inline DateADT
activity_row_day(const uint64 *row, int32 width)
{
	return (DateADT) (int32) (uint32) (row[width - 1] ^ ACTIVITY_DAY_FLIP);
}

/* Bits of v: 0 for 0, else one more than the position of its top bit */
static inline int
activity_bits(uint64 v)
{
	return v == 0 ? 0 : pg_leftmost_one_pos64(v) + 1;
}

/*
 * Sort the batch of rows; returns them (in am->rows or in scratch, room for
 * as many rows).  Rows of 64-bit keys are packed into one word when the
 * spreads of their keys and days fit in 64 bits together: with kmin and
 * dmin the least key and day word, a row (k, d) becomes
 *	  ((k - kmin) << dbits) | (d - dmin),
 * where dbits is the number of bits of the largest d - dmin, which orders
 * the packed words as the rows (key first, then day) and loses nothing.
 * Ids from a range of a million and days within a year take 20 + 9 bits,
 * so the radix sort moves 8 bytes a row instead of 16, in the same 3
 * passes.  The sorted words are unpacked into am->rows.
 */
static uint64 *
activity_sort_batch(ActivityMap *am, uint64 *scratch)
{
	Size		n = am->nrows;
	uint64	   *rows = am->rows;
	uint64		kmin = PG_UINT64_MAX,
				kmax = 0,
				dmin = PG_UINT64_MAX,
				dmax = 0;
	int			dbits;
	uint64		dmask;
	uint64	   *packed;

	if (am->row_width != 2)
		return csm_rowsort(rows, scratch, n, am->row_width);
	for (Size i = 0; i < n; i++)
	{
		kmin = Min(kmin, rows[2 * i]);
		kmax = Max(kmax, rows[2 * i]);
		dmin = Min(dmin, rows[2 * i + 1]);
		dmax = Max(dmax, rows[2 * i + 1]);
	}
	dbits = activity_bits(dmax - dmin);
	if (activity_bits(kmax - kmin) + dbits > 64)
		return csm_rowsort(rows, scratch, n, 2);
	/* dbits is at most 32: day words are below 2^32 */
	dmask = (UINT64CONST(1) << dbits) - 1;
	for (Size i = 0; i < n; i++)
		scratch[i] = ((rows[2 * i] - kmin) << dbits) | (rows[2 * i + 1] - dmin);
	packed = csm_rowsort(scratch, scratch + n, n, 1);
	for (Size i = 0; i < n; i++)
	{
		rows[2 * i] = kmin + (packed[i] >> dbits);
		rows[2 * i + 1] = dmin + (packed[i] & dmask);
	}
	return rows;
}

/*
 * Move the batch of rows to the pending summaries as a flat summary of its
 * own (sorted, each user's days as runs), written as the rows are read, so
 * that flattening the state merges it with the other summaries.
 */
static void
activity_map_rows_to_pending(ActivityMap *am)
{
	int32		width = am->row_width;
	Size		n = am->nrows;
	uint64	   *scratch = palloc(n * width * sizeof(uint64));
	uint64	   *rows;
	DateADT		first_day = PG_INT32_MAX;
	DateADT		last_day = PG_INT32_MIN;
	ActivityWriter w;
	int32		runs_capacity = 64;
	ActivityRun *runs = palloc(runs_capacity * sizeof(ActivityRun));
	int32		users = 0;
	Size		i = 0;
	Size		size;
	ActivitySummary *flat;

	Assert(n > 0);
	rows = activity_sort_batch(am, scratch);
	for (Size r = 0; r < n; r++)
	{
		DateADT		day = activity_row_day(rows + r * width, width);

		first_day = Min(first_day, day);
		last_day = Max(last_day, day);
	}
	activity_writer_init(&w, NULL, am->kind, first_day, last_day);
	w.growable = true;
	w.cap = n * 4 + 64;
	w.buf = palloc(w.cap);
	while (i < n)
	{
		ActivityKey key;
		ActivityKey next;
		DateADT		day = activity_row_day(rows + i * width, width);
		int32		nruns = 1;

		/* the user's days, in order (a day may repeat): its runs */
		activity_row_key(rows + i * width, width, &key);
		runs[0].from = runs[0].to = day;
		for (i++; i < n; i++)
		{
			activity_row_key(rows + i * width, width, &next);
			if (next.hi != key.hi || next.lo != key.lo)
				break;
			day = activity_row_day(rows + i * width, width);
			if ((int64) day <= (int64) runs[nruns - 1].to + 1)
				runs[nruns - 1].to = Max(runs[nruns - 1].to, day);
			else
			{
				if (nruns == runs_capacity)
				{
					runs_capacity *= 2;
					runs = repalloc(runs, runs_capacity * sizeof(ActivityRun));
				}
				runs[nruns].from = runs[nruns].to = day;
				nruns++;
			}
		}
		activity_put_user(&w, &key, runs, nruns);
		users++;
	}
	/* at most ACTIVITY_ROW_BATCH users, of a few bytes each */
	size = ACTIVITY_HEADER_SIZE + w.len;
	flat = MemoryContextAlloc(csm_cellmap_context(&am->map), size);
	memset(flat, 0, ACTIVITY_HEADER_SIZE);
	activity_header(flat, size, am->kind, false, 0, users, first_day, last_day);
	memcpy(flat->data, w.buf, w.len);
	pfree(w.buf);
	pfree(runs);
	pfree(scratch);
	activity_map_add_pending(am, flat);
	am->nrows = 0;
}

/*
 * The flat form of the whole state, which then replaces the pending
 * summaries (a window aggregate flattens its state at every row and goes
 * on adding to it)
 */
static ActivitySummary *
activity_map_merged(ActivityMap *am)
{
	ActivitySummary *merged;

	if (am->nrows > 0)
		activity_map_rows_to_pending(am);
	merged = activity_map_merge_all(am);
	for (int32 i = 0; i < am->npending; i++)
		pfree(am->pending[i]);
	am->pending[0] = merged;
	am->npending = 1;
	return merged;
}

static Size
activity_map_flat_size(CsmCellMap *map)
{
	ActivityMap *am = (ActivityMap *) map;

	if (am->merged == NULL)
		am->merged = activity_map_merged(am);
	return VARSIZE(am->merged);
}

static void
activity_map_flatten(CsmCellMap *map, void *result, Size size)
{
	ActivityMap *am = (ActivityMap *) map;

	if (am->merged == NULL)
		am->merged = activity_map_merged(am);
	Assert(size == VARSIZE(am->merged));
	memcpy(result, am->merged, size);
}

/*
 * The state: the cell map's expanded object and shared memory context; its
 * cells (a user key each) are not used, see the header comment
 */
static const CsmCellMapType activity_map_type = {
	"activity_summary", sizeof(ActivityMap), sizeof(ActivityKey), sizeof(int64),
	activity_key_cmp, activity_map_merge, activity_map_flat_size, activity_map_flatten
};

/* ---------------------------------------------------------------------
 * Aggregate support
 * ---------------------------------------------------------------------
 */

/* Microseconds of a time spent: months of 30 days, days of 24 hours */
static int64
activity_time_us(const Interval *span)
{
	int64		us;
	int64		part;

#ifdef INTERVAL_NOT_FINITE
	if (INTERVAL_NOT_FINITE(span))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time spent must be finite")));
#endif
	if (pg_mul_s64_overflow((int64) span->month, (int64) DAYS_PER_MONTH * USECS_PER_DAY, &us) ||
		pg_mul_s64_overflow((int64) span->day, USECS_PER_DAY, &part) ||
		pg_add_s64_overflow(us, part, &us) ||
		pg_add_s64_overflow(us, span->time, &us))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("time spent out of range")));
	if (us < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time spent must not be negative")));
	return us;
}

/* One row: the user active on the day, with an optional time spent */
static Datum
activity_add(FunctionCallInfo fcinfo, uint8 kind, const ActivityKey *key,
			 const char *funcname)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, funcname);
	DateADT		day = PG_GETARG_DATEADT(2);
	bool		has_time = PG_NARGS() > 3 && !PG_ARGISNULL(3);
	int64		time_us = 0;
	ActivityMap *am;

	csm_check_cohort_date(day, "active_on");
	if (has_time)
		time_us = activity_time_us(PG_GETARG_INTERVAL_P(3));
	am = (ActivityMap *) csm_cellmap_state(fcinfo, &activity_map_type, aggcontext);
	activity_map_kind(am, kind);
	activity_map_changed(am);
	if (has_time)
		activity_map_time(am, time_us);
	activity_map_add_row(am, key, day);
	return csm_cellmap_datum(&am->map);
}

/* Transition of activity_agg(bigint, date [, interval]) */
PG_FUNCTION_INFO_V1(activity_summary_add_bigint);
Datum
activity_summary_add_bigint(PG_FUNCTION_ARGS)
{
	ActivityKey key;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);	/* a NULL user or day; time may be NULL */
	key.hi = 0;
	key.lo = (uint64) PG_GETARG_INT64(1) ^ (UINT64CONST(1) << 63);
	return activity_add(fcinfo, ACTIVITY_KIND_BIGINT, &key, "activity_summary_add_bigint");
}

/* Transition of activity_agg(uuid, date [, interval]) */
PG_FUNCTION_INFO_V1(activity_summary_add_uuid);
Datum
activity_summary_add_uuid(PG_FUNCTION_ARGS)
{
	ActivityKey key;
	pg_uuid_t  *id;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);	/* a NULL user or day; time may be NULL */
	id = PG_GETARG_UUID_P(1);
	key.hi = 0;
	key.lo = 0;
	for (int i = 0; i < 8; i++)
	{
		key.hi = (key.hi << 8) | id->data[i];
		key.lo = (key.lo << 8) | id->data[i + 8];
	}
	return activity_add(fcinfo, ACTIVITY_KIND_UUID, &key, "activity_summary_add_uuid");
}

/* Transition of activity_agg(text, date [, interval]) */
PG_FUNCTION_INFO_V1(activity_summary_add_text);
Datum
activity_summary_add_text(PG_FUNCTION_ARGS)
{
	ActivityKey key;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);	/* a NULL user or day; time may be NULL */
	key.hi = 0;
	key.lo = csm_text_datum_key(PG_GETARG_DATUM(1));
	return activity_add(fcinfo, ACTIVITY_KIND_TEXT, &key, "activity_summary_add_text");
}

/*
 * Merge the second summary into the first: the combine function of
 * activity_agg() and the transition function of rollup()
 */
CSM_CELLMAP_COMBINE_FUNCTION(activity_summary_combine, activity_map_type);

/* ---------------------------------------------------------------------
 * Text and binary forms
 * ---------------------------------------------------------------------
 */

#define ACTIVITY_FORMAT_HINT "An activity_summary looks like bigint time_us=none {1:2024-01-01/2024-01-02 2024-01-05,7:2024-01-03}: the id kind, the time spent in microseconds, then each user with its active days."

static int
activity_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read n hex digits into *v (shifted in) */
static void
activity_parse_hex(CsmIoText *t, int n, uint64 *v)
{
	for (int i = 0; i < n; i++)
	{
		int			h = activity_hex_digit(*t->p);

		if (h < 0)
			csm_io_expected(t, "a hexadecimal digit");
		*v = (*v << 4) | (uint64) h;
		t->p++;
	}
}

static void
activity_parse_key(CsmIoText *t, uint8 kind, ActivityKey *key)
{
	key->hi = 0;
	key->lo = 0;
	if (kind == ACTIVITY_KIND_BIGINT)
		key->lo = (uint64) csm_io_parse_int(t, 8, true, "user id") ^ (UINT64CONST(1) << 63);
	else if (kind == ACTIVITY_KIND_TEXT)
		activity_parse_hex(t, 16, &key->lo);
	else
	{
		/* 8-4-4-4-12 */
		activity_parse_hex(t, 8, &key->hi);
		csm_io_expect(t, '-');
		activity_parse_hex(t, 4, &key->hi);
		csm_io_expect(t, '-');
		activity_parse_hex(t, 4, &key->hi);
		csm_io_expect(t, '-');
		activity_parse_hex(t, 4, &key->lo);
		csm_io_expect(t, '-');
		activity_parse_hex(t, 12, &key->lo);
	}
}

static uint8
activity_parse_kind(CsmIoText *t)
{
	for (uint8 k = ACTIVITY_KIND_BIGINT; k <= ACTIVITY_KIND_TEXT; k++)
	{
		size_t		len = strlen(activity_kind_names[k]);

		if (strncmp(t->p, activity_kind_names[k], len) == 0)
		{
			t->p += len;
			return k;
		}
	}
	csm_io_expected(t, "bigint, uuid or text");
}

/* Text input */
PG_FUNCTION_INFO_V1(activity_summary_in);
Datum
activity_summary_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	ActivityBuild b;
	const char *problem;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "activity_summary", ACTIVITY_FORMAT_HINT);
	activity_build_init(&b, 16);
	csm_io_skip_space(&t);
	b.kind = activity_parse_kind(&t);
	if (!isspace((unsigned char) *t.p))
		csm_io_expected(&t, "white space");
	csm_io_skip_space(&t);
	csm_io_expect_word(&t, "time_us=");
	if (*t.p == 'n')
		csm_io_expect_word(&t, "none");
	else
	{
		b.has_time = true;
		b.time_us = csm_io_parse_count(&t);
	}
	if (!isspace((unsigned char) *t.p))
		csm_io_expected(&t, "white space");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '{');
	do
	{
		ActivityKey key;

		csm_io_skip_space(&t);
		activity_parse_key(&t, b.kind, &key);
		if (b.users > 0 && activity_key_cmp_keys(&b.keys[b.users - 1], &key) >= 0)
			csm_io_syntax_error(&t, "The users must be in strictly increasing order of id (of key for text ids) without repeats.");
		activity_build_user(&b, &key);
		csm_io_skip_space(&t);
		csm_io_expect(&t, ':');
		csm_io_skip_space(&t);
		do
		{
			DateADT		from = csm_io_parse_date(&t);
			DateADT		to = from;

			if (csm_io_accept(&t, '/'))
				to = csm_io_parse_date(&t);
			if (to < from)
				csm_io_syntax_error(&t, "A run of days must not end before it starts.");
			if (b.run_start[b.users] > b.run_start[b.users - 1] &&
				(int64) from <= (int64) b.runs[b.nruns - 1].to + 1)
				csm_io_syntax_error(&t, "A user's runs of days must be in order, not overlapping or touching.");
			activity_build_run(&b, from, to);
			csm_io_skip_space(&t);
		} while (*t.p != ',' && *t.p != '}' && *t.p != '\0');
		csm_io_skip_space(&t);
	} while (csm_io_accept(&t, ','));
	csm_io_expect(&t, '}');
	csm_io_expect_end(&t);
	problem = activity_build_problem(&b);
	if (problem)
		csm_io_syntax_error(&t, problem);
	PG_RETURN_POINTER(activity_build_flat(&b));
}

static void
activity_format_key(StringInfo buf, uint8 kind, const ActivityKey *key)
{
	if (kind == ACTIVITY_KIND_BIGINT)
		appendStringInfo(buf, INT64_FORMAT, (int64) (key->lo ^ (UINT64CONST(1) << 63)));
	else if (kind == ACTIVITY_KIND_TEXT)
		appendStringInfo(buf, "%016" INT64_MODIFIER "x", key->lo);
	else
		appendStringInfo(buf, "%08x-%04x-%04x-%04x-%012" INT64_MODIFIER "x",
						 (uint32) (key->hi >> 32), (uint32) ((key->hi >> 16) & 0xFFFF),
						 (uint32) (key->hi & 0xFFFF), (uint32) (key->lo >> 48),
						 key->lo & UINT64CONST(0xFFFFFFFFFFFF));
}

/* Text output */
PG_FUNCTION_INFO_V1(activity_summary_out);
Datum
activity_summary_out(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	ActivityReader r;
	StringInfoData buf;
	char		date[CSM_IO_DATE_LEN];
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoString(&buf, activity_kind_names[s->kind]);
	if (s->flags & ACTIVITY_FLAG_TIME)
		appendStringInfo(&buf, " time_us=" INT64_FORMAT " {", s->time_us);
	else
		appendStringInfoString(&buf, " time_us=none {");
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
	{
		if (!first)
			appendStringInfoChar(&buf, ',');
		first = false;
		activity_format_key(&buf, s->kind, &r.key);
		appendStringInfoChar(&buf, ':');
		for (int32 i = 0; i < r.nruns; i++)
		{
			if (i > 0)
				appendStringInfoChar(&buf, ' ');
			csm_io_format_date(r.runs[i].from, date);
			appendStringInfoString(&buf, date);
			if (r.runs[i].to != r.runs[i].from)
			{
				csm_io_format_date(r.runs[i].to, date);
				appendStringInfo(&buf, "/%s", date);
			}
		}
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input; every count is bounded by the bytes sent before allocating */
PG_FUNCTION_INFO_V1(activity_summary_recv);
Datum
activity_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ActivityBuild b;
	int32		users;
	int			key_bytes;
	const char *problem;
	uint8		flags;

	uint8		kind;
	int64		time_us;

	csm_io_recv_version(buf, ACTIVITY_VERSION, "activity_summary");
	csm_io_recv_require(buf, 2 + 8, "activity_summary");
	kind = (uint8) pq_getmsgbyte(buf);
	if (kind < ACTIVITY_KIND_BIGINT || kind > ACTIVITY_KIND_TEXT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type activity_summary"),
				 errdetail("The id kind %d is unknown.", kind)));
	flags = (uint8) pq_getmsgbyte(buf);
	if ((flags & ~ACTIVITY_FLAG_TIME) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type activity_summary"),
				 errdetail("The flags %d are unknown.", flags)));
	time_us = (int64) pq_getmsgint64(buf);
	key_bytes = kind == ACTIVITY_KIND_UUID ? 16 : 8;
	users = csm_io_recv_length(buf, key_bytes + 4 + 8, ACTIVITY_MAX_USERS,
							   "user", "activity_summary");
	activity_build_init(&b, users);
	b.kind = kind;
	b.has_time = (flags & ACTIVITY_FLAG_TIME) != 0;
	b.time_us = time_us;
	for (int32 u = 0; u < users; u++)
	{
		ActivityKey key = {0, 0};
		int32		nruns;

		csm_io_recv_require(buf, key_bytes, "activity_summary");
		if (key_bytes == 16)
			key.hi = (uint64) pq_getmsgint64(buf);
		key.lo = (uint64) pq_getmsgint64(buf);
		if (key_bytes == 8 && b.kind == ACTIVITY_KIND_BIGINT)
			key.lo ^= UINT64CONST(1) << 63;
		activity_build_user(&b, &key);
		nruns = csm_io_recv_length(buf, 8, ACTIVITY_MAX_RUNS, "run", "activity_summary");
		for (int32 i = 0; i < nruns; i++)
		{
			int32		from = (int32) pq_getmsgint(buf, 4);
			int32		to = (int32) pq_getmsgint(buf, 4);

			activity_build_run(&b, from, to);
		}
	}
	problem = activity_build_problem(&b);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type activity_summary"),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(activity_build_flat(&b));
}

/* Binary output */
PG_FUNCTION_INFO_V1(activity_summary_send);
Datum
activity_summary_send(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	ActivityReader r;
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ACTIVITY_VERSION);
	pq_sendbyte(&buf, s->kind);
	pq_sendbyte(&buf, s->flags);
	pq_sendint64(&buf, s->time_us);
	pq_sendint32(&buf, s->users);
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
	{
		if (s->kind == ACTIVITY_KIND_UUID)
			pq_sendint64(&buf, r.key.hi);
		pq_sendint64(&buf, s->kind == ACTIVITY_KIND_BIGINT ?
					 r.key.lo ^ (UINT64CONST(1) << 63) : r.key.lo);
		pq_sendint32(&buf, r.nruns);
		for (int32 i = 0; i < r.nruns; i++)
		{
			pq_sendint32(&buf, r.runs[i].from);
			pq_sendint32(&buf, r.runs[i].to);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------
 */

/* Active days of the current user within [from, to) */
static inline int64
activity_days_in(const ActivityReader *r, int64 from, int64 to)
{
	int64		days = 0;

	for (int32 i = 0; i < r->nruns; i++)
	{
		int64		lo = Max((int64) r->runs[i].from, from);
		int64		hi = Min((int64) r->runs[i].to + 1, to);

		if (hi > lo)
			days += hi - lo;
	}
	return days;
}

/* A window [from, to): finite dates, to not before from (22008) */
static void
activity_check_window(DateADT from, DateADT to)
{
	if (DATE_NOT_FINITE(from) || DATE_NOT_FINITE(to))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a window of days must have finite dates")));
	if (to < from)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("window ends before it starts"),
				 errdetail("The window is [from_day, to_day): to_day must not be before from_day.")));
}

/*
 * Users active in the window and the sum of their active days in it; the
 * window of a summary without one is its own days.
 */
static void
activity_window_counts(const ActivitySummary *s, int64 from, int64 to,
					   int64 *users, int64 *user_days)
{
	ActivityReader r;

	*users = 0;
	*user_days = 0;
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
	{
		int64		days = activity_days_in(&r, from, to);

		if (days > 0)
		{
			(*users)++;
			*user_days += days;
		}
	}
}

/* active_users(summary): the users of the summary */
PG_FUNCTION_INFO_V1(activity_summary_active_users);
Datum
activity_summary_active_users(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);

	PG_RETURN_INT64(s->users);
}

/* active_users(summary, from_day, to_day): distinct users active in the window */
PG_FUNCTION_INFO_V1(activity_summary_active_users_window);
Datum
activity_summary_active_users_window(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	DateADT		from = PG_GETARG_DATEADT(1);
	DateADT		to = PG_GETARG_DATEADT(2);
	int64		users,
				user_days;

	activity_check_window(from, to);
	activity_window_counts(s, from, to, &users, &user_days);
	PG_RETURN_INT64(users);
}

/* average_daily_active_users(summary, from_day, to_day): mean DAU of every day */
PG_FUNCTION_INFO_V1(activity_summary_average_dau);
Datum
activity_summary_average_dau(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	DateADT		from = PG_GETARG_DATEADT(1);
	DateADT		to = PG_GETARG_DATEADT(2);
	int64		users,
				user_days;

	activity_check_window(from, to);
	if (to == from)
		PG_RETURN_NULL();
	activity_window_counts(s, from, to, &users, &user_days);
	PG_RETURN_FLOAT8((double) user_days / (double) ((int64) to - from));
}

/* stickiness(summary, from_day, to_day): 100 * average DAU / active users */
PG_FUNCTION_INFO_V1(activity_summary_stickiness);
Datum
activity_summary_stickiness(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	DateADT		from = PG_GETARG_DATEADT(1);
	DateADT		to = PG_GETARG_DATEADT(2);
	int64		users,
				user_days;

	activity_check_window(from, to);
	activity_window_counts(s, from, to, &users, &user_days);
	if (users == 0)
		PG_RETURN_NULL();
	/* 100 * (user_days / days) / users */
	PG_RETURN_FLOAT8(100.0 * (double) user_days /
					 ((double) ((int64) to - from) * (double) users));
}

/* daily_active_users(summary): every day from the first to the last, with its users */
PG_FUNCTION_INFO_V1(activity_summary_daily);
Datum
activity_summary_daily(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		ndays = (int64) s->last_day - s->first_day + 1;
	int64	   *delta;
	int64		running = 0;
	ActivityReader r;

	if (ndays > ACTIVITY_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("activity summary spans too many days for daily_active_users"),
				 errdetail("It spans " INT64_FORMAT " days; the limit is %d.",
						   ndays, ACTIVITY_MAX_DAYS)));
	csm_init_materialized_srf(fcinfo);
	delta = palloc0((ndays + 1) * sizeof(int64));
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
		for (int32 i = 0; i < r.nruns; i++)
		{
			delta[r.runs[i].from - s->first_day]++;
			delta[r.runs[i].to - s->first_day + 1]--;
		}
	for (int64 i = 0; i < ndays; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		running += delta[i];
		values[0] = DateADTGetDatum((DateADT) (s->first_day + i));
		values[1] = Int64GetDatum(running);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

static int
activity_int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* The active days of every user active in the window, sorted; *n users */
static int64 *
activity_user_days(const ActivitySummary *s, int64 from, int64 to, int32 *n)
{
	/* huge: a summary may hold more users than 1 GB of int64 */
	int64	   *days = palloc_extended((Size) s->users * sizeof(int64), MCXT_ALLOC_HUGE);
	ActivityReader r;

	*n = 0;
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
	{
		int64		d = activity_days_in(&r, from, to);

		if (d > 0)
			days[(*n)++] = d;
	}
	qsort(days, *n, sizeof(int64), activity_int64_cmp);
	return days;
}

/* active_days_distribution(summary [, from_day, to_day]): users by active days */
PG_FUNCTION_INFO_V1(activity_summary_distribution);
Datum
activity_summary_distribution(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		from = s->first_day;
	int64		to = (int64) s->last_day + 1;
	int64	   *days;
	int32		n;

	if (PG_NARGS() > 1)
	{
		activity_check_window(PG_GETARG_DATEADT(1), PG_GETARG_DATEADT(2));
		from = PG_GETARG_DATEADT(1);
		to = PG_GETARG_DATEADT(2);
	}
	csm_init_materialized_srf(fcinfo);
	days = activity_user_days(s, from, to, &n);
	for (int32 i = 0; i < n;)
	{
		int32		j = i;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		while (j < n && days[j] == days[i])
			j++;
		values[0] = Int32GetDatum((int32) days[i]);
		values[1] = Int64GetDatum(j - i);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		i = j;
	}
	return (Datum) 0;
}

/* Users with at least min_days active days, and the population */
static void
activity_usage_counts(FunctionCallInfo fcinfo, int64 *qualified, int64 *population)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	int32		min_days = PG_GETARG_INT32(1);
	ActivityReader r;

	if (min_days < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_active_days must be 1 or more")));
	*qualified = 0;
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
		if (activity_days_in(&r, PG_INT64_MIN, PG_INT64_MAX) >= min_days)
			(*qualified)++;
	*population = s->users;
	if (PG_NARGS() > 2)
	{
		*population = PG_GETARG_INT64(2);
		if (*population < s->users)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("population " INT64_FORMAT " is smaller than the %d active users",
							*population, s->users),
					 errdetail("The population is every user who could have been active.")));
	}
}

/* usage_rate(summary, min_active_days [, population]): percent reaching the usage */
PG_FUNCTION_INFO_V1(activity_summary_usage_rate);
Datum
activity_summary_usage_rate(PG_FUNCTION_ARGS)
{
	int64		qualified,
				population;

	activity_usage_counts(fcinfo, &qualified, &population);
	PG_RETURN_FLOAT8(100.0 * (double) qualified / (double) population);
}

/* usage_rate_summary(summary, min_active_days [, population]): as a rate_summary */
PG_FUNCTION_INFO_V1(activity_summary_usage_rate_summary);
Datum
activity_summary_usage_rate_summary(PG_FUNCTION_ARGS)
{
	int64		qualified,
				population;

	activity_usage_counts(fcinfo, &qualified, &population);
	PG_RETURN_POINTER(rate_summary_from_counts(qualified, population));
}

/* time_per_active_user(summary): the time spent over the active users */
PG_FUNCTION_INFO_V1(activity_summary_time_per_user);
Datum
activity_summary_time_per_user(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	Interval   *result;
	int64		q,
				rem;

	if (!(s->flags & ACTIVITY_FLAG_TIME))
		PG_RETURN_NULL();
	result = palloc0(sizeof(Interval));
	q = s->time_us / s->users;
	rem = s->time_us % s->users;
	/* round half up */
	if (rem * 2 >= s->users)
		q++;
	result->time = q;
	PG_RETURN_INTERVAL_P(result);
}

/* time_spent(summary): the total time spent, NULL if none was recorded */
PG_FUNCTION_INFO_V1(activity_summary_time_spent);
Datum
activity_summary_time_spent(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	Interval   *result;

	if (!(s->flags & ACTIVITY_FLAG_TIME))
		PG_RETURN_NULL();
	result = palloc0(sizeof(Interval));
	result->time = s->time_us;
	PG_RETURN_INTERVAL_P(result);
}

/* ---------------------------------------------------------------------
 * Periods: retention and lifecycle
 * ---------------------------------------------------------------------
 */

/*
 * The distinct periods (numbered from the summary's first period) in which
 * the current user was active, in order, into periods[]; returns how many.
 * Steps a period at a time within a run.
 */
static int32
activity_user_periods(const ActivityReader *r, CsmGrain grain, int32 first_period,
					  int32 *periods)
{
	int32		n = 0;

	for (int32 i = 0; i < r->nruns; i++)
	{
		int32		p = csm_date_period(r->runs[i].from, grain);
		int32		last = csm_date_period(r->runs[i].to, grain);

		for (; p <= last; p++)
			if (n == 0 || periods[n - 1] != p - first_period)
				periods[n++] = p - first_period;
	}
	return n;
}

/* The number of periods of a summary at a grain, checked */
static int32
activity_period_count(const ActivitySummary *s, CsmGrain grain, int32 *first_period)
{
	int64		n;

	*first_period = csm_date_period(s->first_day, grain);
	n = (int64) csm_date_period(s->last_day, grain) - *first_period + 1;
	if (n > ACTIVITY_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("activity summary spans too many periods"),
				 errdetail("It spans " INT64_FORMAT " %s periods; the limit is %d.",
						   n, csm_grain_name(grain), ACTIVITY_MAX_PERIODS),
				 errhint("Use a coarser grain.")));
	return (int32) n;
}

/*
 * activity_retention(summary, grain, mode): per cohort and period since,
 * the cohort's size and the users active in that period
 */
PG_FUNCTION_INFO_V1(activity_summary_retention);
Datum
activity_summary_retention(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	CsmGrain	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(1));
	char	   *mode = text_to_cstring(PG_GETARG_TEXT_PP(2));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		recurring;
	int32		first_period;
	int32		np;
	int64	   *cells;
	int32	   *periods;
	ActivityReader r;

	if (strcmp(mode, "first_time") == 0)
		recurring = false;
	else if (strcmp(mode, "recurring") == 0)
		recurring = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown retention mode \"%s\"", mode),
				 errhint("The mode is first_time or recurring.")));
	np = activity_period_count(s, grain, &first_period);
	csm_init_materialized_srf(fcinfo);
	cells = palloc0((Size) np * np * sizeof(int64));
	periods = palloc(np * sizeof(int32));
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
	{
		int32		n = activity_user_periods(&r, grain, first_period, periods);

		for (int32 c = 0; c < (recurring ? n : 1); c++)
			for (int32 q = c; q < n; q++)
				cells[(Size) periods[c] * np + (periods[q] - periods[c])]++;
		CHECK_FOR_INTERRUPTS();
	}
	for (int32 c = 0; c < np; c++)
	{
		int64		size = cells[(Size) c * np];

		if (size == 0)
			continue;
		for (int32 k = 0; c + k < np; k++)
		{
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};
			int64		retained = cells[(Size) c * np + k];

			values[0] = DateADTGetDatum(csm_period_start(first_period + c, grain));
			values[1] = Int32GetDatum(k);
			values[2] = Int64GetDatum(size);
			values[3] = Int64GetDatum(retained);
			values[4] = Float8GetDatum(100.0 * (double) retained / (double) size);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/* activity_lifecycle(summary, grain): new, returning, resurrecting, dormant per period */
PG_FUNCTION_INFO_V1(activity_summary_lifecycle);
Datum
activity_summary_lifecycle(PG_FUNCTION_ARGS)
{
	const ActivitySummary *s = PG_GETARG_ACTIVITY_P(0);
	CsmGrain	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		first_period;
	int32		np;
	int64	   *counts;			/* 4 per period */
	int32	   *periods;
	ActivityReader r;

	np = activity_period_count(s, grain, &first_period);
	csm_init_materialized_srf(fcinfo);
	counts = palloc0((Size) np * 4 * sizeof(int64));
	periods = palloc(np * sizeof(int32));
	activity_reader_init(&r, s);
	while (activity_next_user(&r))
	{
		int32		n = activity_user_periods(&r, grain, first_period, periods);

		counts[periods[0] * 4 + 0]++;
		for (int32 j = 0; j < n; j++)
		{
			if (j > 0)
				counts[periods[j] * 4 + (periods[j] == periods[j - 1] + 1 ? 1 : 2)]++;
			if (periods[j] + 1 < np && (j == n - 1 || periods[j + 1] != periods[j] + 1))
				counts[(periods[j] + 1) * 4 + 3]++;
		}
	}
	for (int32 i = 0; i < np; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = DateADTGetDatum(csm_period_start(first_period + i, grain));
		for (int k = 0; k < 4; k++)
			values[k + 1] = Int64GetDatum(counts[i * 4 + k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* first_day(summary) and last_day(summary): the summary's own days */
PG_FUNCTION_INFO_V1(activity_summary_first_day);
Datum
activity_summary_first_day(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(PG_GETARG_ACTIVITY_P(0)->first_day);
}

PG_FUNCTION_INFO_V1(activity_summary_last_day);
Datum
activity_summary_last_day(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(PG_GETARG_ACTIVITY_P(0)->last_day);
}
