#include "tests/testing/fake_env.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace thor::testing {

FakeEnv::FakeEnv(absl::Time start) : now_(start) {}

void FakeEnv::Advance(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  now_ += d;
}

void FakeEnv::Script(ScriptedProcess script) {
  absl::MutexLock lock(&mu_);
  std::string program = script.program;
  scripts_[program].push_back(std::move(script));
}

std::vector<std::vector<std::string>> FakeEnv::runs() const {
  absl::MutexLock lock(&mu_);
  return runs_;
}

absl::Time FakeEnv::Now() {
  absl::MutexLock lock(&mu_);
  return now_;
}

void FakeEnv::SleepFor(absl::Duration d) { Advance(d); }

absl::StatusOr<RunResult> FakeEnv::Run(const SubprocessOptions& options,
                                       const std::string& /*stdin_data*/, absl::Duration timeout,
                                       const std::atomic<bool>* cancel) {
  absl::MutexLock lock(&mu_);
  const std::string program = options.argv.empty() ? "" : options.argv[0];
  runs_.push_back(options.argv);
  auto it = scripts_.find(program);
  if (it == scripts_.end() || it->second.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("FakeEnv: no script for '", program, "'"));
  }
  ScriptedProcess script = std::move(it->second.front());
  it->second.pop_front();
  RunResult r;
  if (cancel != nullptr && cancel->load()) {
    r.cancelled = true;
    r.term_signal = 9;
    return r;
  }
  if (script.runs_for > timeout) {
    now_ += timeout;
    r.timed_out = true;
    r.term_signal = 9;
    r.elapsed = timeout;
    return r;
  }
  now_ += script.runs_for;
  r = std::move(script.result);
  r.elapsed = script.runs_for;
  return r;
}

absl::StatusOr<std::string> FakeEnv::ReadFile(const std::string& path) {
  absl::MutexLock lock(&mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  return it->second;
}

absl::Status FakeEnv::WriteFile(const std::string& path, const std::string& contents) {
  absl::MutexLock lock(&mu_);
  files_[path] = contents;
  return absl::OkStatus();
}

absl::StatusOr<std::string> FakeEnv::MakeTempDir(const std::string& prefix) {
  absl::MutexLock lock(&mu_);
  return absl::StrCat("/fake-tmp/", prefix, "-", ++temp_dirs_);
}

}  // namespace thor::testing
