"""Repository rule exposing Debian-installed C++ libraries as cc_library targets.

Each entry of `libs` maps a target name to a list of items: an item starting
with "-" is a literal linker flag, anything else is a pkg-config module whose
`pkg-config --libs` output is used. Headers live in /usr/include, which the
auto-configured local C++ toolchain already treats as a system include dir.
"""

def _system_libs_impl(rctx):
    pkg_config = rctx.which("pkg-config")
    if not pkg_config:
        fail("pkg-config not found; run scripts/bootstrap")
    out = ['package(default_visibility = ["//visibility:public"])', ""]
    for name, items in rctx.attr.libs.items():
        linkopts = []
        defines = []
        for item in items:
            if item.startswith("-"):
                linkopts.append(item)
                continue
            res = rctx.execute([pkg_config, "--libs", item])
            if res.return_code != 0:
                fail("pkg-config --libs %s failed: %s (run scripts/bootstrap)" % (item, res.stderr))
            linkopts.extend([f for f in res.stdout.strip().split(" ") if f])
            res = rctx.execute([pkg_config, "--cflags", item])
            defines.extend([f[2:] for f in res.stdout.strip().split(" ") if f.startswith("-D")])
        out.append("cc_library(\n    name = %r,\n    linkopts = %r,\n    defines = %r,\n)\n" % (name, linkopts, defines))
    rctx.file("WORKSPACE", 'workspace(name = "%s")\n' % rctx.name)
    rctx.file("BUILD.bazel", "\n".join(out))

system_libs = repository_rule(
    implementation = _system_libs_impl,
    attrs = {"libs": attr.string_list_dict(mandatory = True)},
    environ = ["PKG_CONFIG_PATH"],
    local = True,
)
