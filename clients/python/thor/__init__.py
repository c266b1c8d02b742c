"""Python client of Thor, the theorem-proving service (`thor serve`).

    import thor
    client = thor.Client("127.0.0.1:50051")
    with client.session(thor.Theorem("forall n : nat, n + 0 = n")) as s:
        r = s.run(s.root, "induction n.")        # thor.TacticState (two goals)
        for step in ["reflexivity.", "simpl.", "rewrite IHn.", "reflexivity."]:
            r = s.run(r.state, step)             # the last: thor.ProofFinished
        print(s.check(r.state).verdict)          # RecheckVerdict.PASSED

thor.aio has the same API for asyncio. See clients/python/README.md.
"""

from thor.client import Client, Session
from thor.errors import (Cancelled, DeadlineExceeded, FailedPrecondition, InvalidArgument,
                         InvalidTheorem, LimitExceeded, NotFound, PermissionDenied,
                         SessionNotFound, StateNotFound, ThorError, Unauthenticated, Unavailable,
                         Unimplemented)
from thor.events import (Event, Finished, HammerCalled, Preparing, Progress, Started,
                         StepTried)
from thor.health import HealthStatus
from thor.types import (AtpStatus, CheckResult, Goal, HammerResult, Hypothesis, Outcome,
                        OutcomeKind, Premise, PremiseSelection, Proof, ProofFinished, ProofStep,
                        ProverLost, ProveResult, RecheckVerdict, Refused, SearchStats,
                        SearchStatus, SessionHammerResult, State, StepError, StepOutcome,
                        Suggestion, Suggestions, TacticState, Theorem, Timeout)

__version__ = "0.1.0"

__all__ = [
    "AtpStatus", "Cancelled", "CheckResult", "Client", "DeadlineExceeded", "Event",
    "FailedPrecondition", "Finished", "Goal", "HammerCalled", "HammerResult", "HealthStatus",
    "Hypothesis", "InvalidArgument", "InvalidTheorem", "LimitExceeded", "NotFound", "Outcome",
    "OutcomeKind", "PermissionDenied", "Premise", "PremiseSelection", "Preparing", "Progress",
    "Proof", "ProofFinished", "ProofStep", "ProverLost", "ProveResult", "RecheckVerdict",
    "Refused", "SearchStats", "SearchStatus", "Session", "SessionHammerResult",
    "SessionNotFound", "Started", "State", "StateNotFound", "StepError", "StepOutcome",
    "StepTried", "Suggestion", "Suggestions", "TacticState", "Theorem", "ThorError",
    "Timeout", "Unauthenticated", "Unavailable", "Unimplemented",
]
