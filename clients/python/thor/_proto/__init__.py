"""Generated gRPC stubs (by clients/python/generate_stubs.py; do not edit them).

They live here, flat and with package-relative imports, so that nothing named
`grpc` or `thor.v1` is put on sys.path to shadow the real grpc package. The
health and reflection stubs are imported only when used, and the official
grpcio-health-checking / grpcio-reflection modules are preferred when
installed: the same proto registered twice in protobuf's default pool fails.
"""

import importlib


def _load(official, ours):
    try:
        return (importlib.import_module(official + "_pb2"),
                importlib.import_module(official + "_pb2_grpc"))
    except ImportError:
        return (importlib.import_module(f"{__name__}.{ours}_pb2"),
                importlib.import_module(f"{__name__}.{ours}_pb2_grpc"))


def health():
    """(health_pb2, health_pb2_grpc) of grpc.health.v1."""
    return _load("grpc_health.v1.health", "health")


def reflection():
    """(reflection_pb2, reflection_pb2_grpc) of grpc.reflection.v1alpha."""
    return _load("grpc_reflection.v1alpha.reflection", "reflection")
