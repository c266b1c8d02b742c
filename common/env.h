// The outside world behind one small interface (after LevelDB's Env): the
// clock, child processes, files and scratch directories. Code that takes an
// Env* can be unit-tested with a fake (tests/testing/fake_env.h) that has a
// simulated clock and scripted processes, instead of real time.
//
// Thread-safety: Env::Default() may be used from any thread; a fake says
// what it allows.
#ifndef THOR_COMMON_ENV_H_
#define THOR_COMMON_ENV_H_

#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/subprocess.h"

namespace thor {

class Env {
 public:
  virtual ~Env() = default;

  // The POSIX environment (real clock, RunSubprocess, the filesystem).
  // Never deleted; shared by every caller.
  static Env* Default();

  // The current time.
  virtual absl::Time Now() = 0;
  // Blocks the calling thread for `d` (of this Env's clock).
  virtual void SleepFor(absl::Duration d) = 0;

  // Runs a child to completion, with the contract of RunSubprocess (own
  // process group, killed at `timeout` or when `*cancel` becomes true).
  // Long-lived children spoken to over pipes or sockets (a prover's REPL or
  // proof server) use Subprocess::Start directly: a simulated clock
  // cannot drive a real child's I/O waits, so the fake would gain nothing.
  virtual absl::StatusOr<RunResult> Run(const SubprocessOptions& options,
                                        const std::string& stdin_data, absl::Duration timeout,
                                        const std::atomic<bool>* cancel) = 0;

  // The whole content of `path`; NotFound if it cannot be opened.
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path) = 0;
  // Replaces `path` with `contents`.
  virtual absl::Status WriteFile(const std::string& path, const std::string& contents) = 0;

  // Creates a fresh, empty directory named `prefix`-XXXXXX under
  // TempDirRoot() and returns its path. The caller removes it.
  virtual absl::StatusOr<std::string> MakeTempDir(const std::string& prefix) = 0;
};

// Where scratch directories go: $TMPDIR when it is an absolute path, else
// /tmp. Never empty.
std::string TempDirRoot();

}  // namespace thor

#endif  // THOR_COMMON_ENV_H_
