#!/usr/bin/env python3
"""Regenerates the gRPC stubs committed under thor/_proto/.

Needs Debian's protoc 3.21 (protobuf-compiler), grpc_python_plugin
(protobuf-compiler-grpc) and the gRPC reflection proto (grpc-proto); Debian's
grpc_tools bundles protoc 3.5, which refuses proto3 `optional`.

protoc names a generated module after its proto's path and makes the modules
import each other that way (`from grpc.health.v1 import health_pb2`): imported
as is, such a `grpc` package would shadow the real one. So the modules are laid
out flat in thor/_proto/ and their imports rewritten package-relative; the
descriptors keep the proto paths (thor/v1/thor.proto, ...), which is what the
server's reflection reports.

    generate_stubs.py           rewrites thor/_proto/*_pb2*.py
    generate_stubs.py --check   exits 1 (listing the files) if they are stale
    generate_stubs.py --out DIR writes the stubs to DIR instead
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PACKAGE_DIR = os.path.join(HERE, "thor", "_proto")
PACKAGE = "thor._proto"
GRPC_PROTO_ROOT = "/usr/share/grpc-proto"  # Debian: grpc-proto

# (include root, proto path under it, flat module name)
SOURCES = [
    (os.path.join(REPO, "proto"), "thor/v1/thor.proto", "thor"),
    (os.path.join(REPO, "proto"), "grpc/health/v1/health.proto", "health"),
    (GRPC_PROTO_ROOT, "grpc/reflection/v1alpha/reflection.proto", "reflection"),
]
# The proto packages' Python paths, as protoc writes them in imports.
PROTO_MODULES = r"(?:thor\.v1|grpc\.health\.v1|grpc\.reflection\.v1alpha)"


def tool(name, package):
    path = shutil.which(name, path="/usr/bin") or shutil.which(name)
    if path is None:
        sys.exit(f"generate_stubs: {name} not found: apt-get install {package}")
    return path


def rewrite(text, source):
    """Makes one generated module import its siblings package-relative."""
    text = re.sub(rf"^from {PROTO_MODULES} import (\w+_pb2) as ", r"from . import \1 as ",
                  text, flags=re.M)
    text = re.sub(rf"'{PROTO_MODULES}\.(\w+_pb2)'", rf"'{PACKAGE}.\1'", text)
    for line in text.splitlines():
        if re.match(r"(from|import) (thor|grpc)\b", line) and line != "import grpc":
            sys.exit(f"generate_stubs: unexpected import left in stubs of {source}: {line}")
    return (f"# Generated from {source} by clients/python/generate_stubs.py; do not edit.\n"
            + text)


def generate(out_dir):
    """Writes every stub module to out_dir; returns their file names."""
    protoc = tool("protoc", "protobuf-compiler")
    plugin = tool("grpc_python_plugin", "protobuf-compiler-grpc")
    names = []
    with tempfile.TemporaryDirectory(prefix="thor_stubs_") as tmp:
        for root, proto, flat in SOURCES:
            if not os.path.isfile(os.path.join(root, proto)):
                package = "grpc-proto" if root == GRPC_PROTO_ROOT else "the Thor checkout"
                sys.exit(f"generate_stubs: {root}/{proto} missing (install {package})")
            subprocess.run([protoc, f"-I{root}", f"--python_out={tmp}", f"--grpc_python_out={tmp}",
                            f"--plugin=protoc-gen-grpc_python={plugin}", proto], check=True)
            stem = os.path.join(tmp, proto[:-len(".proto")])
            for suffix in ("_pb2.py", "_pb2_grpc.py"):
                with open(stem + suffix, encoding="utf-8") as f:
                    text = rewrite(f.read(), proto)
                name = flat + suffix
                with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
                    f.write(text)
                names.append(name)
    return names


def stale(committed_dir=PACKAGE_DIR):
    """Names of the committed stubs that differ from a fresh generation."""
    with tempfile.TemporaryDirectory(prefix="thor_fresh_") as fresh:
        differ = []
        for name in generate(fresh):
            committed = os.path.join(committed_dir, name)
            with open(os.path.join(fresh, name), encoding="utf-8") as f:
                want = f.read()
            got = None
            if os.path.exists(committed):
                with open(committed, encoding="utf-8") as f:
                    got = f.read()
            if got != want:
                differ.append(name)
        return differ


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    ap.add_argument("--out", default=PACKAGE_DIR, help="where to write the stubs")
    args = ap.parse_args()
    if args.check:
        differ = stale(args.out)
        if differ:
            print("stale stubs (run clients/python/generate_stubs.py): " + ", ".join(differ))
            return 1
        print("stubs are up to date")
        return 0
    for name in generate(args.out):
        print(os.path.join(args.out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
