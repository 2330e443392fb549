"""Helpers for test suites that speak PostgreSQL's binary COPY format.

Used to round-trip values through COPY ... (FORMAT binary) and to feed
receive functions hand-made and corrupted bytes.  Talks to the server
through psql (PGHOST, PGPORT, PGUSER from the environment; the database is
$CSM_DB), so it needs nothing beyond the Python standard library.

The fast path is copy_each(): it loads many payloads, each by its own
binary COPY, in ONE psql session, and reports the SQLSTATE of each, so that
a fuzzing run costs one process start instead of one per case.

Typical use in a suite:

    import pgcopy as pc

    pc.sql("CREATE TABLE t (v my_type); CREATE TABLE back (LIKE src)")
    pc.round_trip("back", "SELECT * FROM src", 3)
    pc.check_rejected("t", [("version 2", b"\\x02...", "22P03"), ...])
    pc.check_refused_small("t", [("a count beyond the message", b"...", "invalid")])
    pc.check_fuzz("t", "my_type", pc.mutations(good, 300, seed=1), "a my_type")
    pc.check_server_up()
"""
import os
import random
import re
import shutil
import struct
import subprocess
import tempfile

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
TRAILER = struct.pack("!h", -1)

# what a receive function may raise for bad input: invalid_binary_representation
BAD_BINARY = "22P03"

_count = 0
_SQLSTATE = re.compile(r"(?:ERROR|FATAL|PANIC):  ([0-9A-Z]{5}): ")
_MARK = "@@csm-case "


# ---------------------------------------------------------------- TAP output

def plan(n):
    """State the number of TAP results this suite will print ("1..n"), first.
    test/run-tests fails a suite whose results do not match its plan."""
    print("1..%d" % n, flush=True)


def report(ok, name, detail=""):
    """Print one TAP line (and the detail as # comments when it failed)."""
    global _count
    _count += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (_count, name), flush=True)
    if not ok and detail:
        for line in str(detail).splitlines():
            print("#   " + line)
    return ok


# ---------------------------------------------------------------- psql

def _db(db):
    return db or os.environ.get("CSM_DB", "csm_suites")


def psql(sql, stdin=None, db=None):
    """Run SQL in a psql process of its own; return (returncode, stdout bytes,
    stderr text).  Errors are verbose (they carry the SQLSTATE)."""
    proc = subprocess.run(
        ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose",
         "-d", _db(db), "-c", "\\set VERBOSITY verbose", "-c", sql],
        input=stdin, capture_output=True)
    return proc.returncode, proc.stdout, proc.stderr.decode(errors="replace")


def sql(statement, db=None):
    """Run SQL that must succeed; return its unaligned output as text."""
    rc, out, err = psql(statement, db=db)
    if rc != 0:
        raise RuntimeError("SQL failed: %s\n%s" % (statement, err))
    return out.decode().strip()


def sqlstate(err):
    """The SQLSTATE of the first verbose error message in err, or None."""
    m = _SQLSTATE.search(err)
    return m.group(1) if m else None


class Outcome:
    """What one command of a session did: its output, its error messages and
    the SQLSTATE of the first error (None when it succeeded)."""

    def __init__(self, out, err):
        self.out = out
        self.err = err
        self.state = sqlstate(err)
        self.failed = "ERROR:" in err or "FATAL:" in err or "PANIC:" in err

    def __repr__(self):
        return "Outcome(state=%r, out=%r, err=%r)" % (self.state, self.out[:80], self.err[:200])


def session(commands, db=None):
    """Run many commands (SQL statements or one-line psql backslash
    commands) in ONE psql session, each on its own even when earlier ones
    failed, and return one Outcome per command.

    Each command is preceded by a marker line written both to stdout
    (\\echo) and to stderr (\\warn), so that the output and the error
    messages of each command can be told apart.  Raises RuntimeError when
    the session ends early (for example because the server crashed), with
    what psql said."""
    fd, script = tempfile.mkstemp(prefix="csm-session-", suffix=".sql")
    try:
        with os.fdopen(fd, "w") as f:
            f.write("\\set VERBOSITY verbose\n\\set ON_ERROR_STOP off\n")
            for n, command in enumerate(commands):
                command = command.strip()
                if not command.startswith("\\") and not command.endswith(";"):
                    command += ";"
                f.write("\\echo %s%d\n\\warn %s%d\n%s\n" % (_MARK, n, _MARK, n, command))
            f.write("\\echo %send\n\\warn %send\n" % (_MARK, _MARK))
        proc = subprocess.run(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=0", "-d", _db(db), "-f", script],
            capture_output=True, timeout=600)
    finally:
        os.unlink(script)
    out = _split(proc.stdout.decode(errors="replace"))
    err = _split(proc.stderr.decode(errors="replace"))
    if "end" not in out or "end" not in err:
        raise RuntimeError("psql session ended early (status %d): %s"
                           % (proc.returncode, proc.stderr.decode(errors="replace")[-2000:]))
    return [Outcome(out.get(str(n), ""), err.get(str(n), "")) for n in range(len(commands))]


def _split(text):
    """Split psql output at the marker lines: {marker: text after it}."""
    parts = {}
    key = None
    for line in text.splitlines(keepends=True):
        if line.startswith(_MARK):
            key = line[len(_MARK):].strip()
            parts[key] = ""
        elif key is not None:
            parts[key] += line
    return parts


# ---------------------------------------------------------------- binary COPY

def copy_out(query):
    """COPY (query) TO STDOUT in binary; return the raw stream."""
    rc, out, err = psql("COPY (%s) TO STDOUT (FORMAT binary)" % query)
    if rc != 0:
        raise RuntimeError(err)
    return out


def rows(stream):
    """Split a binary COPY stream into rows, each a tuple of field payloads
    (bytes, or None for NULL)."""
    if not stream.startswith(HEADER[:11]):
        raise ValueError("not a binary COPY stream")
    pos = 11
    _flags, ext = struct.unpack("!ii", stream[pos:pos + 8])
    pos += 8 + ext
    out = []
    while True:
        (nfields,) = struct.unpack("!h", stream[pos:pos + 2])
        pos += 2
        if nfields == -1:
            return out
        row = []
        for _ in range(nfields):
            (length,) = struct.unpack("!i", stream[pos:pos + 4])
            pos += 4
            if length == -1:
                row.append(None)
            else:
                row.append(stream[pos:pos + length])
                pos += length
        out.append(tuple(row))


def fields(stream):
    """The field payloads of a binary COPY stream of one-column rows."""
    out = []
    for row in rows(stream):
        assert len(row) == 1
        out.append(row[0])
    return out


def _as_row(row):
    """A row given as one payload (bytes or None) or as a tuple of them."""
    return (row,) if row is None or isinstance(row, (bytes, bytearray)) else tuple(row)


def stream_of(payload_rows):
    """A binary COPY stream; each row is one payload (a one-column row) or a
    tuple of payloads.  None is NULL."""
    body = bytearray()
    for row in payload_rows:
        row = _as_row(row)
        body += struct.pack("!h", len(row))
        for p in row:
            body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + bytes(p)
    return HEADER + bytes(body) + TRAILER


def copy_each(table, payload_rows, before=(), after=(), db=None):
    """Load each row into table by its own binary COPY, all in ONE psql
    session, after the commands in before and followed by those in after.
    Return (one Outcome per row, one Outcome per command of after); a row
    whose Outcome has failed False was loaded."""
    payload_rows = list(payload_rows)
    workdir = tempfile.mkdtemp(prefix="csm-pgcopy-")
    try:
        commands = list(before)
        for n, row in enumerate(payload_rows):
            path = os.path.join(workdir, "%d.bin" % n)
            with open(path, "wb") as f:
                f.write(stream_of([row]))
            commands.append("\\copy %s FROM '%s' WITH (FORMAT binary)" % (table, path))
        commands += list(after)
        outcomes = session(commands, db=db)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    first = len(before)
    return outcomes[first:first + len(payload_rows)], outcomes[first + len(payload_rows):]


# ---------------------------------------------------------------- corruptions

def mutations(payload, count, seed):
    """Deterministic random corruptions of a payload: flipped bytes,
    truncations, extensions and random bytes of random length."""
    rng = random.Random(seed)
    for _ in range(count):
        kind = rng.randrange(4)
        data = bytearray(payload)
        if kind == 0 and data:
            for _ in range(rng.randrange(1, 4)):
                i = rng.randrange(len(data))
                data[i] = rng.randrange(256)
        elif kind == 1 and data:
            data = data[:rng.randrange(len(data))]
        elif kind == 2:
            data += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
        else:
            data = bytearray(rng.randrange(256) for _ in range(rng.randrange(0, 2 * len(payload) + 2)))
        yield bytes(data)


def byte_flips(payload, replacements):
    """Every single-byte corruption of payload: at each offset, the byte
    replaced by each of replacements (values, or functions of the old byte);
    corruptions equal to the payload are left out."""
    for i in range(len(payload)):
        for r in replacements:
            v = r(payload[i]) if callable(r) else r
            mutated = payload[:i] + bytes([v & 0xFF]) + payload[i + 1:]
            if mutated != payload:
                yield mutated


def random_overwrites(payload, count, seed, most=3):
    """Deterministic corruptions that overwrite 1..most random bytes."""
    rng = random.Random(seed)
    for _ in range(count):
        data = bytearray(payload)
        for _ in range(rng.randint(1, most)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        yield bytes(data)


def truncations(payload):
    """payload cut short at every length from 0 to len - 1 (a list)."""
    return [payload[:n] for n in range(len(payload))]


# ---------------------------------------------------------------- assertions

def _check_outcome(name, o, expected):
    got = o.out.strip() if not o.failed else o.err.strip()
    return report(not o.failed and got == expected, name,
                  "expected: %s\ngot:      %s" % (expected, got))


def check(name, statement, expected):
    """The query's unaligned output equals expected."""
    return check_many([(name, statement, expected)])


def check_many(cases):
    """Each case (name, query, expected output) in ONE psql session."""
    outcomes = session([statement for _name, statement, _expected in cases])
    return all([_check_outcome(name, o, expected)
                for (name, _statement, expected), o in zip(cases, outcomes)])


def round_trip(table, query, expect_rows):
    """COPY (query) TO a file in binary, COPY the file into table (empty,
    with the query's columns) and the table out again, in one psql
    session; then check that there are expect_rows rows, that they have the
    same text forms (compared as multisets of whole rows, so with a key
    column row by row) and that they send the same bytes."""
    workdir = tempfile.mkdtemp(prefix="csm-pgcopy-")
    first = os.path.join(workdir, "first.bin")
    again = os.path.join(workdir, "again.bin")
    text = "SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM %s t"
    try:
        o = session(["\\copy (%s) TO '%s' WITH (FORMAT binary)" % (query, first),
                     "\\copy %s FROM '%s' WITH (FORMAT binary)" % (table, first),
                     "\\copy (SELECT * FROM %s) TO '%s' WITH (FORMAT binary)" % (table, again),
                     text % ("(%s)" % query), text % table])
        failed = [x.err for x in o if x.failed]
        with open(first, "rb") as f:
            stream = f.read() if not failed else b""
        with open(again, "rb") as f:
            stream_again = f.read() if not failed else b""
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    n = len(rows(stream)) if stream else 0
    ok = not failed and o[3].out == o[4].out and n == expect_rows
    report(ok, "binary COPY round trip of %d rows into %s keeps the text forms" % (n, table),
           "\n".join(failed) or "expected %d rows\nout:  %s\nback: %s"
           % (expect_rows, o[3].out[:500], o[4].out[:500]))
    same = stream != b"" and sorted(map(repr, rows(stream))) == sorted(map(repr, rows(stream_again)))
    report(same, "binary COPY of %s sends the same bytes again" % table,
           "first %s\nagain %s" % (stream.hex()[:200], stream_again.hex()[:200]))
    return ok and same


def check_rejected(table, cases):
    """Each case (name, payload row, sqlstate) loaded into table fails with
    exactly that SQLSTATE; all cases run in one psql session.  A case may
    carry a fourth element, text that the error message must contain."""
    outcomes, _ = copy_each(table, [case[1] for case in cases])
    for case, o in zip(cases, outcomes):
        name, state = case[0], case[2]
        message = case[3] if len(case) > 3 else ""
        report(o.failed and o.state == state and message in o.err,
               "refused with %s: %s" % (state, name),
               "expected %s: ...%s...\ngot %s: %s" % (state, message, o.state, o.err.strip()))


_MAXRSS = re.compile(r"(\d+) kB max resident size")


def check_refused_small(table, cases, limit_kb=256 * 1024):
    """Each case (name, payload row, message) loaded into table, in a psql
    session (so a server process) of its own, is refused with 22P03 and an
    error message containing message, and the peak resident memory of that
    server process stays below limit_kb: the receive function refused the
    value before allocating room for what its element count announced.  The
    peak (getrusage's ru_maxrss, which never goes down) is read from the
    log_statement_stats report of a statement run after the COPY, so the
    suite must connect as a superuser."""
    for name, payload, message in cases:
        outcomes, after = copy_each(table, [payload], after=[
            "SET log_statement_stats = on", "SET client_min_messages = log", "SELECT 1"])
        o = outcomes[0]
        m = _MAXRSS.search(after[2].err)
        peak = int(m.group(1)) if m else None
        report(o.failed and o.state == BAD_BINARY and message in o.err
               and peak is not None and peak < limit_kb,
               "refused with 22P03 before allocating: %s" % name,
               "got %s: %s\npeak resident memory: %s kB (limit %d kB)"
               % (o.state, o.err.strip(), peak, limit_kb))


def check_fuzz(table, typname, payload_rows, what, allowed=(BAD_BINARY,), valid_sql=None,
               column="v"):
    """Load each corrupted row into table (emptied first), in one session.
    Each must either load or fail with an allowed SQLSTATE (22P03, or 22003
    where the caller documents an overflow).  Then every loaded value must
    be valid: the column survives a text round trip through typname, and
    valid_sql (a query counting invalid rows of table, if given) gives 0.
    Reports three TAP lines (four with valid_sql); returns (loaded, rejected)."""
    payload_rows = list(payload_rows)
    after = ["SELECT count(*) FROM %s" % table,
             "SELECT count(*) FROM %s WHERE %s::text::%s::text IS DISTINCT FROM %s::text"
             % (table, column, typname, column)]
    if valid_sql is not None:
        after.append(valid_sql)
    outcomes, checks = copy_each(table, payload_rows, before=["TRUNCATE %s" % table], after=after)
    loaded = sum(1 for o in outcomes if not o.failed)
    rejected = sum(1 for o in outcomes if o.failed and o.state in allowed)
    bad = ["%s: %s" % (bytes(_as_row(r)[0] or b"").hex(), o.err.strip()[:300])
           for r, o in zip(payload_rows, outcomes)
           if o.failed and o.state not in allowed]
    report(not bad and loaded + rejected == len(payload_rows),
           "%d corruptions of %s: %d loaded, %d refused with %s, nothing else"
           % (len(payload_rows), what, loaded, rejected, "/".join(allowed)),
           "\n".join(bad[:5]))
    _check_outcome("every value loaded from corruptions of %s survives a text round trip"
                   % what, checks[1], "0")
    report(checks[0].out.strip() == str(loaded),
           "the table holds the %d values loaded from corruptions of %s" % (loaded, what),
           checks[0].out + checks[0].err)
    if valid_sql is not None:
        _check_outcome("every value loaded from corruptions of %s is consistent" % what,
                       checks[2], "0")
    return loaded, rejected


def check_server_up():
    """The server still answers a new connection (after fuzzing)."""
    return check("server still up", "SELECT 1", "1")
