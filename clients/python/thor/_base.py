"""What thor.Client and thor.aio.Client share: every unary call is written once
here and returns `self._invoke(...)`, which the sync client runs to the
converted answer and the asyncio client makes a coroutine of."""

from __future__ import annotations

from typing import Optional, Sequence

import grpc

from thor import _channel, _convert, types
from thor._proto import thor_pb2 as pb
from thor._proto import thor_pb2_grpc as pb_grpc
from thor.errors import FailedPrecondition


class ClientBase:
    """Channel, token and stubs; the unary ProofSearch calls."""

    def __init__(self, grpc_module, address: str, tls: bool, root_certificates,
                 token: Optional[str], token_file, timeout: Optional[float], options):
        self.address = address
        self._channel = _channel.make(grpc_module, address, tls, root_certificates, options)
        self._metadata = _channel.token_metadata(token, token_file)
        self._timeout = timeout
        self._search = pb_grpc.ProofSearchStub(self._channel)
        self._sessions = pb_grpc.ProofSessionStub(self._channel)

    @property
    def channel(self):
        return self._channel

    _session_class = None  # thor.Session or thor.aio.Session

    def _invoke(self, method, request, timeout, convert, session_call=False):
        raise NotImplementedError

    def session(self, theorem: types.Theorem, *, step_timeout_s: Optional[float] = None,
                idle_timeout_s: Optional[float] = None):
        """An interactive session on `theorem`, opened by `with` (`async with` for
        thor.aio) or .open(), closed on leaving it."""
        return self._session_class(self, theorem, step_timeout_s, idle_timeout_s)

    def _prove_call(self, theorem, include_trace, timeout, config):
        request = pb.ProveRequest(theorem=_convert.theorem(theorem),
                                  config=_convert.search_config(config),
                                  include_trace=include_trace)
        return self._search.Prove(request, timeout=timeout, metadata=self._metadata)

    def suggest(self, theorem: types.Theorem, steps: Sequence[str] = (), *,
                n: Optional[int] = None, temperature: Optional[float] = None,
                policy: str = "", try_steps: bool = False,
                step_timeout_s: Optional[float] = None, timeout=None) -> types.Suggestions:
        """Ranked next steps for the state `steps` reach (replayed from scratch)."""
        request = _convert.suggest_request(theorem, steps, n, temperature, policy, try_steps,
                                           step_timeout_s)
        return self._invoke(self._search.SuggestSteps, request, timeout, _convert.suggestions)

    def check_proof(self, theorem: types.Theorem, steps: Optional[Sequence[str]] = None, *,
                    proof_text: Optional[str] = None, timeout_s: Optional[float] = None,
                    timeout=None) -> types.CheckResult:
        """Re-checks a complete proof (its steps, or Proof.text) in a fresh prover."""
        request = _convert.check_request(theorem, steps, proof_text, timeout_s)
        return self._invoke(self._search.CheckProof, request, timeout, _convert.check)

    def hammer(self, tptp_problem: Optional[str] = None, *,
               theorem: Optional[types.Theorem] = None, steps: Sequence[str] = (),
               provers: Sequence[str] = (), timeout_s: Optional[float] = None,
               max_premises: Optional[int] = None, minimize: bool = False,
               timeout=None) -> types.HammerResult:
        """The hammer on a TPTP problem, or on the goal `steps` reach in `theorem`."""
        request = _convert.hammer_request(tptp_problem, theorem, steps, provers, timeout_s,
                                          max_premises, minimize)
        return self._invoke(self._search.Hammer, request, timeout, _convert.hammer)

    def select_premises(self, tptp_problem: str, *, method: str = "",
                        max_premises: Optional[int] = None,
                        timeout=None) -> types.PremiseSelection:
        """Premise selection over a TPTP problem's axioms ("mepo", "knn", "mesh")."""
        request = _convert.premises_request(tptp_problem, method, max_premises)
        return self._invoke(self._search.SelectPremises, request, timeout, _convert.premises)


class SessionBase:
    """A theorem open on the server: a tree of states, each extendable again.

    `root` is the initial state; states are passed as State values or ids. A step
    the server refuses comes back as `Refused`, one the prover rejects as
    `StepError`: outcomes are values, errors of the call are exceptions.
    """

    def __init__(self, client: ClientBase, theorem: types.Theorem,
                 step_timeout_s: Optional[float], idle_timeout_s: Optional[float]):
        self._client = client
        self.theorem = theorem
        self._open_request = _convert.open_request(theorem, step_timeout_s, idle_timeout_s)
        self.id: Optional[str] = None
        self.root: Optional[types.State] = None
        self.open_elapsed_s = 0.0
        self.closed = False

    def _invoke(self, name: str, request, convert, timeout=None):
        if self.id is None and name != "OpenSession":
            raise FailedPrecondition(grpc.StatusCode.FAILED_PRECONDITION,
                                     "the session is not open: use `with client.session(theorem)"
                                     " as s:` (`async with` for thor.aio) or s.open()")
        return self._client._invoke(getattr(self._client._sessions, name), request, timeout,
                                    convert, session_call=True)

    def _opened(self, r: pb.OpenSessionResponse) -> "SessionBase":
        self.id, self.root = r.session_id, _convert.state(r.root)
        self.open_elapsed_s = r.elapsed_s
        return self

    def _close_request(self) -> Optional[pb.CloseSessionRequest]:
        """The request to send, or None when there is nothing to close."""
        if self.id is None or self.closed:
            return None
        self.closed = True
        return pb.CloseSessionRequest(session_id=self.id)

    def run(self, state: _convert.StateRef, step: str, *,
            timeout_s: Optional[float] = None) -> types.Outcome:
        """Runs `step` on `state`: TacticState, ProofFinished, StepError, Refused,
        Timeout or ProverLost."""
        return self._invoke("RunStep", _convert.run_request(self.id, state, step, timeout_s),
                            lambda r: _convert.session_outcome(r.outcome, r.state))

    def hammer(self, state: _convert.StateRef, *,
               timeout_s: Optional[float] = None) -> types.SessionHammerResult:
        """The hammer on the state's goal; applies the step it reconstructs."""
        return self._invoke("Hammer", _convert.session_hammer_request(self.id, state, timeout_s),
                            _convert.session_hammer)

    def get(self, state: _convert.StateRef) -> types.State:
        return self._invoke("GetState", pb.GetStateRequest(
            session_id=self.id, state_id=_convert.state_id(state)), _convert.state)

    def drop(self, state: _convert.StateRef) -> int:
        """Drops the state and all states below it; returns how many."""
        return self._invoke("DropState", pb.DropStateRequest(
            session_id=self.id, state_id=_convert.state_id(state)), lambda r: r.dropped)

    def check(self, state: _convert.StateRef, *,
              timeout_s: Optional[float] = None) -> types.CheckResult:
        """Re-checks the proof ending at a finished state in a fresh prover."""
        return self._invoke("CheckProof",
                            _convert.session_check_request(self.id, state, timeout_s),
                            lambda r: _convert.check(r.check, r.proof))

    @staticmethod
    def _closed_anyway(error, missing_ok: bool) -> bool:
        """On __exit__, an expired session or a server gone leaves nothing to close."""
        return missing_ok and error.code.name in ("NOT_FOUND", "UNAVAILABLE")
