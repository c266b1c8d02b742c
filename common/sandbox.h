// Runs a child (a prover's compiler or checker) in a bubblewrap sandbox: the
// whole filesystem read-only, a fresh /tmp, one writable directory, no
// network.
// Input to those children is hostile text (a model's steps, a client's
// context); the sandbox bounds what a command that slipped past the filters
// could do to the host.
//
//   SubprocessOptions options{.argv = {"checker", "Top.v"}, .cwd = dir};
//   absl::StatusOr<bool> wrapped = ApplySandbox(SandboxMode::kAuto, dir, &options);
//   RunSubprocess(options, "", timeout);
#ifndef THOR_COMMON_SANDBOX_H_
#define THOR_COMMON_SANDBOX_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/subprocess.h"

namespace thor {

enum class SandboxMode {
  kAuto,   // bwrap if it is installed, else none.
  kBwrap,  // bwrap, or an error if it is missing.
  kOff,    // none.
};

// "auto", "bwrap", "off"; InvalidArgument otherwise.
absl::StatusOr<SandboxMode> ParseSandboxMode(absl::string_view name);
const char* SandboxModeName(SandboxMode mode);

// Rewrites `options->argv` to run the same command under bwrap, with `/`
// bound read-only, an empty tmpfs on /tmp, `writable_dir` (absolute,
// existing; may be under /tmp) bound read-write on top, fresh /dev and
// /proc, no network, its own pid namespace and session, and the sandbox
// dying with its parent. Killing the bwrap process kills everything inside.
// The working directory is kept (bwrap --chdir).
//
// Not for an interactive prover that interrupts a command with SIGINT to its
// process group and spares the group leader when it kills stray ATPs: under
// bwrap the leader is bwrap, which SIGINT would end.
// Returns true if the command was wrapped, false if `mode` is kOff or is
// kAuto and bwrap is not installed. FailedPrecondition (with the apt-get
// line) if `mode` is kBwrap and bwrap is missing; InvalidArgument if
// `writable_dir` is not absolute.
absl::StatusOr<bool> ApplySandbox(SandboxMode mode, const std::string& writable_dir,
                                  SubprocessOptions* options);

// True if bwrap is on PATH.
bool SandboxAvailable();

}  // namespace thor

#endif  // THOR_COMMON_SANDBOX_H_
