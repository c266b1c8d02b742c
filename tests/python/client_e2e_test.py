"""thor.Client's ProofSearch calls, health and reflection against a real
`thor serve` with real coqtop and ATPs."""

import unittest

import thor_testing
import thor
from thor import events

ADD_0 = thor.Theorem("forall n : nat, n + 0 = n", name="add_0")
TPTP = """
fof(a1, axiom, p(a)).
fof(a2, axiom, ![X]: (p(X) => q(X))).
fof(noise, axiom, r(b)).
fof(goal, conjecture, q(a)).
"""


class SearchTest(thor_testing.ServerTestCase):

    def test_prove_streams_typed_events_ending_with_one_proved(self):
        stream = list(self.client.prove(ADD_0, sequential=True, wall_time_s=120,
                                        hammer_timeout_s=5))
        finished = [e for e in stream if isinstance(e, events.Finished)]
        self.assertEqual(len(finished), 1, stream)
        self.assertIs(stream[-1], finished[0])
        self.assertIsInstance(stream[0], (events.Preparing, events.Started))
        started = [e for e in stream if isinstance(e, events.Started)]
        self.assertEqual(len(started), 1)
        self.assertEqual(started[0].prover, "coq")
        self.assertTrue(started[0].config["sequential"])
        self.assertIn("n + 0 = n", started[0].initial_state)
        self.assertEqual(started[0].protocol, "thor.v1")
        self.assertTrue(started[0].server_version)
        self.assertTrue(started[0].server_commit)
        tried = [e for e in stream if isinstance(e, events.StepTried)]
        self.assertTrue(tried)
        self.assertTrue(all(isinstance(e.outcome.kind, thor.OutcomeKind) for e in tried))
        # (Finished carries the search's wall time, stamped a moment before the last event.)
        times = [e.t_s for e in stream[:-1]]
        self.assertEqual(times, sorted(times))

        result = finished[0].result
        self.assertEqual(result.status, thor.SearchStatus.PROVED, result.message)
        self.assertTrue(result.proved)
        self.assertEqual(result.recheck, thor.RecheckVerdict.PASSED)
        self.assertIn("Qed.", result.proof.text)
        self.assertGreater(result.stats.steps_applied, 0)

        # The proof as text passes a fresh check; a refused step does not.
        check = self.client.check_proof(ADD_0, proof_text=result.proof.text)
        self.assertTrue(check.passed, check.message)
        bad = self.client.check_proof(ADD_0, ["intros n.", "admit."])
        self.assertNotEqual(bad.verdict, thor.RecheckVerdict.PASSED)

    def test_prove_errors_are_typed(self):
        with self.assertRaises(thor.InvalidTheorem) as bad:
            list(self.client.prove(thor.Theorem("")))
        self.assertIn("theorem.statement", bad.exception.details)
        # A statement Coq cannot parse is refused the same way, with Coq's words
        # (thor.proto, "Errors"), not a finished event with status ERROR.
        with self.assertRaises(thor.InvalidTheorem) as unparsable:
            list(self.client.prove(thor.Theorem("forall n : nat, n + = n")))
        self.assertIn("Syntax error", unparsable.exception.details)
        with self.assertRaises(thor.InvalidArgument) as config:
            list(self.client.prove(ADD_0, queue_size=0))
        self.assertNotIsInstance(config.exception, thor.InvalidTheorem)
        self.assertIn("queue_size", config.exception.details)
        with self.assertRaises(TypeError):
            self.client.prove(ADD_0, no_such_setting=1)

    def test_suggest_tries_steps(self):
        r = self.client.suggest(ADD_0, ["intros n."], n=4, try_steps=True)
        self.assertIn("n + 0 = n", r.state_text)
        self.assertTrue(r.suggestions)
        self.assertTrue(all(s.outcome is not None for s in r.suggestions))

    def test_hammer_and_premise_selection_on_tptp(self):
        h = self.client.hammer(TPTP, timeout_s=20)
        self.assertEqual(h.status, thor.AtpStatus.PROVED, h.message)
        self.assertIn("a2", h.used_premises)
        p = self.client.select_premises(TPTP, max_premises=2)
        self.assertEqual(len(p.premises), 2)
        self.assertIn("a2", [x.name for x in p.premises])

    def test_health_and_reflection(self):
        self.assertEqual(self.client.health(), thor.HealthStatus.SERVING)
        self.assertEqual(next(iter(self.client.watch_health())), thor.HealthStatus.SERVING)
        with self.assertRaises(thor.NotFound):
            self.client.health("no.such.Service")
        services = self.client.services()
        for name in ("thor.v1.ProofSearch", "thor.v1.ProofSession", "grpc.health.v1.Health"):
            self.assertIn(name, services)
        # The server was built from the proto these stubs were generated from.
        self.assertEqual(self.client.api_differences(), [])


class NoServerTest(unittest.TestCase):

    def test_no_server_is_unavailable(self):
        with thor.Client("127.0.0.1:1", timeout=10) as client:
            with self.assertRaises(thor.Unavailable) as e:
                client.health()
        self.assertEqual(e.exception.code.name, "UNAVAILABLE")


if __name__ == "__main__":
    unittest.main(verbosity=2)
