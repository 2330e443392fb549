"""Helpers for test suites that speak PostgreSQL's binary COPY format.

Used to round-trip values through COPY ... (FORMAT binary) and to feed
receive functions corrupted bytes.  Talks to the server through psql
(PGHOST, PGPORT, PGUSER from the environment), so it needs nothing beyond
the Python standard library.
"""
import os
import random
import struct
import subprocess

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
TRAILER = struct.pack("!h", -1)

_count = 0


def report(ok, name, detail=""):
    """Print one TAP line."""
    global _count
    _count += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (_count, name))
    if not ok and detail:
        for line in str(detail).splitlines():
            print("#   " + line)


def psql(sql, stdin=None, db=None):
    """Run SQL; return (returncode, stdout bytes, stderr text)."""
    db = db or os.environ.get("CSM_DB", "csm_suites")
    proc = subprocess.run(
        ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose",
         "-d", db, "-c", "\\set VERBOSITY verbose", "-c", sql],
        input=stdin, capture_output=True)
    return proc.returncode, proc.stdout, proc.stderr.decode(errors="replace")


def copy_out(query):
    """COPY (query) TO STDOUT in binary; return the raw stream."""
    rc, out, err = psql("COPY (%s) TO STDOUT (FORMAT binary)" % query)
    if rc != 0:
        raise RuntimeError(err)
    return out


def fields(stream):
    """Split a binary COPY stream of one-column rows into the field payloads."""
    assert stream.startswith(HEADER[:11])
    pos = 11
    _flags, ext = struct.unpack("!ii", stream[pos:pos + 8])
    pos += 8 + ext
    out = []
    while True:
        (nfields,) = struct.unpack("!h", stream[pos:pos + 2])
        pos += 2
        if nfields == -1:
            return out
        assert nfields == 1
        (length,) = struct.unpack("!i", stream[pos:pos + 4])
        pos += 4
        if length == -1:
            out.append(None)
        else:
            out.append(stream[pos:pos + length])
            pos += length


def stream_of(payloads):
    """A binary COPY stream of one-column rows with the given field payloads."""
    body = b"".join(
        struct.pack("!hi", 1, -1) if p is None else struct.pack("!hi", 1, len(p)) + p
        for p in payloads)
    return HEADER + body + TRAILER


def copy_in(table, payloads):
    """COPY the payloads into table (one column) in binary; return (rc, stderr)."""
    rc, _out, err = psql("COPY %s FROM STDIN (FORMAT binary)" % table,
                         stdin=stream_of(payloads))
    return rc, err


def sqlstate(err):
    """The SQLSTATE of a verbose psql error message, or None."""
    for line in err.splitlines():
        if line.startswith("ERROR:  ") and len(line) > 13 and line[13] == ":":
            return line[8:13]
    return None


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
