"""Channel and per-call settings shared by thor.Client and thor.aio.Client."""

from __future__ import annotations

import os
from typing import Optional, Sequence, Tuple, Union

import grpc

# Thor's answers (traces, proofs) can be larger than gRPC's 4 MiB default.
_DEFAULT_OPTIONS = (("grpc.max_receive_message_length", 64 << 20),)


def _read(value: Union[bytes, str, os.PathLike, None]) -> Optional[bytes]:
    """PEM bytes as given, or read from a path."""
    if value is None or isinstance(value, bytes):
        return value
    with open(value, "rb") as f:
        return f.read()


def credentials(tls: bool, root_certificates) -> Optional[grpc.ChannelCredentials]:
    """TLS credentials (root_certificates: PEM bytes or a file; None: the system's)."""
    if not tls and root_certificates is None:
        return None
    return grpc.ssl_channel_credentials(root_certificates=_read(root_certificates))


def token_metadata(token: Optional[str], token_file) -> Tuple[Tuple[str, str], ...]:
    """The bearer token as call metadata (the server's --auth_token_file)."""
    if token is None and token_file is not None:
        with open(token_file, encoding="utf-8") as f:
            token = f.read().strip()
    if token is None:
        token = os.environ.get("THOR_AUTH_TOKEN") or None
    return (("authorization", f"Bearer {token}"),) if token else ()


def options(extra: Sequence[Tuple[str, object]]) -> list:
    return list(_DEFAULT_OPTIONS) + list(extra)


def make(module, address: str, tls: bool, root_certificates, extra_options):
    """A channel from `module` (grpc or grpc.aio)."""
    creds = credentials(tls, root_certificates)
    opts = options(extra_options)
    if creds is None:
        return module.insecure_channel(address, options=opts)
    return module.secure_channel(address, creds, options=opts)
