"""The error columns of the reference pages, read as the fuzz suites read them
(test/lib/docstates.py): every code listed is a SQLSTATE PostgreSQL defines
(errcodes.txt of the server), every function and aggregate of the extension
that a reference table names has its row's error column filled ("—" for
none), and the SQLSTATEs of the contract (doc/reliability.md) are the ones
the support-function suite allows.  The fuzz suites (text_fuzz,
support_calls, sqlsmith) then check what they see against these lists."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import docstates  # noqa: E402
import pgcopy as pc  # noqa: E402

pc.plan(4)
sharedir = subprocess.run(["pg_config", "--sharedir"], capture_output=True, text=True).stdout.strip()
with open(os.path.join(sharedir, "errcodes.txt")) as f:
    known = {m.group(1) for m in re.finditer(r"^([0-9A-Z]{5})\s+[EWS]\s", f.read(), re.M)}
states = docstates.documented()
listed = {(name, s) for name, codes in states.items() for s in codes}
unknown = sorted("%s: %s" % x for x in listed if x[1] not in known)
pc.report(len(known) > 200 and not unknown,
          "the %d SQLSTATEs listed in the reference tables are all PostgreSQL's" % len({s for _, s in listed}),
          "\n".join(unknown))

# every row naming a function has an error column (the last cell) that is
# filled: codes, "—", "same" or "as `x`"
empty = []
root = docstates.ROOT
for page in sorted(os.listdir(os.path.join(root, "doc"))):
    if not page.endswith(".md") or page in ("CHANGELOG.md", "developing.md", "performance.md",
                                            "reliability.md", "bi.md", "security.md"):
        continue
    with open(os.path.join(root, "doc", page), encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = None
    for line in lines:
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if line.startswith("|---") or header[-1] != "errors":
            continue
        if re.search(r"`[a-z_0-9]+\(", cells[0]) and not cells[-1]:
            empty.append("%s: %s" % (page, cells[0]))
pc.report(not empty, "every function row of a reference table with an errors column fills it",
          "\n".join(empty))

functions = set(pc.sql("""
SELECT DISTINCT p.proname FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'csmetrics'""").split())
stale = sorted(n for n in states if n not in functions and re.match(r"^[a-z_0-9]+$", n)
               and n not in ("count", "sum", "min", "max", "integer", "date_trunc", "avg", "coalesce",
                             "survey_score", "metric_goals", "metric_goal", "goal_band", "int4",
                             "string_agg", "round", "now", "lag", "lead"))
pc.report(not stale, "every name with documented errors is a csmetrics function (no stale rows)",
          "\n".join(stale))

with open(os.path.join(root, "doc", "reliability.md"), encoding="utf-8") as f:
    page = f.read()
section = page.split("## The SQLSTATE contract", 1)[-1].split("\n## ", 1)[0]
contract = set(re.findall(r"^\| ([0-9A-Z]{5}) \|", section, re.M))
sys.path.insert(0, os.path.dirname(__file__))
with open(os.path.join(os.path.dirname(__file__), "support_calls.py")) as f:
    allowed = set(re.search(r"CONTRACT = \{([^}]*)\}", f.read()).group(1).replace('"', "").replace(" ", "").split(","))
pc.report(contract == allowed, "doc/reliability.md's contract table lists exactly the SQLSTATEs support_calls allows",
          "doc: %s\nsuite: %s" % (sorted(contract), sorted(allowed)))
