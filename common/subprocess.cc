#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <system_error>
#include <thread>

#define BOOST_PROCESS_USE_STD_FS 1
#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/posix.hpp>
#include <boost/process/search_path.hpp>
#include <boost/process/start_dir.hpp>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/child_guard.h"

namespace thor {
namespace {

namespace bp = boost::process;

std::atomic<int> g_live_children{0};

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Runs in the child between fork and exec: new process group, no core dumps,
// memory limit, and death when the parent dies.
struct ChildSetup : bp::extend::handler {
  uint64_t memory_limit = 0;
  pid_t parent = ::getpid();
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent died before the prctl: no signal will come.
    if (::getppid() != parent) ::_exit(127);
    struct rlimit core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &core);
    if (memory_limit > 0) {
      struct rlimit as = {memory_limit, memory_limit};
      ::setrlimit(RLIMIT_AS, &as);
    }
    // Restore default signal handling the parent may have changed.
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
  }
};

// The one thread that forks every child. PR_SET_PDEATHSIG fires when the
// *thread* that forked the child ends, not the process: a coqtop started
// from a gRPC handler thread (whose pool shrinks) or a short-lived worker
// would be killed while Thor still runs (it happened: 16 concurrent sessions
// lost coqtops when gRPC retired threads after the burst). This thread lives as long as the
// process, so the signal fires exactly when the process dies. (A check of
// getppid() after setting it covers the parent dying before the prctl.)
class Spawner {
 public:
  static Spawner& Get() {
    static Spawner* spawner = new Spawner();  // Never destroyed, never joined.
    return *spawner;
  }

  // Runs `fn` on the spawner thread and returns when it has run.
  void Run(const std::function<void()>& fn) {
    Job job{&fn};
    absl::MutexLock lock(&mu_);
    jobs_.push_back(&job);
    mu_.Await(absl::Condition(&job.done));
  }

 private:
  struct Job {
    const std::function<void()>* fn;
    bool done = false;
  };

  Spawner() { std::thread([this] { Loop(); }).detach(); }

  void Loop() {
    for (;;) {
      Job* job;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](std::deque<Job*>* jobs) { return !jobs->empty(); }, &jobs_));
        job = jobs_.front();
        jobs_.pop_front();
      }
      (*job->fn)();
      absl::MutexLock lock(&mu_);
      job->done = true;
    }
  }

  absl::Mutex mu_;
  std::deque<Job*> jobs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::string FindProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return ::access(program.c_str(), X_OK) == 0 ? program : std::string();
  }
  return bp::search_path(program).string();
}

absl::Status CheckProgramAvailable(const std::string& program,
                                   const std::string& install_hint) {
  if (!FindProgram(program).empty()) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("'", program, "' is not installed or not on PATH; ",
                                          install_hint));
}

int LiveChildren() { return g_live_children.load(); }

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    const SubprocessOptions& options) {
  if (options.argv.empty()) return absl::InvalidArgumentError("empty argv");
  std::string exe = FindProgram(options.argv[0]);
  if (exe.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "'", options.argv[0],
        "' is not installed or not on PATH (scripts/bootstrap installs the provers)"));
  }
  int in[2], out[2], err[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      (!options.merge_stderr && ::pipe2(err, O_CLOEXEC) != 0)) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  std::vector<std::string> args(options.argv.begin() + 1, options.argv.end());
  bp::environment env = boost::this_process::environment();
  for (const std::string& kv : options.env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  ChildSetup setup;
  setup.memory_limit = options.memory_limit_bytes;
  std::error_code ec;
  bp::child child;
  const int err_sink = options.merge_stderr ? out[1] : err[1];
  Spawner::Get().Run([&] {
    if (options.cwd.empty()) {
      child = bp::child(exe, bp::args(args), env, bp::posix::fd.bind(0, in[0]),
                        bp::posix::fd.bind(1, out[1]), bp::posix::fd.bind(2, err_sink),
                        setup, ec);
    } else {
      child = bp::child(exe, bp::args(args), env, bp::start_dir(options.cwd),
                        bp::posix::fd.bind(0, in[0]), bp::posix::fd.bind(1, out[1]),
                        bp::posix::fd.bind(2, err_sink), setup, ec);
    }
  });
  ::close(in[0]);
  ::close(out[1]);
  if (err[1] >= 0) ::close(err[1]);
  if (ec || !child.valid()) {
    ::close(in[1]);
    ::close(out[0]);
    if (err[0] >= 0) ::close(err[0]);
    return absl::InternalError(
        absl::StrCat("cannot start ", absl::StrJoin(options.argv, " "), ": ", ec.message()));
  }
  auto proc = std::unique_ptr<Subprocess>(new Subprocess());
  proc->pid_ = child.id();
  child.detach();  // We reap it ourselves (waitpid), so that we can kill its group first.
  // Also set the group from the parent side, so there is no window in which
  // a kill of the group misses the child.
  ::setpgid(proc->pid_, proc->pid_);
  // Its group dies with us even if its leader's children outlive it.
  GuardGroup(proc->pid_);
  proc->stdin_fd_ = in[1];
  proc->stdout_fd_ = out[0];
  proc->stderr_fd_ = err[0];
  g_live_children.fetch_add(1);
  return proc;
}

Subprocess::~Subprocess() {
  CloseFd(stdin_fd_);
  if (!exited_) {
    Kill();
    Reap(/*block=*/true);
  }
  CloseFd(stdout_fd_);
  CloseFd(stderr_fd_);
}

absl::Status Subprocess::Write(const std::string& data) {
  if (stdin_fd_ < 0) return absl::FailedPreconditionError("stdin is closed");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(stdin_fd_, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::FailedPreconditionError(
          absl::StrCat("write to child failed: ", std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

void Subprocess::CloseStdin() { CloseFd(stdin_fd_); }

absl::Status Subprocess::ReadUntil(
    const std::function<bool(const std::string&, const std::string&)>& done,
    absl::Time deadline) {
  if (done && done(out_, err_)) return absl::OkStatus();
  char buf[65536];
  while (stdout_fd_ >= 0 || stderr_fd_ >= 0) {
    struct pollfd fds[2];
    int nfds = 0;
    if (stdout_fd_ >= 0) fds[nfds++] = {stdout_fd_, POLLIN, 0};
    if (stderr_fd_ >= 0) fds[nfds++] = {stderr_fd_, POLLIN, 0};
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return absl::DeadlineExceededError("read timed out");
    int ms = static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 1000));
    int r = ::poll(fds, nfds, ms);
    if (r < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
    }
    for (int i = 0; i < nfds; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      bool is_out = fds[i].fd == stdout_fd_;
      if (n > 0) {
        (is_out ? out_ : err_).append(buf, static_cast<size_t>(n));
      } else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        CloseFd(is_out ? stdout_fd_ : stderr_fd_);
      }
    }
    if (done && done(out_, err_)) return absl::OkStatus();
  }
  return absl::UnavailableError("the child closed its output");
}

void Subprocess::SignalGroup(int signal) {
  if (pid_ > 0 && !exited_) ::kill(-pid_, signal);
}

bool Subprocess::Reap(bool block) {
  if (exited_) return true;
  // Look without reaping, so the group id stays valid while we kill the rest
  // of the group (children the main process forked).
  siginfo_t info;
  std::memset(&info, 0, sizeof(info));
  int flags = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
  while (::waitid(P_PID, pid_, &info, flags) != 0) {
    if (errno != EINTR) break;
  }
  if (info.si_pid != pid_) return false;
  ::kill(-pid_, SIGKILL);
  UnguardGroup(pid_);  // While the zombie leader still holds the group's id.
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    exit_code_ = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    term_signal_ = WTERMSIG(status);
  }
  exited_ = true;
  g_live_children.fetch_sub(1);
  return true;
}

bool Subprocess::Running() { return !Reap(/*block=*/false); }

bool Subprocess::Wait(absl::Time deadline) {
  while (!Reap(/*block=*/false)) {
    if (absl::Now() >= deadline) {
      Kill();
      Reap(/*block=*/true);
      return false;
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
  return true;
}

absl::StatusOr<RunResult> RunSubprocess(const SubprocessOptions& options,
                                        const std::string& stdin_data,
                                        absl::Duration timeout,
                                        const std::atomic<bool>* cancel) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  absl::StatusOr<std::unique_ptr<Subprocess>> proc = Subprocess::Start(options);
  if (!proc.ok()) return proc.status();
  Subprocess& p = **proc;
  RunResult result;
  // Large inputs could fill the pipe while the child also blocks on output;
  // the provers read all input first, so write then close.
  if (!stdin_data.empty()) (void)p.Write(stdin_data);
  p.CloseStdin();
  // Read in short slices so a cancel request is seen promptly.
  while (true) {
    absl::Time slice = std::min(deadline, absl::Now() + absl::Milliseconds(50));
    absl::Status s = p.ReadUntil(nullptr, slice);
    if (absl::IsUnavailable(s)) break;  // Streams closed: the child is done.
    if (cancel != nullptr && cancel->load()) {
      result.cancelled = true;
      break;
    }
    if (absl::Now() >= deadline) {
      result.timed_out = true;
      break;
    }
  }
  if (result.timed_out || result.cancelled) {
    p.Kill();
  }
  // Output closed: give the child a moment to exit, then kill the rest.
  p.Wait(absl::Now() + absl::Milliseconds(result.timed_out || result.cancelled ? 2000 : 500));
  result.exit_code = p.exit_code();
  result.term_signal = p.term_signal();
  result.out = p.ConsumeOut();
  result.err = p.ConsumeErr();
  result.elapsed = absl::Now() - start;
  return result;
}

}  // namespace thor
