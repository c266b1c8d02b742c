#!/usr/bin/env python3
"""Proof-step records through Thor's session API, for any prover Thor serves.

`thor extract` traces Coq files itself. For Isabelle (through PISA) or any other
prover behind a `thor serve`, this script writes the same JSONL records from
theorems and their proofs: it opens a session on each theorem, runs the proof's
steps one by one, and records every step with the goals before and after it, so
one training script (and `thor train`) serves both.

Input: JSONL, one theorem a line, the suite format (`id`, `prover`, `statement`,
and `context`, `imports`, `session`, `working_directory`, `file_path` as a suite
line may have them) plus `steps`, the proof as a list of step texts:

    {"id": "add_0_r", "prover": "coq", "statement": "forall n : nat, n + 0 = n",
     "steps": ["induction n.", "reflexivity.", "simpl.", "rewrite IHn.", "reflexivity."]}

Output (--out): per theorem a `theorem` record, then its `step` records, and one
`file` record at the end, with the fields of `thor extract` (README, "Extracted
proof steps"). `file` is the theorem's `file_path` or else the input's path;
`line`, `constants` and `dependencies` are what a session cannot tell (0 and
empty). A proof that fails part-way keeps the steps before the failure and the
theorem record says `"end": "failed"`; the run goes on.

    thor serve --listen=127.0.0.1:50051 &
    /usr/bin/python3 examples/python/extract_session.py --server=127.0.0.1:50051 \\
        --in=proofs.jsonl --out=steps.jsonl
    thor train --in=steps.jsonl --out=model.knn

Exit status: 0 when every proof ran to its end, 1 when one did not, 2 on bad input.
"""

import argparse
import json
import os
import sys
import time

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                             "clients", "python"))
import thor  # noqa: E402

THEOREM_FIELDS = ("context", "file_path", "session", "working_directory")


def state_record(state):
    """A State as thor extract's `before`/`after` object."""
    goals = []
    for g in state.goals:
        hyps = []
        for h in g.hypotheses:
            hyp = {"names": list(h.names), "type": h.type}
            if h.body:
                hyp["body"] = h.body
            hyps.append(hyp)
        goals.append({"hypotheses": hyps, "conclusion": g.conclusion})
    return {"text": state.goals_text, "goals": goals}


def theorem_of(line):
    """The thor.Theorem of one input line (ValueError if it lacks a field)."""
    for key in ("id", "statement", "steps"):
        if key not in line:
            raise ValueError(f"a line lacks '{key}'")
    if not isinstance(line["steps"], list) or not all(isinstance(s, str) for s in line["steps"]):
        raise ValueError("'steps' must be a list of strings")
    extra = {k: line[k] for k in THEOREM_FIELDS if k in line}
    return thor.Theorem(statement=line["statement"], prover=line.get("prover", "coq"),
                        name=line["id"], imports=tuple(line.get("imports", ())), **extra)


def trace(client, line, file_name):
    """The records of one theorem's proof, and whether it ran to its end."""
    theorem = theorem_of(line)
    steps, end = [], "failed"
    with client.session(theorem) as session:
        state = session.root
        for index, tactic in enumerate(line["steps"]):
            outcome = session.run(state, tactic)
            if not isinstance(outcome, (thor.TacticState, thor.ProofFinished)):
                break
            finished = isinstance(outcome, thor.ProofFinished)
            steps.append({"kind": "step", "file": file_name, "theorem": theorem.name,
                          "index": index, "line": 0, "before": state_record(state),
                          "tactic": tactic, "after": state_record(outcome.state),
                          "finished": finished, "constants": []})
            state = outcome.state
            if finished:
                end = "Qed" if index + 1 == len(line["steps"]) else "failed"
                break
    record = {"kind": "theorem", "file": file_name, "theorem": theorem.name, "line": 0,
              "statement": theorem.statement, "end": end, "steps": len(steps),
              "dependencies": []}
    return [record] + steps, end != "failed"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--in", dest="inp", required=True, help="theorems with proofs, JSONL")
    parser.add_argument("--out", required=True, help="the records, JSONL (overwritten)")
    args = parser.parse_args()
    try:
        with open(args.inp, encoding="utf-8") as f:
            lines = [json.loads(t) for t in f if t.strip()]
        for line in lines:
            theorem_of(line)
    except (OSError, ValueError) as e:
        print(f"extract_session: {args.inp}: {e}", file=sys.stderr)
        return 2
    start = time.monotonic()
    client = thor.Client(args.server)
    all_ok, theorems, steps = True, 0, 0
    with open(args.out, "w", encoding="utf-8") as out:
        for line in lines:
            file_name = line.get("file_path") or os.path.abspath(args.inp)
            try:
                records, ok = trace(client, line, file_name)
            except thor.ThorError as e:
                print(f"extract_session: {line['id']}: {e}", file=sys.stderr)
                all_ok = False
                continue
            all_ok &= ok
            theorems += 1
            steps += len(records) - 1
            for r in records:
                out.write(json.dumps(r, separators=(",", ":")) + "\n")
            print(f"[{theorems}/{len(lines)}] {line['id']}: {len(records) - 1} steps"
                  f"{'' if ok else ' (the proof did not run to its end)'}", file=sys.stderr)
        out.write(json.dumps({"kind": "file", "file": os.path.abspath(args.inp),
                              "status": "ok" if all_ok else "error", "theorems": theorems,
                              "steps": steps, "elapsed_s": time.monotonic() - start},
                             separators=(",", ":")) + "\n")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
