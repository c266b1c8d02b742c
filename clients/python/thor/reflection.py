"""gRPC server reflection (grpc.reflection.v1alpha, which `thor serve` serves).

`list_services` names the services; `server_api` fetches the descriptor of
the server's thor.v1 proto and `api_differences` compares it with the one
this client was generated from, so a client can tell that the server speaks
another version of the API before a call fails.
"""

from __future__ import annotations

from typing import List

import grpc
from google.protobuf import descriptor_pb2

from thor import _proto
from thor._proto import thor_pb2
from thor.errors import ThorError, from_rpc_error, from_status


def _request(**kind):
    pb, _ = _proto.reflection()
    return pb.ServerReflectionRequest(**kind)


def _stub(channel):
    _, pb_grpc = _proto.reflection()
    return pb_grpc.ServerReflectionStub(channel)


def _answer(response, what: str):
    if response is None:
        raise ThorError(grpc.StatusCode.UNKNOWN, f"no reflection answer to {what}")
    if response.HasField("error_response"):
        err = response.error_response
        code = next((c for c in grpc.StatusCode if c.value[0] == err.error_code),
                    grpc.StatusCode.UNKNOWN)
        raise from_status(code, f"{what}: {err.error_message}")
    return response


def _files(response) -> List[descriptor_pb2.FileDescriptorProto]:
    return [descriptor_pb2.FileDescriptorProto.FromString(b)
            for b in response.file_descriptor_response.file_descriptor_proto]


def _one(channel, request, timeout, metadata):
    call = _stub(channel).ServerReflectionInfo(iter([request]), timeout=timeout,
                                               metadata=metadata)
    try:
        return next(call, None)
    except grpc.RpcError as e:
        raise from_rpc_error(e) from e
    finally:
        call.cancel()


async def _one_async(channel, request, timeout, metadata):
    call = _stub(channel).ServerReflectionInfo(iter([request]), timeout=timeout,
                                               metadata=metadata)
    try:
        async for response in call:
            return response
        return None
    except grpc.RpcError as e:
        raise from_rpc_error(e) from e
    finally:
        call.cancel()


def list_services(channel, *, timeout=None, metadata=()) -> List[str]:
    r = _answer(_one(channel, _request(list_services=""), timeout, metadata), "list_services")
    return sorted(s.name for s in r.list_services_response.service)


def file_containing_symbol(channel, symbol: str, *, timeout=None,
                           metadata=()) -> List[descriptor_pb2.FileDescriptorProto]:
    """The file that defines `symbol` (e.g. "thor.v1.ProofSearch"), then its imports."""
    r = _one(channel, _request(file_containing_symbol=symbol), timeout, metadata)
    return _files(_answer(r, symbol))


def server_api(channel, *, timeout=None, metadata=()) -> descriptor_pb2.FileDescriptorProto:
    return _thor_file(file_containing_symbol(channel, "thor.v1.ProofSearch", timeout=timeout,
                                             metadata=metadata))


async def list_services_async(channel, *, timeout=None, metadata=()) -> List[str]:
    r = await _one_async(channel, _request(list_services=""), timeout, metadata)
    return sorted(s.name for s in _answer(r, "list_services").list_services_response.service)


async def server_api_async(channel, *, timeout=None,
                           metadata=()) -> descriptor_pb2.FileDescriptorProto:
    r = await _one_async(channel, _request(file_containing_symbol="thor.v1.ProofSearch"),
                         timeout, metadata)
    return _thor_file(_files(_answer(r, "thor.v1.ProofSearch")))


def _thor_file(files) -> descriptor_pb2.FileDescriptorProto:
    # By package: the server's build may name the file otherwise (CMake and
    # Bazel compile it as proto/thor/v1/thor.proto).
    for f in files:
        if f.package == "thor.v1":
            return f
    raise ThorError(grpc.StatusCode.NOT_FOUND, "the server sent no thor.v1 proto file")


def client_api() -> descriptor_pb2.FileDescriptorProto:
    return descriptor_pb2.FileDescriptorProto.FromString(thor_pb2.DESCRIPTOR.serialized_pb)


def api_differences(server: descriptor_pb2.FileDescriptorProto,
                    client: descriptor_pb2.FileDescriptorProto = None) -> List[str]:
    """Top-level messages, enums and services that differ, e.g. ["message SearchConfig"]."""
    client = client or client_api()
    out = []
    for kind, attr in (("message", "message_type"), ("enum", "enum_type"),
                       ("service", "service")):
        ours = {d.name: d for d in getattr(client, attr)}
        theirs = {d.name: d for d in getattr(server, attr)}
        for name in sorted(set(ours) | set(theirs)):
            if ours.get(name) != theirs.get(name):
                where = ("only on the server" if name not in ours else
                         "only in the client" if name not in theirs else "differs")
                out.append(f"{kind} {name} ({where})")
    return out
