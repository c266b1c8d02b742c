#!/usr/bin/env python3
"""Proves one theorem on a running `thor serve` and prints the search events.

The gRPC stubs are generated at run time from proto/thor/v1/thor.proto (see
load_stubs), so the example needs nothing but grpcio and the repository:

    thor serve --listen=127.0.0.1:50051 &
    python3 examples/python/thor_client.py --server 127.0.0.1:50051 \\
        --prover coq --statement 'Lemma t : forall n : nat, n + 0 = n.'

Exit status: 0 if the theorem was proved, 1 if not, 2 on a call error.
"""

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

import grpc

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO_DIR = os.path.join(REPO, "proto", "thor", "v1")


def load_stubs(proto_dir=PROTO_DIR):
    """Generates thor_pb2 / thor_pb2_grpc into a temp dir and imports them.

    Uses the system protoc with grpc_python_plugin (Debian: protobuf-compiler,
    protobuf-compiler-grpc) when present, else grpc_tools (python3-grpc-tools;
    it needs a protoc new enough for proto3 `optional`, 3.15+)."""
    out = tempfile.mkdtemp(prefix="thor_stubs_")
    proto = os.path.join(proto_dir, "thor.proto")
    protoc, plugin = shutil.which("protoc"), shutil.which("grpc_python_plugin")
    if protoc and plugin:
        cmd = [protoc, f"-I{proto_dir}", f"--python_out={out}", f"--grpc_python_out={out}",
               f"--plugin=protoc-gen-grpc_python={plugin}", proto]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"protoc failed on {proto}: {done.stderr}")
    else:
        from grpc_tools import protoc as grpc_protoc
        if grpc_protoc.main(["grpc_tools.protoc", f"-I{proto_dir}", f"--python_out={out}",
                             f"--grpc_python_out={out}", proto]) != 0:
            raise RuntimeError(f"grpc_tools.protoc failed on {proto}")
    sys.path.insert(0, out)
    return importlib.import_module("thor_pb2"), importlib.import_module("thor_pb2_grpc")


def describe(pb, event):
    """One line per event."""
    kind = event.WhichOneof("event")
    if kind == "preparing":
        p = event.preparing
        return f"preparing {p.prover}: {p.phase} {p.message}".rstrip()
    if kind == "started":
        s = event.started
        return f"started  search={s.search_id} prover={s.prover} policy={s.policy}"
    if kind == "step":
        s = event.step
        outcome = pb.StepOutcome.Kind.Name(s.outcome.kind)
        return f"step     {s.from_state}->{s.to_state or '-'} {s.step!r}: {outcome}"
    if kind == "hammer":
        h = event.hammer
        return (f"hammer   from {h.from_state}: {'closed' if h.success else 'failed'} "
                f"{h.step!r} {h.prover} premises={list(h.premises)}")
    if kind == "progress":
        st = event.progress.stats
        return (f"progress queries={st.model_queries} steps={st.steps_applied} "
                f"queue={event.progress.queue_length}")
    r = event.finished
    return (f"finished {pb.SearchStatus.Name(r.status)} "
            f"recheck={pb.RecheckVerdict.Name(r.recheck)} wall={r.stats.wall_s:.2f}s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default="127.0.0.1:50051")
    ap.add_argument("--prover", default="coq")
    ap.add_argument("--statement", required=True)
    ap.add_argument("--context", default="")
    ap.add_argument("--name", default="example")
    ap.add_argument("--policy", default="")
    ap.add_argument("--wall_time", type=float, default=120)
    ap.add_argument("--skip_recheck", action="store_true",
                    help="no fresh re-check (e.g. Isabelle without an Isabelle server)")
    ap.add_argument("--token", default=os.environ.get("THOR_AUTH_TOKEN", ""))
    ap.add_argument("--tls_ca", default="", help="PEM roots: connect with TLS")
    args = ap.parse_args()

    pb, pb_grpc = load_stubs()
    if args.tls_ca:
        with open(args.tls_ca, "rb") as f:
            channel = grpc.secure_channel(args.server, grpc.ssl_channel_credentials(f.read()))
    else:
        channel = grpc.insecure_channel(args.server)
    stub = pb_grpc.ProofSearchStub(channel)
    request = pb.ProveRequest(
        theorem=pb.Theorem(prover=args.prover, name=args.name, statement=args.statement,
                           context=args.context),
        config=pb.SearchConfig(policy=args.policy, wall_time_s=args.wall_time,
                               skip_recheck=args.skip_recheck))
    metadata = [("authorization", f"Bearer {args.token}")] if args.token else []
    result = None
    try:
        for event in stub.Prove(request, metadata=metadata, timeout=args.wall_time + 60):
            print(f"[{event.t_s:7.2f}s] {describe(pb, event)}", flush=True)
            if event.HasField("finished"):
                result = event.finished
    except grpc.RpcError as e:
        print(f"error: {e.code().name}: {e.details()}", file=sys.stderr)
        return 2
    if result is None:
        print("error: the stream ended without a result", file=sys.stderr)
        return 2
    if result.proof.steps:
        print("proof:\n" + result.proof.text)
    return 0 if result.status in (pb.PROVED, pb.PROVED_UNCHECKED) else 1


if __name__ == "__main__":
    sys.exit(main())
