"""thor.Session against a real `thor serve` with real coqtop (ProofSession)."""

import json
import os
import unittest

import thor_testing  # noqa: F401  (puts clients/python on sys.path)
import thor

ADD_0 = thor.Theorem("forall n : nat, n + 0 = n", name="add_0")
# From the state after "intros n.": a proof in five steps.
INDUCTION = ["induction n.", "reflexivity.", "simpl.", "rewrite IHn.", "reflexivity."]


# The server's premise database: the bridge's hammer steps solve on the
# server's one hammer, so the proofs they find are appended here.
PREMISE_DB = os.path.join(thor_testing.make_temp_dir(), "premises.jsonl")


class SessionTest(thor_testing.ServerTestCase):
    config = dict(thor_testing.FAST_CONFIG, premise_db=PREMISE_DB)

    def run_all(self, s, state, steps):
        """Runs `steps` in a row; every outcome but the last must be a TacticState."""
        outcome = None
        for step in steps:
            outcome = s.run(state, step)
            if not isinstance(outcome, thor.ProofFinished):
                self.assertIsInstance(outcome, thor.TacticState, f"{step}: {outcome}")
                state = outcome.state
        return outcome

    def test_open_run_branch_finish_check_close(self):
        with self.client.session(ADD_0) as s:
            self.assertTrue(s.id)
            root = s.root
            self.assertEqual(root.id, "0")
            self.assertEqual(root.depth, 0)
            self.assertFalse(root.finished)
            self.assertIn("n + 0 = n", root.goals_text)

            r = s.run(s.root, "intros n.")
            self.assertIsInstance(r, thor.TacticState)
            after_intros = r.state
            self.assertEqual((after_intros.parent_id, after_intros.depth), (root.id, 1))
            self.assertEqual(after_intros.steps, ("intros n.",))
            self.assertEqual(len(after_intros.goals), 1)
            goal = after_intros.goals[0]
            self.assertIn("n + 0 = n", goal.conclusion)
            self.assertIn(thor.Hypothesis(("n",), "nat"), goal.hypotheses)

            # Branch: the root again, a different step, a new state.
            branch = s.run(root, "induction n.")
            self.assertIsInstance(branch, thor.TacticState)
            self.assertNotIn(branch.state.id, (root.id, after_intros.id))
            self.assertEqual(branch.state.parent_id, root.id)
            self.assertEqual(len(branch.state.goals), 2, branch.state.goals_text)

            # Errors are values, and the state stays usable.
            err = s.run(after_intros, "apply no_such_lemma_xyz.")
            self.assertIsInstance(err, thor.StepError)
            self.assertIn("no_such_lemma_xyz", err.message)
            refused = s.run(after_intros, "admit.")
            self.assertIsInstance(refused, thor.Refused)
            self.assertTrue(refused.reason)

            done = self.run_all(s, after_intros, INDUCTION)
            self.assertIsInstance(done, thor.ProofFinished)
            self.assertTrue(done.state.finished)
            self.assertEqual(done.state.steps, ("intros n.", *INDUCTION))
            self.assertEqual(s.get(done.state.id), done.state)

            check = s.check(done.state)
            self.assertEqual(check.verdict, thor.RecheckVerdict.PASSED, check.message)
            self.assertTrue(check.passed)
            self.assertEqual(check.proof.tactics, done.state.steps)
            self.assertIn("coqc", check.checkers)
            self.assertEqual(check.axioms, ())

            with self.assertRaises(thor.FailedPrecondition) as unfinished:
                s.check(after_intros)
            self.assertEqual(unfinished.exception.code.name, "FAILED_PRECONDITION")

            self.assertGreaterEqual(s.drop(branch.state), 1)
            with self.assertRaises(thor.StateNotFound):
                s.get(branch.state.id)
            with self.assertRaises(thor.StateNotFound):
                s.run("no-such-state", "intros.")
            # The rest of the tree is untouched.
            self.assertEqual(s.get(after_intros.id).goals_text, after_intros.goals_text)
        self.assertTrue(s.closed)
        with self.assertRaises(thor.SessionNotFound) as closed:
            s.run(after_intros, "simpl.")
        self.assertEqual(closed.exception.code.name, "NOT_FOUND")
        self.assertTrue(closed.exception.details)

    def test_close_returns_the_state_count_and_is_idempotent(self):
        s = self.client.session(ADD_0).open()
        s.run(s.root, "intros n.")
        self.assertEqual(s.close(), 2)
        self.assertIsNone(s.close())

    def test_unknown_session_and_invalid_theorem_are_typed_errors(self):
        with self.assertRaises(thor.FailedPrecondition) as unopened:
            self.client.session(ADD_0).run("0", "intros.")
        self.assertIn("not open", unopened.exception.details)
        ghost = self.client.session(ADD_0)
        ghost.id = "no-such-session"
        with self.assertRaises(thor.SessionNotFound):
            ghost.run("0", "intros.")
        with self.assertRaises(thor.InvalidTheorem) as bad:
            with self.client.session(thor.Theorem("   ")):
                pass
        self.assertIn("statement", bad.exception.details)
        with self.assertRaises(thor.InvalidArgument):
            with self.client.session(ADD_0) as s:
                s.run(s.root, "")

    def test_step_timeout_is_an_outcome(self):
        with self.client.session(ADD_0, step_timeout_s=1) as s:
            r = s.run(s.root, "repeat (assert True by trivial).")
            self.assertIsInstance(r, thor.Timeout)
            # The session goes on after a stopped step.
            self.assertIsInstance(s.run(s.root, "intros n."), thor.TacticState)

    def test_hammer_closes_the_list_lemma(self):
        lemma = thor.Theorem("forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)",
                             imports=("List",), name="app_length_comm")
        with self.client.session(lemma) as s:
            r = s.run(s.root, "intros l1 l2.")
            self.assertIsInstance(r, thor.TacticState)
            h = s.hammer(r.state, timeout_s=60)
            self.assertTrue(h.success, h.message)
            self.assertTrue(h.step)
            self.assertIsInstance(h.outcome, thor.ProofFinished)
            self.assertEqual(h.outcome.state.steps, ("intros l1 l2.", h.step))
            self.assertTrue(s.check(h.outcome.state).passed)
        # Thor's portfolio proved the exported goal: its proof (goal, premises)
        # is in the server's premise database, for the next k-NN selection.
        with open(PREMISE_DB, encoding="utf-8") as f:
            proofs = [json.loads(line) for line in f if line.strip()]
        self.assertTrue(proofs, "no proof in the premise database")
        self.assertTrue(any("app_length" in " ".join(p.get("premises", [])) for p in proofs),
                        proofs)


class SessionLimitTest(thor_testing.ServerTestCase):
    config = dict(thor_testing.FAST_CONFIG, max_states_per_session=2, max_sessions=1)

    def test_limits_are_limit_exceeded_naming_their_key(self):
        with self.client.session(ADD_0) as s:
            self.assertIsInstance(s.run(s.root, "intros n."), thor.TacticState)
            with self.assertRaises(thor.LimitExceeded) as states:
                s.run(s.root, "induction n.")
            self.assertEqual(states.exception.code.name, "RESOURCE_EXHAUSTED")
            self.assertIn("max_states_per_session", states.exception.details)
            with self.assertRaises(thor.LimitExceeded) as sessions:
                self.client.session(ADD_0).open()
            self.assertIn("max_sessions", sessions.exception.details)
        # Closing the session frees its slot.
        with self.client.session(ADD_0) as s:
            self.assertEqual(s.root.id, "0")


if __name__ == "__main__":
    unittest.main(verbosity=2)
