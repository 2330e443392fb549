"""Text input of every csmetrics type under mutation (test/lib/textfuzz.py):
each mutated input is either refused with 22P02 or 22003, or read into a
value whose text form reads back to the same text and binary form and
which every accessor of the type takes (an accessor may only raise an
SQLSTATE its reference page lists).  Seeded and bounded; the long run is
test/stress/run-text-fuzz.  TEXT_FUZZ_N inputs per type (default 300),
TEXT_FUZZ_SEED the first seed (default 1)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import docstates  # noqa: E402
import pgcopy as pc  # noqa: E402
import textfuzz as tf  # noqa: E402

N = int(os.environ.get("TEXT_FUZZ_N", "300"))
SEED = int(os.environ.get("TEXT_FUZZ_SEED", "1"))

pc.plan(2 * len(tf.TYPES) + 2)
seeds = tf.setup()
documented = docstates.documented()
total = 0
seen = {}
for i, typ in enumerate(sorted(tf.TYPES)):
    answers = tf.run(typ, seeds[typ])
    _, accepted, _, failures = tf.judge(typ, answers, documented)
    pc.report(accepted == len(seeds[typ]) and not failures,
              "%s: the %d seed values are read, round-trip and pass every accessor" % (typ, len(seeds[typ])),
              "\n".join(failures[:10]))
    inputs = tf.mutate(seeds[typ], N, SEED * 100 + i)
    try:
        answers = tf.run(typ, inputs)
    except RuntimeError as e:
        pc.report(False, "%s: %d mutated inputs (seed %d)" % (typ, N, SEED * 100 + i), str(e))
        continue
    refused, accepted, accessor_states, failures = tf.judge(typ, answers, documented)
    total += len(inputs)
    for state, n in refused.items():
        seen[(typ + " input", state)] = seen.get((typ + " input", state), 0) + n
    for key, n in accessor_states.items():
        seen[key] = seen.get(key, 0) + n
    pc.report(not failures,
              "%s: %d mutated inputs (seed %d): %d accepted and consistent, refused %s"
              % (typ, N, SEED * 100 + i, accepted,
                 ", ".join("%s %d" % kv for kv in sorted(refused.items())) or "none"),
              "\n".join(failures[:10]))
for (what, state), n in sorted(seen.items()):
    print("# seen: %s %s x%d" % (what, state, n))
print("# %d inputs in all" % total)
pc.report(all(state in tf.input_states(what[:-6]) for (what, state) in seen if what.endswith(" input")),
          "every refusal of a text input is 22P02 or 22003 (or a date or time error for customer_flow, 22023 an unknown grain)")
pc.check_server_up()
