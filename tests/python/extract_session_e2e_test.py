"""examples/python/extract_session.py against a real `thor serve` with real
coqtop: proofs replayed through sessions become thor extract's records, which
`thor train` reads; a proof that breaks part-way keeps its earlier steps and is
marked; bad input exits 2."""

import json
import os
import subprocess
import unittest

import thor_testing

SCRIPT = os.path.join(thor_testing.SOURCE_DIR, "examples", "python", "extract_session.py")

PROOFS = [
    {"id": "add_0_r", "prover": "coq", "statement": "forall n : nat, n + 0 = n",
     "steps": ["induction n.", "reflexivity.", "simpl.", "rewrite IHn.", "reflexivity."]},
    {"id": "broken", "prover": "coq", "statement": "forall b : bool, negb (negb b) = b",
     "steps": ["intros b.", "reflexivity.", "destruct b; reflexivity."]},
]


class ExtractSessionTest(thor_testing.ServerTestCase):

    def test_records_train_a_model(self):
        tmp = thor_testing.make_temp_dir()
        inp, out = os.path.join(tmp, "proofs.jsonl"), os.path.join(tmp, "steps.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for p in PROOFS:
                f.write(json.dumps(p) + "\n")
        code, log = self.run_script(SCRIPT, f"--in={inp}", f"--out={out}")
        self.assertEqual(code, 1, log)  # "broken" does not run to its end.
        self.assertIn("broken: 1 steps (the proof did not run to its end)", log)
        with open(out, encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        kinds = [r["kind"] for r in records]
        self.assertEqual(kinds, ["theorem"] + ["step"] * 5 + ["theorem", "step", "file"])
        theorem, steps = records[0], records[1:6]
        self.assertEqual(theorem["end"], "Qed")
        self.assertEqual(theorem["steps"], 5)
        self.assertEqual([s["index"] for s in steps], [0, 1, 2, 3, 4])
        self.assertEqual([s["tactic"] for s in steps], PROOFS[0]["steps"])
        self.assertEqual([s["finished"] for s in steps], [False] * 4 + [True])
        # The goals before and after, as text and structured.
        self.assertIn("n + 0 = n", steps[0]["before"]["text"])
        self.assertEqual(steps[0]["before"]["goals"][0]["conclusion"], "forall n : nat, n + 0 = n")
        self.assertEqual(len(steps[0]["after"]["goals"]), 2)
        ih = steps[3]["before"]["goals"][0]["hypotheses"]
        self.assertIn(["IHn"], [h["names"] for h in ih])
        for a, b in zip(steps, steps[1:]):
            self.assertEqual(a["after"]["text"], b["before"]["text"])
        self.assertEqual(records[6]["end"], "failed")
        self.assertEqual(records[-1]["status"], "error")
        self.assertEqual(records[-1]["steps"], 6)
        # thor train reads them as it reads thor extract's.
        model = os.path.join(tmp, "m.knn")
        r = subprocess.run([thor_testing.thor_binary(), "train", f"--in={out}", f"--out={model}"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("thor train: 6 steps", r.stdout)

    def test_bad_input_exits_2(self):
        tmp = thor_testing.make_temp_dir()
        inp = os.path.join(tmp, "bad.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "x", "statement": "True"}) + "\n")
        code, log = self.run_script(SCRIPT, f"--in={inp}",
                                    f"--out={os.path.join(tmp, 'o.jsonl')}")
        self.assertEqual(code, 2, log)
        self.assertIn("lacks 'steps'", log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
