"""grpc.health.v1 for a Thor server: Check (one answer) and Watch (a stream).

The server answers for the whole server ("", the default) and reports
SERVING while it admits requests; it stops serving on SIGTERM.
"""

from __future__ import annotations

from typing import AsyncIterator, Iterator

import grpc

from thor import _proto
from thor.errors import from_rpc_error
from thor.types import _Enum


class HealthStatus(_Enum):
    UNKNOWN = 0
    SERVING = 1
    NOT_SERVING = 2
    SERVICE_UNKNOWN = 3  # Watch only: the server does not know the service (yet).


def _status(response) -> HealthStatus:
    try:
        return HealthStatus(response.status)
    except ValueError:
        return HealthStatus.UNKNOWN


def _stub_and_request(channel, service):
    pb, pb_grpc = _proto.health()
    return pb_grpc.HealthStub(channel), pb.HealthCheckRequest(service=service)


def check(channel, service: str = "", *, timeout=None, metadata=()) -> HealthStatus:
    stub, request = _stub_and_request(channel, service)
    try:
        return _status(stub.Check(request, timeout=timeout, metadata=metadata))
    except grpc.RpcError as e:
        raise from_rpc_error(e) from e


def watch(channel, service: str = "", *, timeout=None, metadata=()) -> Iterator[HealthStatus]:
    """Yields the status now and at each change; stops when the call ends."""
    stub, request = _stub_and_request(channel, service)
    call = stub.Watch(request, timeout=timeout, metadata=metadata)
    try:
        for response in call:
            yield _status(response)
    except grpc.RpcError as e:
        raise from_rpc_error(e) from e
    finally:
        call.cancel()


async def check_async(channel, service: str = "", *, timeout=None,
                      metadata=()) -> HealthStatus:
    stub, request = _stub_and_request(channel, service)
    try:
        return _status(await stub.Check(request, timeout=timeout, metadata=metadata))
    except grpc.RpcError as e:
        raise from_rpc_error(e) from e


async def watch_async(channel, service: str = "", *, timeout=None,
                      metadata=()) -> AsyncIterator[HealthStatus]:
    stub, request = _stub_and_request(channel, service)
    call = stub.Watch(request, timeout=timeout, metadata=metadata)
    try:
        async for response in call:
            yield _status(response)
    except grpc.RpcError as e:
        raise from_rpc_error(e) from e
    finally:
        call.cancel()
