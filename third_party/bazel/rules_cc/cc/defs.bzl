"""Offline stand-in for @rules_cc//cc:defs.bzl (Bazel 4.2.x, WORKSPACE mode).

Bazel 4.2.3's built-in WORKSPACE suffix declares rules_cc as a download that
@bazel_tools//tools/cpp loads. With no network we declare this local repository
first; the rules forward to the native ones, which is all rules_cc did for 4.x.
(Debian's bazel-rules-cc 0.0.4 needs use_cpp_toolchain, which 4.2.3 lacks.)
"""

def cc_binary(**attrs):
    native.cc_binary(**attrs)

def cc_test(**attrs):
    native.cc_test(**attrs)

def cc_library(**attrs):
    native.cc_library(**attrs)

def cc_import(**attrs):
    native.cc_import(**attrs)

def cc_proto_library(**attrs):
    native.cc_proto_library(**attrs)

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)

def cc_toolchain_suite(**attrs):
    native.cc_toolchain_suite(**attrs)

def fdo_profile(**attrs):
    native.fdo_profile(**attrs)

def fdo_prefetch_hints(**attrs):
    native.fdo_prefetch_hints(**attrs)

def objc_library(**attrs):
    native.objc_library(**attrs)

def objc_import(**attrs):
    native.objc_import(**attrs)
