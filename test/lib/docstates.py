"""The SQLSTATEs the reference pages document, read from their tables.

A row of a reference table names a function in its first cell
(`name(args)`, or a type's text input as `'...'::type`) and lists the
SQLSTATEs the function can raise in its last cell: five-character codes
such as 22003 or 22P02, each followed by when.  documented() returns
{function name: set of SQLSTATEs} over every page of doc/ and README.md;
a name with several rows (overloads, rollup) gets the union.  The
fuzz suites check every SQLSTATE they see from a function against it, and
doc/reliability.md states the contract."""
import glob
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
_CODE = re.compile(r"\b([0-9][0-9A-Z][0-9A-Z]{3})\b")
_NAME = re.compile(r"`(?:[a-z_0-9]+\s*\.\s*)?([a-z_][a-z_0-9]*)\s*\(")
_CAST = re.compile(r"::([a-z_][a-z_0-9]*)`")
_BARE = re.compile(r"`([a-z_][a-z_0-9]*)`")


def _cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def documented(pages=None):
    pages = pages or sorted(glob.glob(os.path.join(ROOT, "doc", "*.md"))) + [
        os.path.join(ROOT, "README.md")]
    states = {}
    refs = []        # (name, name whose errors it has: "as `x`")
    for page in pages:
        previous = set()
        if os.path.basename(page) in ("CHANGELOG.md", "developing.md", "performance.md", "reliability.md"):
            continue
        with open(page, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("|") or line.startswith("|---"):
                    continue
                cells = _cells(line)
                if len(cells) < 3:
                    continue
                names = set(_NAME.findall(cells[0])) | set(_CAST.findall(cells[0])) | set(_BARE.findall(cells[0]))
                codes = {c for c in _CODE.findall(cells[-1]) if not c.isdigit() or len(c) == 5}
                # plain numbers such as 44739 are not SQLSTATEs; SQLSTATE classes
                # are two characters, the code three: keep those of a known class
                codes = {c for c in codes if c[:2] in _CLASSES}
                if cells[-1].lower() == "same":
                    codes = set(previous)
                previous = codes
                for ref in re.findall(r"\bas `([a-z_0-9]+)", cells[-1]):
                    refs.extend((name, ref) for name in names)
                for name in names:
                    states.setdefault(name, set()).update(codes)
    for name, ref in refs:
        states[name].update(states.get(ref, set()))
    return states


# the SQLSTATE classes csmetrics raises (PostgreSQL's errcodes.txt)
_CLASSES = {"0A", "22", "23", "42", "53", "54", "57", "XX"}
