// An Env for unit tests: a simulated clock that only moves when a test (or
// SleepFor, or a scripted process) moves it, scripted child processes, and
// in-memory files and temp dirs. Nothing touches the machine.
//
// Thread-safety: every method may be called from any thread.
#ifndef THOR_TESTS_TESTING_FAKE_ENV_H_
#define THOR_TESTS_TESTING_FAKE_ENV_H_

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/env.h"

namespace thor::testing {

// What a scripted child does: runs for `runs_for` of simulated time, then
// exits with `result` (its exit code, output). If the caller's timeout is
// shorter, Run reports timed_out after the timeout instead.
struct ScriptedProcess {
  std::string program;  // Matched against argv[0].
  absl::Duration runs_for;
  RunResult result;
};

class FakeEnv : public Env {
 public:
  // The simulated clock starts at `start`.
  explicit FakeEnv(absl::Time start = absl::UnixEpoch() + absl::Hours(24 * 365 * 50));

  // Moves the simulated clock forward.
  void Advance(absl::Duration d);
  // The next Run of `program` behaves as `script` says (FIFO per program).
  void Script(ScriptedProcess script);
  // The argv of every Run so far, in order.
  std::vector<std::vector<std::string>> runs() const;

  absl::Time Now() override;
  void SleepFor(absl::Duration d) override;  // Advances the clock; returns at once.
  // FailedPrecondition if no script is left for argv[0] (a test that did
  // not expect the call fails instead of running a real program).
  absl::StatusOr<RunResult> Run(const SubprocessOptions& options, const std::string& stdin_data,
                                absl::Duration timeout, const std::atomic<bool>* cancel) override;
  absl::StatusOr<std::string> ReadFile(const std::string& path) override;
  absl::Status WriteFile(const std::string& path, const std::string& contents) override;
  // "/fake-tmp/<prefix>-N"; exists only in this fake.
  absl::StatusOr<std::string> MakeTempDir(const std::string& prefix) override;

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::deque<ScriptedProcess>> scripts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<std::string>> runs_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> files_ ABSL_GUARDED_BY(mu_);
  int temp_dirs_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_TESTING_FAKE_ENV_H_
