"""cc_grpc_library: system protoc + grpc_cpp_plugin (Debian packages) -> cc_library.

Offline replacement for rules_proto / grpc's cc_grpc_library, which need
downloads. The tools come from PATH (scripts/bootstrap installs them), so they
are not tracked as inputs. `proto_deps` are other cc_grpc_library targets whose
.proto files this one imports.
"""

def cc_grpc_library(name, proto, deps = [], proto_deps = [], **kwargs):
    base = proto[:-len(".proto")]
    outs = [base + ext for ext in (".pb.h", ".pb.cc", ".grpc.pb.h", ".grpc.pb.cc")]
    native.genrule(
        name = name + "_gen",
        srcs = [proto] + [d + "_srcs" for d in proto_deps],
        outs = outs,
        cmd = ("protoc --proto_path=. --cpp_out=$(GENDIR) --grpc_out=$(GENDIR) " +
               "--plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin) $(location %s)") % proto,
    )
    native.filegroup(name = name + "_srcs", srcs = [proto] + [d + "_srcs" for d in proto_deps])
    native.cc_library(
        name = name,
        srcs = [outs[1], outs[3]],
        hdrs = [outs[0], outs[2]],
        deps = deps + proto_deps + ["@system//:grpc"],
        **kwargs
    )
