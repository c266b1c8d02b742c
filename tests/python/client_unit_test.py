"""The Python client without a server: stub freshness, enums against the proto,
conversions and error mapping."""

import importlib
import os
import subprocess
import sys
import unittest

import grpc

import thor_testing
import thor
from thor import _convert, events
from thor._proto import thor_pb2 as pb
from thor.errors import from_status


class StubsTest(unittest.TestCase):

    def test_committed_stubs_match_a_fresh_generation(self):
        script = os.path.join(thor_testing.PACKAGE_DIR, "generate_stubs.py")
        r = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0,
                         f"{r.stdout}{r.stderr}\nThe proto changed: run "
                         "/usr/bin/python3 clients/python/generate_stubs.py and commit the stubs")

    def test_stubs_do_not_shadow_grpc(self):
        import thor._proto.health_pb2_grpc as health_grpc
        self.assertIs(health_grpc.grpc, grpc)
        self.assertNotIn(thor_testing.PACKAGE_DIR, os.path.dirname(grpc.__file__))
        self.assertEqual(pb.DESCRIPTOR.name, "thor/v1/thor.proto")
        self.assertEqual(pb.Theorem.__module__, "thor._proto.thor_pb2")
        for name in ("thor_pb2_grpc", "reflection_pb2_grpc", "health_pb2"):
            importlib.import_module(f"thor._proto.{name}")

    def test_enums_mirror_the_proto(self):
        # (ours, the proto's, prefixes the proto's names carry and ours drop)
        for ours, theirs, prefixes in [
                (thor.OutcomeKind, pb.StepOutcome.Kind, ("KIND_",)),
                (thor.RecheckVerdict, pb.RecheckVerdict, ("RECHECK_",)),
                (thor.SearchStatus, pb.SearchStatus, ("SEARCH_STATUS_",)),
                (thor.AtpStatus, pb.AtpStatus, ("ATP_STATUS_", "ATP_"))]:
            want = {}
            for name, number in theirs.items():
                prefix = next((p for p in prefixes if name.startswith(p)), "")
                want[name[len(prefix):]] = number
            self.assertEqual({m.name: m.value for m in ours}, want, ours.__name__)

    def test_dataclasses_cover_the_messages(self):
        fields = {f.name for f in pb.SearchStats.DESCRIPTOR.fields}
        self.assertEqual(fields, set(thor.SearchStats.__dataclass_fields__))
        theorem = {f.name for f in pb.Theorem.DESCRIPTOR.fields}
        self.assertEqual(theorem, set(thor.Theorem.__dataclass_fields__))


class ConvertTest(unittest.TestCase):

    def test_theorem_and_config(self):
        t = thor.Theorem("forall n : nat, n = n", imports=("List",), allowed_axioms=["ax"])
        m = _convert.theorem(t)
        self.assertEqual((m.prover, m.statement, list(m.imports)),
                         ("coq", "forall n : nat, n = n", ["List"]))
        c = _convert.search_config({"wall_time_s": 5, "queue_size": None, "sequential": True})
        self.assertTrue(c.HasField("wall_time_s"))
        self.assertFalse(c.HasField("queue_size"))
        with self.assertRaises(TypeError) as e:
            _convert.search_config({"wall_time": 5})
        self.assertIn("wall_time_s", str(e.exception))
        with self.assertRaises(TypeError):
            _convert.theorem("forall n : nat, n = n")

    def test_events(self):
        e = pb.SearchEvent(t_s=1.5, step=pb.StepTried(
            from_state="0", to_state="1", step="intros.", logprob=-0.5,
            outcome=pb.StepOutcome(kind=pb.StepOutcome.NEW_STATE, state_text="goal")))
        self.assertEqual(_convert.event(e), events.StepTried(
            1.5, "0", "1", "intros.", -0.5, thor.StepOutcome(thor.OutcomeKind.NEW_STATE, "goal")))
        f = _convert.event(pb.SearchEvent(t_s=2, finished=pb.ProveResult(
            status=pb.PROVED, recheck=pb.RECHECK_PASSED, proof=pb.Proof(
                steps=[pb.ProofStep(text="auto.")], text="Proof.\nauto.\nQed."))))
        self.assertTrue(f.result.proved)
        self.assertEqual(f.result.proof.tactics, ("auto.",))
        self.assertEqual(_convert.event(pb.SearchEvent()), None)
        unknown = pb.ProveResult(status=99)
        self.assertEqual(_convert.prove_result(unknown).status, thor.SearchStatus.UNSPECIFIED)

    def test_session_outcomes(self):
        state = pb.SessionState(state_id="3", parent_id="1", step="simpl.", depth=2,
                                goals_text="n : nat\n====\nn = n", goals=[pb.Goal(
                                    hypotheses=[pb.Hypothesis(names=["n"], type="nat")],
                                    conclusion="n = n")], steps=["intros.", "simpl."])
        o = _convert.session_outcome(pb.StepOutcome(kind=pb.StepOutcome.NEW_STATE), state)
        self.assertIsInstance(o, thor.TacticState)
        self.assertEqual(o.state.goals[0].hypotheses[0], thor.Hypothesis(("n",), "nat"))
        self.assertEqual(str(o.state), "n : nat\n====\nn = n")
        self.assertEqual(str(thor.RecheckVerdict.PASSED), "RecheckVerdict.PASSED")
        kinds = {pb.StepOutcome.PROOF_FINISHED: thor.ProofFinished,
                 pb.StepOutcome.STEP_ERROR: thor.StepError,
                 pb.StepOutcome.REFUSED: thor.Refused, pb.StepOutcome.TIMEOUT: thor.Timeout,
                 pb.StepOutcome.PROVER_LOST: thor.ProverLost}
        for kind, cls in kinds.items():
            self.assertIsInstance(_convert.session_outcome(
                pb.StepOutcome(kind=kind, message="m"), state), cls)
        self.assertEqual(_convert.session_outcome(
            pb.StepOutcome(kind=pb.StepOutcome.REFUSED, message="admit"), state).reason, "admit")


class ErrorsTest(unittest.TestCase):

    def classify(self, code, details, session_call=False):
        return type(from_status(code, details, session_call=session_call))

    def test_codes_map_to_exceptions(self):
        S = grpc.StatusCode
        self.assertIs(self.classify(S.INVALID_ARGUMENT, "theorem.statement: required"),
                      thor.InvalidTheorem)
        self.assertIs(self.classify(S.INVALID_ARGUMENT, "state.theorem.prover: required"),
                      thor.InvalidTheorem)
        self.assertIs(self.classify(S.INVALID_ARGUMENT, "config.queue_size: must be"),
                      thor.InvalidArgument)
        self.assertIs(self.classify(S.RESOURCE_EXHAUSTED, "too many sessions"),
                      thor.LimitExceeded)
        self.assertIs(self.classify(S.UNAVAILABLE, "down"), thor.Unavailable)
        # ProofSession's messages, as sessions/ words them.
        for message, cls in [
                ("session_id: unknown session (not opened on this server, or ended long ago)",
                 thor.SessionNotFound),
                ("session_id: session ab12... expired (idle for 600 s) while this call waited",
                 thor.SessionNotFound),
                ("session_id: the session was closed before RunStep ran", thor.SessionNotFound),
                ("state_id: state 7 was dropped (DropState of it or of a state it was reached "
                 "from)", thor.StateNotFound),
                ("state_id: unknown state 'x' (ids are the decimal numbers the session "
                 "returned; \"0\" is the root)", thor.StateNotFound),
                ("state 7 not found in the session", thor.StateNotFound)]:
            self.assertIs(self.classify(S.NOT_FOUND, message, True), cls, message)
        self.assertIs(self.classify(S.NOT_FOUND, "unknown service"), thor.NotFound)
        self.assertIs(self.classify(S.UNIMPLEMENTED, ""), thor.Unimplemented)
        self.assertIs(self.classify(S.INTERNAL, "boom"), thor.ThorError)
        e = from_status(S.RESOURCE_EXHAUSTED, "limit 64 states")
        self.assertEqual((e.code, e.details), (S.RESOURCE_EXHAUSTED, "limit 64 states"))
        self.assertIn("RESOURCE_EXHAUSTED: limit 64 states", str(e))


if __name__ == "__main__":
    unittest.main(verbosity=2)
