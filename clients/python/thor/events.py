"""The events of a running search (SearchEvent), one dataclass a kind.

`Client.prove()` yields them in order; the last is always `Finished`. `t_s`
is seconds since the search started.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Tuple, Union

from thor.types import ProveResult, SearchStats, StepOutcome


@dataclass(frozen=True)
class Preparing:
    """The server is starting the prover ("starting_prover", "loading_theorem",
    "hammer_loading", "hammer_ready")."""
    t_s: float
    phase: str
    prover: str
    message: str


@dataclass(frozen=True)
class Started:
    t_s: float
    search_id: str
    prover: str
    policy: str
    config: Dict[str, Any]  # The SearchConfig fields the server reported as set.
    initial_state: str
    # The server's build (`thor --version`): version, commit, protocol.
    server_version: str = ""
    server_commit: str = ""
    protocol: str = ""


@dataclass(frozen=True)
class StepTried:
    t_s: float
    from_state: str
    to_state: str
    step: str
    logprob: float
    outcome: StepOutcome


@dataclass(frozen=True)
class HammerCalled:
    t_s: float
    from_state: str
    success: bool
    step: str
    prover: str
    premises: Tuple[str, ...]
    elapsed_s: float
    message: str


@dataclass(frozen=True)
class Progress:
    t_s: float
    stats: SearchStats
    queue_length: int
    best_score: float


@dataclass(frozen=True)
class Finished:
    t_s: float
    result: ProveResult


Event = Union[Preparing, Started, StepTried, HammerCalled, Progress, Finished]
