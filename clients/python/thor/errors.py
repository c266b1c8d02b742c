"""gRPC errors as typed exceptions.

Every failed call raises a ThorError subclass chosen by the status code;
`code` (a grpc.StatusCode) and `details` (the server's message, which names
the offending field) are kept. A step the prover rejects is not an error: it is
a StepError/Refused/Timeout outcome value (see thor.types).
"""

from __future__ import annotations

import re

import grpc


class ThorError(Exception):
    """A Thor call failed; `code` is the gRPC status code, `details` its message."""

    def __init__(self, code: grpc.StatusCode, details: str):
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details


class InvalidArgument(ThorError):
    """INVALID_ARGUMENT: a request field is wrong; the message names it."""


class InvalidTheorem(InvalidArgument):
    """INVALID_ARGUMENT about the theorem (its prover, statement, imports, ...)."""


class NotFound(ThorError):
    """NOT_FOUND."""


class SessionNotFound(NotFound):
    """The session is unknown, closed or expired (idle too long)."""


class StateNotFound(NotFound):
    """The session is there but the state is not (never made or dropped)."""


class LimitExceeded(ThorError):
    """RESOURCE_EXHAUSTED: too many sessions, states or requests."""


class PermissionDenied(ThorError):
    """PERMISSION_DENIED (e.g. a theorem file outside the server's root)."""


class Unauthenticated(ThorError):
    """UNAUTHENTICATED: the server wants a (different) bearer token."""


class FailedPrecondition(ThorError):
    """FAILED_PRECONDITION (e.g. checking a state that is not finished)."""


class Unavailable(ThorError):
    """UNAVAILABLE: no server at the address, or it is shutting down."""


class DeadlineExceeded(ThorError):
    """DEADLINE_EXCEEDED: the call's own timeout ran out."""


class Cancelled(ThorError):
    """CANCELLED."""


class Unimplemented(ThorError):
    """UNIMPLEMENTED: the server lacks the call (a thor serve older than this client)."""


_BY_CODE = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.RESOURCE_EXHAUSTED: LimitExceeded,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
    grpc.StatusCode.CANCELLED: Cancelled,
    grpc.StatusCode.UNIMPLEMENTED: Unimplemented,
}

# The server's field paths: "theorem.statement: required ...",
# "state.theorem.prover: ...".
_THEOREM_FIELD = re.compile(r"^(?:\w+\.)*theorem(?:[.\[:]|$)")
# ProofSession's NOT_FOUND messages start with the field at fault
# ("state_id: state 7 was dropped ...", "session_id: unknown session ...").
_STATE_MISSING = re.compile(r"^state_id\b|^(?!session_id\b).*\bstate\b", re.I)


def from_status(code: grpc.StatusCode, details: str, *, session_call: bool = False) -> ThorError:
    """The typed exception for a status code and its message."""
    cls = _BY_CODE.get(code, ThorError)
    if cls is InvalidArgument and _THEOREM_FIELD.match(details):
        cls = InvalidTheorem
    elif cls is NotFound and session_call:
        if _STATE_MISSING.match(details):
            cls = StateNotFound
        else:
            cls = SessionNotFound
    return cls(code, details)


def from_rpc_error(error: grpc.RpcError, *, session_call: bool = False) -> ThorError:
    """The typed exception for a failed call (grpc or grpc.aio)."""
    code = error.code() if callable(getattr(error, "code", None)) else grpc.StatusCode.UNKNOWN
    details = (error.details() if callable(getattr(error, "details", None)) else "") or ""
    return from_status(code, details, session_call=session_call)
