"""Protobuf messages <-> thor.types dataclasses, shared by the sync and asyncio clients."""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, Mapping, Optional, Union

from thor import events, types
from thor._proto import thor_pb2 as pb

StateRef = Union[types.State, str]

# SearchConfig's fields, for prove(**config) keyword checking.
SEARCH_CONFIG_FIELDS = tuple(f.name for f in pb.SearchConfig.DESCRIPTOR.fields)


def _enum(cls, value):
    try:
        return cls(value)
    except ValueError:  # A value newer than this client.
        return cls.UNSPECIFIED


def _set_optional(message, **values):
    for name, value in values.items():
        if value is not None:
            setattr(message, name, value)
    return message


# --- requests ----------------------------------------------------------------

def theorem(t: types.Theorem) -> pb.Theorem:
    if not isinstance(t, types.Theorem):
        raise TypeError(f"expected thor.Theorem, got {type(t).__name__}")
    return pb.Theorem(prover=t.prover, name=t.name, context=t.context, statement=t.statement,
                      file_path=t.file_path, imports=list(t.imports), session=t.session,
                      working_directory=t.working_directory,
                      allowed_axioms=list(t.allowed_axioms))


def search_config(config: Mapping[str, Any]) -> pb.SearchConfig:
    unknown = sorted(set(config) - set(SEARCH_CONFIG_FIELDS))
    if unknown:
        raise TypeError(f"unknown search setting(s) {', '.join(unknown)}; "
                        f"SearchConfig has {', '.join(SEARCH_CONFIG_FIELDS)}")
    return _set_optional(pb.SearchConfig(), **config)


def state_id(state: StateRef) -> str:
    return state.id if isinstance(state, types.State) else str(state)


def suggest_request(t, steps, n, temperature, policy, try_steps, step_timeout_s):
    r = pb.SuggestStepsRequest(theorem=theorem(t), steps=list(steps), policy=policy,
                               try_steps=try_steps)
    return _set_optional(r, n=n, temperature=temperature, step_timeout_s=step_timeout_s)


def check_request(t, steps, proof_text, timeout_s):
    if (steps is None) == (proof_text is None):
        raise ValueError("pass either steps or proof_text")
    r = pb.CheckProofRequest(theorem=theorem(t), steps=list(steps or ()),
                             proof_text=proof_text or "")
    return _set_optional(r, timeout_s=timeout_s)


def hammer_request(tptp_problem, t, steps, provers, timeout_s, max_premises, minimize):
    if (tptp_problem is None) == (t is None):
        raise ValueError("pass either tptp_problem or theorem (with steps)")
    r = pb.HammerRequest(provers=list(provers), minimize=minimize)
    if tptp_problem is not None:
        r.tptp_problem = tptp_problem
    else:
        r.state.CopyFrom(pb.TheoremState(theorem=theorem(t), steps=list(steps)))
    return _set_optional(r, timeout_s=timeout_s, max_premises=max_premises)


def premises_request(tptp_problem, method, max_premises):
    r = pb.SelectPremisesRequest(tptp_problem=tptp_problem, method=method)
    return _set_optional(r, max_premises=max_premises)


# --- responses ---------------------------------------------------------------

def step_outcome(o: pb.StepOutcome) -> types.StepOutcome:
    return types.StepOutcome(_enum(types.OutcomeKind, o.kind), o.state_text, o.message,
                             o.elapsed_s)


def proof(p: pb.Proof) -> Optional[types.Proof]:
    if not p.steps and not p.text:
        return None
    return types.Proof(tuple(types.ProofStep(s.text, s.from_hammer, s.hammer_prover)
                             for s in p.steps), p.text)


def stats(s: pb.SearchStats) -> types.SearchStats:
    return types.SearchStats(**{f.name: getattr(s, f.name)
                                for f in dataclasses.fields(types.SearchStats)})


def prove_result(r: pb.ProveResult) -> types.ProveResult:
    return types.ProveResult(
        status=_enum(types.SearchStatus, r.status),
        proof=proof(r.proof) if r.HasField("proof") else None,
        recheck=_enum(types.RecheckVerdict, r.recheck), message=r.message,
        stats=stats(r.stats), search_id=r.search_id, seed=r.seed, axioms=tuple(r.axioms),
        checkers=tuple(r.checkers), trace_json=r.trace_json)


def _config_dict(c: pb.SearchConfig) -> Dict[str, Any]:
    return {f.name: v for f, v in c.ListFields()}


def event(e: pb.SearchEvent) -> Optional[events.Event]:
    """The typed event, or None for a kind newer than this client."""
    kind, t = e.WhichOneof("event"), e.t_s
    if kind == "preparing":
        p = e.preparing
        return events.Preparing(t, p.phase, p.prover, p.message)
    if kind == "started":
        s = e.started
        return events.Started(t, s.search_id, s.prover, s.policy, _config_dict(s.config),
                              s.initial_state, s.server.version, s.server.commit,
                              s.server.protocol)
    if kind == "step":
        s = e.step
        return events.StepTried(t, s.from_state, s.to_state, s.step, s.logprob,
                                step_outcome(s.outcome))
    if kind == "hammer":
        h = e.hammer
        return events.HammerCalled(t, h.from_state, h.success, h.step, h.prover,
                                   tuple(h.premises), h.elapsed_s, h.message)
    if kind == "progress":
        p = e.progress
        return events.Progress(t, stats(p.stats), p.queue_length, p.best_score)
    if kind == "finished":
        return events.Finished(t, prove_result(e.finished))
    return None


def check(c: pb.CheckProofResponse, p: Optional[pb.Proof] = None) -> types.CheckResult:
    return types.CheckResult(_enum(types.RecheckVerdict, c.verdict), c.message, c.elapsed_s,
                             tuple(c.axioms), tuple(c.checkers),
                             proof(p) if p is not None else None)


def suggestions(r: pb.SuggestStepsResponse) -> types.Suggestions:
    return types.Suggestions(r.state_text, tuple(
        types.Suggestion(s.step, s.logprob, s.is_hammer,
                         step_outcome(s.outcome) if s.HasField("outcome") else None)
        for s in r.suggestions))


def hammer(r: pb.HammerResponse) -> types.HammerResult:
    return types.HammerResult(_enum(types.AtpStatus, r.status), r.szs_status, r.prover,
                              tuple(r.used_premises), r.step, r.elapsed_s, r.message)


def premises(r: pb.SelectPremisesResponse) -> types.PremiseSelection:
    return types.PremiseSelection(tuple(types.Premise(p.name, p.score) for p in r.premises),
                                  r.elapsed_s)


def state(s: pb.SessionState) -> types.State:
    goals = tuple(
        types.Goal(g.conclusion, tuple(types.Hypothesis(tuple(h.names), h.type, h.body)
                                       for h in g.hypotheses))
        for g in s.goals)
    return types.State(s.state_id, s.parent_id, s.step, s.depth, s.goals_text, goals,
                       s.finished, tuple(s.steps))


def session_outcome(o: pb.StepOutcome, s: pb.SessionState) -> types.Outcome:
    kind = o.kind
    if kind == pb.StepOutcome.NEW_STATE:
        return types.TacticState(state(s), o.elapsed_s)
    if kind == pb.StepOutcome.PROOF_FINISHED:
        return types.ProofFinished(state(s), o.elapsed_s)
    if kind == pb.StepOutcome.REFUSED:
        return types.Refused(o.message, o.elapsed_s)
    if kind == pb.StepOutcome.TIMEOUT:
        return types.Timeout(o.message, o.elapsed_s)
    if kind == pb.StepOutcome.PROVER_LOST:
        return types.ProverLost(o.message, o.elapsed_s)
    # STEP_ERROR, and a kind newer than this client, as an error with its text.
    return types.StepError(o.message, o.elapsed_s)


def session_hammer(r: pb.SessionHammerResponse) -> types.SessionHammerResult:
    outcome = session_outcome(r.outcome, r.state) if r.HasField("outcome") else None
    return types.SessionHammerResult(r.success, r.step, r.prover, tuple(r.premises), outcome,
                                     r.elapsed_s, r.message)



def open_request(t, step_timeout_s, idle_timeout_s) -> pb.OpenSessionRequest:
    return _set_optional(pb.OpenSessionRequest(theorem=theorem(t)),
                         step_timeout_s=step_timeout_s, idle_timeout_s=idle_timeout_s)


def run_request(session_id, s: StateRef, step: str, timeout_s) -> pb.RunStepRequest:
    return _set_optional(pb.RunStepRequest(session_id=session_id, state_id=state_id(s),
                                           step=step), timeout_s=timeout_s)


def session_hammer_request(session_id, s: StateRef, timeout_s) -> pb.SessionHammerRequest:
    return _set_optional(pb.SessionHammerRequest(session_id=session_id, state_id=state_id(s)),
                         timeout_s=timeout_s)


def session_check_request(session_id, s: StateRef, timeout_s) -> pb.CheckSessionProofRequest:
    return _set_optional(pb.CheckSessionProofRequest(session_id=session_id,
                                                     state_id=state_id(s)),
                         timeout_s=timeout_s)
