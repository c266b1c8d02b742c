"""The asyncio client (grpc.aio): thor.aio.Client and thor.aio.Session, the same
shape as thor.Client with coroutines and async iterators.

    async with thor.aio.Client("127.0.0.1:50051") as client:
        async for event in client.prove(theorem, wall_time_s=60):
            ...
        async with client.session(theorem) as s:
            r = await s.run(s.root, "intros n.")

Create the client inside the running event loop. Cancelling a task that waits
on a call cancels the call, and the server stops its prover work.
"""

from __future__ import annotations

from typing import AsyncIterator, Optional, Sequence

import grpc
from grpc import aio as grpc_aio

from thor import _base, _convert, events, health, reflection, types
from thor.errors import ThorError, from_rpc_error


class Client(_base.ClientBase):
    """As thor.Client (the same arguments); its calls are coroutines."""

    def __init__(self, address: str = "127.0.0.1:50051", *, tls: bool = False,
                 root_certificates=None, token: Optional[str] = None, token_file=None,
                 timeout: Optional[float] = None, options: Sequence = ()):
        super().__init__(grpc_aio, address, tls, root_certificates, token, token_file,
                         timeout, options)

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _invoke(self, method, request, timeout, convert, session_call=False):
        try:
            return convert(await method(request, timeout=timeout or self._timeout,
                                        metadata=self._metadata))
        except grpc.RpcError as e:
            raise from_rpc_error(e, session_call=session_call) from e

    async def prove(self, theorem: types.Theorem, *, include_trace: bool = False,
                    timeout: Optional[float] = None, **config) -> AsyncIterator[events.Event]:
        """As thor.Client.prove: `async for event in client.prove(...)`."""
        call = self._prove_call(theorem, include_trace, timeout, config)
        try:
            async for e in call:
                event = _convert.event(e)
                if event is not None:
                    yield event
        except grpc.RpcError as e:
            raise from_rpc_error(e) from e
        finally:
            call.cancel()

    async def prove_result(self, theorem: types.Theorem, **kwargs) -> types.ProveResult:
        async for event in self.prove(theorem, **kwargs):
            if isinstance(event, events.Finished):
                return event.result
        raise ThorError(grpc.StatusCode.UNKNOWN, "the search ended without a result")

    async def health(self, service: str = "", *, timeout=None) -> health.HealthStatus:
        return await health.check_async(self._channel, service,
                                        timeout=timeout or self._timeout,
                                        metadata=self._metadata)

    def watch_health(self, service: str = "", *,
                     timeout=None) -> AsyncIterator[health.HealthStatus]:
        return health.watch_async(self._channel, service, timeout=timeout,
                                  metadata=self._metadata)

    async def services(self, *, timeout=None) -> list:
        return await reflection.list_services_async(
            self._channel, timeout=timeout or self._timeout, metadata=self._metadata)

    async def api_differences(self, *, timeout=None) -> list:
        return reflection.api_differences(await reflection.server_api_async(
            self._channel, timeout=timeout or self._timeout, metadata=self._metadata))


class Session(_base.SessionBase):
    """As thor.Session; run, hammer, get, drop and check return coroutines."""

    async def open(self) -> "Session":
        if self.id is None:
            await self._invoke("OpenSession", self._open_request, self._opened)
        return self

    async def __aenter__(self) -> "Session":
        return await self.open()

    async def __aexit__(self, *exc) -> None:
        await self.close(missing_ok=True)

    async def close(self, *, missing_ok: bool = False) -> Optional[int]:
        request = self._close_request()
        if request is None:
            return None
        try:
            return await self._invoke("CloseSession", request, lambda r: r.states)
        except ThorError as e:
            if self._closed_anyway(e, missing_ok):
                return None
            raise


Client._session_class = Session
