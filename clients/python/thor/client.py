"""The synchronous client: thor.Client and its interactive thor.Session.

    client = thor.Client("127.0.0.1:50051")
    for event in client.prove(thor.Theorem("forall n : nat, n + 0 = n"), wall_time_s=60):
        print(event)
    with client.session(thor.Theorem("forall n : nat, n + 0 = n")) as s:
        r = s.run(s.root, "intros n.")
"""

from __future__ import annotations

from typing import Iterator, Optional, Sequence

import grpc

from thor import _base, _convert, events, health, reflection, types
from thor.errors import ThorError, from_rpc_error


class Client(_base.ClientBase):
    """A connection to `thor serve`.

    address: "host:port". tls: connect with TLS (root_certificates: PEM bytes or
    a file; None: the system's roots). token / token_file: the server's bearer
    token ($THOR_AUTH_TOKEN when neither is given). timeout: default deadline in
    seconds of each unary call (None: none; prove() streams have none).
    """

    def __init__(self, address: str = "127.0.0.1:50051", *, tls: bool = False,
                 root_certificates=None, token: Optional[str] = None, token_file=None,
                 timeout: Optional[float] = None, options: Sequence = ()):
        super().__init__(grpc, address, tls, root_certificates, token, token_file, timeout,
                         options)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _invoke(self, method, request, timeout, convert, session_call=False):
        # Through a future so that Ctrl-C cancels the call (and the server
        # stops the prover work) instead of leaving it running.
        future = method.future(request, timeout=timeout or self._timeout,
                               metadata=self._metadata)
        try:
            return convert(future.result())
        except grpc.RpcError as e:
            raise from_rpc_error(e, session_call=session_call) from e
        except BaseException:
            future.cancel()
            raise

    def prove(self, theorem: types.Theorem, *, include_trace: bool = False,
              timeout: Optional[float] = None, **config) -> Iterator[events.Event]:
        """Runs a best-first search; yields its events, the last one `Finished`.

        config: SearchConfig's fields (wall_time_s=60, policy="heuristic",
        max_model_queries=..., sequential=True, ...). Closing the iterator
        early cancels the search.
        """
        return self._events(self._prove_call(theorem, include_trace, timeout, config))

    @staticmethod
    def _events(call) -> Iterator[events.Event]:
        try:
            for e in call:
                event = _convert.event(e)
                if event is not None:
                    yield event
        except grpc.RpcError as e:
            raise from_rpc_error(e) from e
        finally:
            call.cancel()

    def prove_result(self, theorem: types.Theorem, **kwargs) -> types.ProveResult:
        """prove() without the events: the search's result."""
        for event in self.prove(theorem, **kwargs):
            if isinstance(event, events.Finished):
                return event.result
        raise ThorError(grpc.StatusCode.UNKNOWN, "the search ended without a result")

    def health(self, service: str = "", *, timeout=None) -> health.HealthStatus:
        """grpc.health.v1 Check ("" is the whole server)."""
        return health.check(self._channel, service, timeout=timeout or self._timeout,
                            metadata=self._metadata)

    def watch_health(self, service: str = "", *, timeout=None) -> Iterator[health.HealthStatus]:
        """grpc.health.v1 Watch: the status now and at each change."""
        return health.watch(self._channel, service, timeout=timeout, metadata=self._metadata)

    def services(self, *, timeout=None) -> list:
        """The services the server offers (by reflection)."""
        return reflection.list_services(self._channel, timeout=timeout or self._timeout,
                                        metadata=self._metadata)

    def api_differences(self, *, timeout=None) -> list:
        """How the server's thor.v1 API differs from this client's (empty: the same)."""
        return reflection.api_differences(reflection.server_api(
            self._channel, timeout=timeout or self._timeout, metadata=self._metadata))


class Session(_base.SessionBase):
    __doc__ = _base.SessionBase.__doc__

    def open(self) -> "Session":
        if self.id is None:
            self._invoke("OpenSession", self._open_request, self._opened)
        return self

    def __enter__(self) -> "Session":
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close(missing_ok=True)

    def close(self, *, missing_ok: bool = False) -> Optional[int]:
        """Closes the session; returns how many states it held (None if closed before)."""
        request = self._close_request()
        if request is None:
            return None
        try:
            return self._invoke("CloseSession", request, lambda r: r.states)
        except ThorError as e:
            if self._closed_anyway(e, missing_ok):
                return None
            raise


Client._session_class = Session
