// Child processes with the hygiene every part of Thor needs: each child runs
// in its own process group, with no core dumps, an optional memory limit, a
// wall-clock watchdog that kills the whole group, and death with its parent:
// PR_SET_PDEATHSIG for the child (set from one long-lived thread that forks
// every child, since the signal follows the forking thread), and its group
// registered with the child guard (common/child_guard.h) for what the child
// forks. Used for ATPs, prover processes and servers, and tests.
#ifndef THOR_COMMON_SUBPROCESS_H_
#define THOR_COMMON_SUBPROCESS_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace thor {

struct SubprocessOptions {
  // argv[0] is looked up on PATH unless it contains a '/'.
  std::vector<std::string> argv;
  // Working directory; empty means the caller's.
  std::string cwd;
  // Environment additions or overrides, "NAME=value".
  std::vector<std::string> env;
  // Address-space limit in bytes (RLIMIT_AS); 0 means none.
  uint64_t memory_limit_bytes = 0;
  // Send the child's stderr into the same pipe as its stdout.
  bool merge_stderr = false;
};

// Returns a NotFound status naming `program` and how to install it, or OK.
absl::Status CheckProgramAvailable(const std::string& program,
                                   const std::string& install_hint);

// Finds `program` on PATH; empty if it is not there.
std::string FindProgram(const std::string& program);

// A running child process (and its process group). Not copyable. The
// destructor kills the group and reaps the child.
class Subprocess {
 public:
  // Starts the child. NotFound if argv[0] is not installed, Internal if the
  // launch failed.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const SubprocessOptions& options);

  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // Writes all of `data` to the child's stdin. FailedPrecondition if stdin is
  // closed or the child is gone.
  absl::Status Write(const std::string& data);
  // Closes the child's stdin (EOF for the child).
  void CloseStdin();

  // Reads stdout and stderr into out()/err() until `done(out, err)` is true
  // (checked after each read), both streams reach EOF, or `deadline` passes.
  // Returns OK when `done` became true, DeadlineExceeded at the deadline,
  // Unavailable if the streams closed (the child exited) first.
  absl::Status ReadUntil(
      const std::function<bool(const std::string& out, const std::string& err)>&
          done,
      absl::Time deadline);

  // Everything read so far; Consume* returns it and clears the buffer.
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }
  std::string ConsumeOut() { return std::exchange(out_, std::string()); }
  std::string ConsumeErr() { return std::exchange(err_, std::string()); }

  // Sends `signal` to the whole process group. Safe from any thread.
  void SignalGroup(int signal);
  // SIGKILLs the whole process group. Safe from any thread.
  void Kill() { SignalGroup(9); }

  // True while the child has not exited.
  bool Running();
  // Waits for the child to exit, up to `deadline`, then kills what is left of
  // its group and reaps it. Returns false if the deadline passed first (the
  // group is killed then too).
  bool Wait(absl::Time deadline);

  // Valid after the child exited: its exit code, or -1 if a signal ended it.
  int exit_code() const { return exit_code_; }
  // Valid after the child exited: the signal that ended it, or 0.
  int term_signal() const { return term_signal_; }

 private:
  Subprocess() = default;
  // Returns true if the child has exited (and was reaped).
  bool Reap(bool block);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::atomic<bool> exited_{false};
  int exit_code_ = -1;
  int term_signal_ = 0;
  std::string out_;
  std::string err_;
};

// The outcome of running a child to completion.
struct RunResult {
  int exit_code = -1;      // -1 if a signal ended it.
  int term_signal = 0;     // Signal that ended it, or 0.
  bool timed_out = false;  // The watchdog killed it.
  bool cancelled = false;  // `cancel` was set and the group was killed.
  std::string out;
  std::string err;
  absl::Duration elapsed;
};

// Runs a child with `stdin_data` on its stdin, collects its output, and
// kills its group at `timeout` or as soon as `*cancel` becomes true. Always
// kills what is left of the group after the child exits (E forks children).
// Errors only if the child could not start.
absl::StatusOr<RunResult> RunSubprocess(const SubprocessOptions& options,
                                        const std::string& stdin_data,
                                        absl::Duration timeout,
                                        const std::atomic<bool>* cancel = nullptr);

// Number of children started by this process that have not been reaped yet.
int LiveChildren();

}  // namespace thor

#endif  // THOR_COMMON_SUBPROCESS_H_
