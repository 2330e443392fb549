"""The error columns of the reference pages, read as the fuzz suites read them
(test/lib/docstates.py): every code listed is a SQLSTATE PostgreSQL defines
(errcodes.txt of the server), every function and aggregate a user calls
has a row with an errors column (empty or "—" when it raises nothing), and
the SQLSTATEs of the contract (doc/reliability.md) are the ones
the support-function suite allows.  The fuzz suites (text_fuzz,
support_calls, sqlsmith) then check what they see against these lists."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import docstates  # noqa: E402
import pgcopy as pc  # noqa: E402

pc.plan(3)
sharedir = subprocess.run(["pg_config", "--sharedir"], capture_output=True, text=True).stdout.strip()
with open(os.path.join(sharedir, "errcodes.txt")) as f:
    known = {m.group(1) for m in re.finditer(r"^([0-9A-Z]{5})\s+[EWS]\s", f.read(), re.M)}
states = docstates.documented()
listed = {(name, s) for name, codes in states.items() for s in codes}
unknown = sorted("%s: %s" % x for x in listed if x[1] not in known)
pc.report(len(known) > 200 and not unknown,
          "the %d SQLSTATEs listed in the reference tables are all PostgreSQL's" % len({s for _, s in listed}),
          "\n".join(unknown))

# every function and aggregate a user calls has a row in a reference table
# with an errors column (an empty cell there means it raises nothing), so
# that the fuzz suites can hold it to its list
root = docstates.ROOT
user_facing = set(pc.sql("""
WITH members AS (
	SELECT p.oid, p.proname, p.prorettype FROM pg_proc p
	JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'csmetrics'
), support(f) AS (
	SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend]::oid[]) FROM pg_type
	UNION ALL SELECT unnest(ARRAY[aggtransfn, aggcombinefn, aggserialfn, aggdeserialfn, aggmtransfn,
								  aggminvtransfn, aggfinalfn, aggmfinalfn]::oid[]) FROM pg_aggregate
	UNION ALL SELECT oprcode FROM pg_operator
	UNION ALL SELECT amproc FROM pg_amproc
	UNION ALL SELECT castfunc FROM pg_cast
)
SELECT DISTINCT proname FROM members
WHERE oid NOT IN (SELECT f FROM support) AND prorettype <> 'trigger'::regtype""").split())
missing = sorted(user_facing - set(states))
pc.report(len(user_facing) > 50 and not missing,
          "each of the %d user-facing functions and aggregates has a row with an errors column"
          % len(user_facing), "\n".join(missing))

with open(os.path.join(root, "doc", "reliability.md"), encoding="utf-8") as f:
    page = f.read()
section = page.split("## The SQLSTATE contract", 1)[-1].split("\n## ", 1)[0]
contract = set(re.findall(r"^\| ([0-9A-Z]{5}) \|", section, re.M))
sys.path.insert(0, os.path.dirname(__file__))
with open(os.path.join(os.path.dirname(__file__), "support_calls.py")) as f:
    allowed = set(re.search(r"CONTRACT = \{([^}]*)\}", f.read()).group(1).replace('"', "").replace(" ", "").split(","))
pc.report(contract == allowed, "doc/reliability.md's contract table lists exactly the SQLSTATEs support_calls allows",
          "doc: %s\nsuite: %s" % (sorted(contract), sorted(allowed)))
