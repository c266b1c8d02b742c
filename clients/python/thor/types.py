"""Thor's values as Python dataclasses: theorems, proofs, states, outcomes, results.

Each mirrors a message of proto/thor/v1/thor.proto (the field comments there
are the reference); thor._convert turns one into the other. Enums keep the
proto's numbers, so an unknown value from a newer server becomes UNSPECIFIED
instead of an exception.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Tuple, Union


class _Enum(enum.IntEnum):
    """Prints as "RecheckVerdict.PASSED" (Python 3.11's IntEnum prints "1")."""

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class OutcomeKind(_Enum):
    """How one step ended (StepOutcome.Kind)."""
    UNSPECIFIED = 0
    NEW_STATE = 1
    PROOF_FINISHED = 2
    STEP_ERROR = 3
    TIMEOUT = 4
    PROVER_LOST = 5
    REFUSED = 6


class RecheckVerdict(_Enum):
    """Whether a fresh prover process accepted a proof (RECHECK_*)."""
    UNSPECIFIED = 0
    PASSED = 1
    FAILED = 2
    SKIPPED = 3
    ERROR = 4


class SearchStatus(_Enum):
    """How a search ended."""
    UNSPECIFIED = 0
    PROVED = 1
    PROVED_UNCHECKED = 2
    EXHAUSTED = 3
    QUERY_BUDGET = 4
    TIME_BUDGET = 5
    CANCELLED = 6
    RECHECK_REJECTED = 7
    ERROR = 8


class AtpStatus(_Enum):
    """SZS-style status of a hammer run (ATP_*)."""
    UNSPECIFIED = 0
    PROVED = 1
    DISPROVED = 2
    UNKNOWN = 3
    ERROR = 4


@dataclass(frozen=True)
class Theorem:
    """A theorem to prove. For Coq, `statement` is a type ("forall n : nat, n + 0 = n")
    or a whole "Lemma name : ...." sentence, and `context` the start of a .v file."""
    statement: str
    prover: str = "coq"
    name: str = ""
    context: str = ""
    imports: Tuple[str, ...] = ()
    file_path: str = ""
    session: str = ""
    working_directory: str = ""
    allowed_axioms: Tuple[str, ...] = ()


@dataclass(frozen=True)
class StepOutcome:
    """A step's outcome as a search or a suggestion reports it."""
    kind: OutcomeKind
    state_text: str = ""
    message: str = ""
    elapsed_s: float = 0.0


@dataclass(frozen=True)
class ProofStep:
    text: str
    from_hammer: bool = False
    hammer_prover: str = ""


@dataclass(frozen=True)
class Proof:
    """A complete proof; `text` is what a user pastes after the statement."""
    steps: Tuple[ProofStep, ...]
    text: str

    @property
    def tactics(self) -> Tuple[str, ...]:
        return tuple(s.text for s in self.steps)


@dataclass(frozen=True)
class SearchStats:
    model_queries: int = 0
    candidates: int = 0
    steps_applied: int = 0
    steps_failed: int = 0
    steps_timed_out: int = 0
    steps_refused: int = 0
    hammer_calls: int = 0
    hammer_successes: int = 0
    states_expanded: int = 0
    states_seen: int = 0
    duplicate_states: int = 0
    provers_lost: int = 0
    wall_s: float = 0.0
    model_s: float = 0.0
    prover_s: float = 0.0
    hammer_s: float = 0.0
    recheck_s: float = 0.0


@dataclass(frozen=True)
class ProveResult:
    status: SearchStatus
    proof: Optional[Proof]
    recheck: RecheckVerdict
    message: str
    stats: SearchStats
    search_id: str
    seed: int
    axioms: Tuple[str, ...] = ()
    checkers: Tuple[str, ...] = ()
    trace_json: str = ""

    @property
    def proved(self) -> bool:
        """Found and re-checked by a fresh prover (PROVED)."""
        return self.status == SearchStatus.PROVED


@dataclass(frozen=True)
class CheckResult:
    """A fresh re-check; for a session's check also the proof it checked."""
    verdict: RecheckVerdict
    message: str
    elapsed_s: float
    axioms: Tuple[str, ...] = ()
    checkers: Tuple[str, ...] = ()
    proof: Optional[Proof] = None

    @property
    def passed(self) -> bool:
        return self.verdict == RecheckVerdict.PASSED


@dataclass(frozen=True)
class Suggestion:
    step: str
    logprob: float
    is_hammer: bool
    outcome: Optional[StepOutcome] = None  # Only with try_steps=True.


@dataclass(frozen=True)
class Suggestions:
    state_text: str
    suggestions: Tuple[Suggestion, ...]


@dataclass(frozen=True)
class HammerResult:
    status: AtpStatus
    szs_status: str
    prover: str
    used_premises: Tuple[str, ...]
    step: str
    elapsed_s: float
    message: str


@dataclass(frozen=True)
class Premise:
    name: str
    score: float


@dataclass(frozen=True)
class PremiseSelection:
    premises: Tuple[Premise, ...]
    elapsed_s: float


# --- sessions ---------------------------------------------------------------

@dataclass(frozen=True)
class Hypothesis:
    names: Tuple[str, ...]
    type: str
    body: str = ""


@dataclass(frozen=True)
class Goal:
    conclusion: str
    hypotheses: Tuple[Hypothesis, ...] = ()


@dataclass(frozen=True)
class State:
    """A proof state of a session; `str(state)` is the prover's goals."""
    id: str
    parent_id: str = ""
    step: str = ""
    depth: int = 0
    goals_text: str = ""
    goals: Tuple[Goal, ...] = ()
    finished: bool = False
    steps: Tuple[str, ...] = field(default=(), repr=False)

    def __str__(self) -> str:
        return self.goals_text


@dataclass(frozen=True)
class _Reached:
    state: State
    elapsed_s: float = 0.0


@dataclass(frozen=True)
class _Failed:
    message: str = ""
    elapsed_s: float = 0.0


class TacticState(_Reached):
    """The step applied; the proof goes on from `state`."""


class ProofFinished(_Reached):
    """The step applied and no goals remain; `Session.check(state)` re-checks it."""


class StepError(_Failed):
    """The prover rejected the step; `message` is the prover's."""


class Timeout(_Failed):
    """The step ran past its time limit and was stopped."""


class ProverLost(_Failed):
    """The step killed the prover process; the server replaced it."""


@dataclass(frozen=True)
class Refused:
    """Thor refused the step before the prover saw it (admit, sorry, ...)."""
    reason: str
    elapsed_s: float = 0.0


Outcome = Union[TacticState, ProofFinished, StepError, Refused, Timeout, ProverLost]


@dataclass(frozen=True)
class SessionHammerResult:
    """A hammer call on a session state: `outcome` is that of applying `step`."""
    success: bool
    step: str
    prover: str
    premises: Tuple[str, ...]
    outcome: Optional[Outcome]
    elapsed_s: float
    message: str
