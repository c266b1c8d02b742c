#include "common/sandbox.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace thor {
namespace {

constexpr char kBwrap[] = "bwrap";

}  // namespace

absl::StatusOr<SandboxMode> ParseSandboxMode(absl::string_view name) {
  if (name == "auto") return SandboxMode::kAuto;
  if (name == "bwrap") return SandboxMode::kBwrap;
  if (name == "off") return SandboxMode::kOff;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown sandbox mode '", name.substr(0, 40), "' (auto, bwrap or off)"));
}

const char* SandboxModeName(SandboxMode mode) {
  switch (mode) {
    case SandboxMode::kAuto:
      return "auto";
    case SandboxMode::kBwrap:
      return "bwrap";
    case SandboxMode::kOff:
      return "off";
  }
  return "?";
}

bool SandboxAvailable() { return !FindProgram(kBwrap).empty(); }

absl::StatusOr<bool> ApplySandbox(SandboxMode mode, const std::string& writable_dir,
                                  SubprocessOptions* options) {
  if (mode == SandboxMode::kOff) return false;
  if (!SandboxAvailable()) {
    if (mode == SandboxMode::kAuto) return false;
    return absl::FailedPreconditionError(
        "sandbox mode 'bwrap' but bwrap is not installed: apt-get install bubblewrap "
        "(or set the sandbox to 'auto' or 'off')");
  }
  if (writable_dir.empty() || writable_dir[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("sandbox: the writable directory must be absolute, got '",
                     writable_dir.substr(0, 80), "'"));
  }
  std::vector<std::string> argv = {
      kBwrap,
      // Order matters: later mounts go on top of earlier ones, so the
      // writable directory (usually under /tmp) survives the tmpfs.
      "--ro-bind", "/", "/",
      "--dev", "/dev",
      "--proc", "/proc",
      "--tmpfs", "/tmp",
      "--bind", writable_dir, writable_dir,
      "--unshare-net",
      "--unshare-ipc",
      "--unshare-uts",
      // A pid namespace: when bwrap is killed (RunSubprocess kills its
      // group), its init dies and the kernel kills everything inside, even
      // grandchildren in another process group.
      "--unshare-pid",
      "--die-with-parent",
      // No controlling terminal to push input into (TIOCSTI).
      "--new-session",
  };
  if (!options->cwd.empty()) {
    argv.insert(argv.end(), {"--chdir", options->cwd});
  }
  argv.push_back("--");
  argv.insert(argv.end(), options->argv.begin(), options->argv.end());
  options->argv = std::move(argv);
  return true;
}

}  // namespace thor
