#include "coq_bridge/coqtop.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/env.h"
#include "common/process_table.h"

namespace thor::coq {
namespace {

// How long a command must have run before it may be sent SIGINT.
constexpr absl::Duration kSigintAfter = absl::Milliseconds(150);

constexpr char kPromptOpen[] = "<prompt>";
constexpr char kPromptClose[] = "</prompt>";
constexpr size_t kPromptOpenSize = sizeof(kPromptOpen) - 1;
constexpr size_t kPromptCloseSize = sizeof(kPromptClose) - 1;

std::atomic<uint64_t> g_next_id{1};

struct Prompt {
  std::string proof;
  int state = 0;
};

// Parses "NAME < N |...| D < ".
Prompt ParsePrompt(absl::string_view inner) {
  Prompt p;
  size_t lt = inner.find(" < ");
  if (lt == absl::string_view::npos) return p;
  p.proof = std::string(inner.substr(0, lt));
  absl::string_view rest = inner.substr(lt + 3);
  size_t sp = rest.find(' ');
  (void)absl::SimpleAtoi(rest.substr(0, sp), &p.state);
  return p;
}

// Splits merged coqtop output into (output, prompt) pairs.
std::vector<std::pair<std::string, Prompt>> SplitReplies(absl::string_view text) {
  std::vector<std::pair<std::string, Prompt>> out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find(kPromptOpen, pos);
    if (open == absl::string_view::npos) break;
    size_t close = text.find(kPromptClose, open);
    if (close == absl::string_view::npos) break;
    std::string output(absl::StripAsciiWhitespace(text.substr(pos, open - pos)));
    absl::string_view inner = text.substr(open + kPromptOpenSize,
                                          close - open - kPromptOpenSize);
    out.emplace_back(std::move(output), ParsePrompt(inner));
    pos = close + kPromptCloseSize;
  }
  return out;
}

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

// Coq's own error for an interrupt (a tactic's `fail "User interrupt"` says
// "Tactic failure: User interrupt." instead).
bool IsUserInterrupt(const CoqReply& reply) {
  return reply.Failed() && absl::StrContains(reply.ErrorText(), "Error: User interrupt.");
}

// The folder that holds the `cvc4` shim inside a coqtop's temporary
// folder; empty (no shim) if cvc4 is not installed or its path cannot be
// quoted for the shell.
absl::StatusOr<std::string> WriteAtpShims(const std::string& tmpdir) {
  static const std::string* const real = new std::string(FindProgram("cvc4"));
  if (real->empty() || absl::StrContains(*real, "'")) return std::string();
  const std::string bin = absl::StrCat(tmpdir, "/bin");
  std::error_code ec;
  std::filesystem::create_directory(bin, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", bin, ": ", ec.message()));
  const std::string shim = absl::StrCat(bin, "/cvc4");
  absl::Status s = Env::Default()->WriteFile(shim, Cvc4TimeLimitShim(*real));
  if (!s.ok()) return s;
  std::filesystem::permissions(shim, std::filesystem::perms::owner_all, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot make ", shim, " executable"));
  return bin;
}

}  // namespace

std::string Cvc4TimeLimitShim(const std::string& real_cvc4) {
  return absl::StrCat(
      "#!/bin/sh\n"
      "# Written by Thor: CoqHammer gives cvc4 its limit in seconds, cvc4 reads milliseconds.\n"
      "convert=\n"
      "for arg do\n"
      "  shift\n"
      "  if [ -n \"$convert\" ]; then\n"
      "    case \"$arg\" in\n"
      "      ''|*[!0-9]*) ;;\n"
      "      *) arg=\"${arg}000\" ;;\n"
      "    esac\n"
      "    convert=\n"
      "  elif [ \"$arg\" = --tlimit ]; then\n"
      "    convert=1\n"
      "  fi\n"
      "  set -- \"$@\" \"$arg\"\n"
      "done\n"
      "exec '",
      real_cvc4, "' \"$@\"\n");
}

bool CoqReply::Failed() const {
  for (const CoqSentence& s : sentences) {
    if (s.failed) return true;
  }
  return false;
}

std::string CoqReply::ErrorText() const {
  for (const CoqSentence& s : sentences) {
    if (s.failed) return s.output;
  }
  return "";
}

absl::StatusOr<std::unique_ptr<Coqtop>> Coqtop::Start(const CoqtopOptions& options,
                                                      absl::Time deadline,
                                                      const std::atomic<bool>* cancel) {
  IgnoreSigpipeOnce();
  auto coq = std::unique_ptr<Coqtop>(new Coqtop());
  coq->cancel_ = cancel;
  coq->options_ = options;
  coq->id_ = g_next_id.fetch_add(1);
  absl::StatusOr<std::string> tmpdir = Env::Default()->MakeTempDir("thor-coqtop");
  if (!tmpdir.ok()) return tmpdir.status();
  coq->tmpdir_ = *tmpdir;
  SubprocessOptions sp;
  sp.argv = {options.program, "-emacs"};
  sp.argv.insert(sp.argv.end(), options.args.begin(), options.args.end());
  const char* path = std::getenv("PATH");
  absl::StatusOr<std::string> shims = WriteAtpShims(coq->tmpdir_);
  if (!shims.ok()) return shims.status();
  // CoqHammer calls a bare `htimeout` (a Debian packaging bug) and `cvc4`
  // (through the shim); its own temporary files go to TMPDIR, one
  // directory per process.
  sp.env = {absl::StrCat("PATH=", shims->empty() ? "" : absl::StrCat(*shims, ":"),
                         "/usr/libexec/coq-hammer:", path ? path : "/usr/bin:/bin"),
            absl::StrCat("TMPDIR=", coq->tmpdir_)};
  sp.cwd = coq->tmpdir_;
  sp.merge_stderr = true;
  sp.memory_limit_bytes = options.memory_limit_bytes;
  // Interactive: not Env::Run, which runs a child to completion (env.h).
  absl::StatusOr<std::unique_ptr<Subprocess>> proc = Subprocess::Start(sp);
  if (!proc.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot start coqtop: ", proc.status().message(),
        " (install Coq and CoqHammer: apt-get install coq libcoq-hammer)"));
  }
  coq->process_ = std::move(*proc);
  absl::Status s = coq->Read(
      [](const std::string& out, const std::string&) {
        return out.find(kPromptClose) != std::string::npos;
      },
      deadline, absl::InfiniteFuture());
  if (absl::IsCancelled(s)) return s;
  if (!s.ok()) {
    if (absl::IsDeadlineExceeded(s)) return absl::DeadlineExceededError("coqtop did not start in time");
    return absl::UnavailableError(absl::StrCat("coqtop exited at start: ", coq->process_->out()));
  }
  std::vector<std::pair<std::string, Prompt>> first = SplitReplies(coq->process_->ConsumeOut());
  coq->state_ = first.empty() ? 1 : first.back().second.state;
  if (!options.prelude.empty()) {
    absl::StatusOr<CoqReply> r = coq->Run(options.prelude, deadline);
    if (!r.ok()) return r.status();
    if (r->Failed()) {
      return absl::InvalidArgumentError(absl::StrCat("coqtop rejected the prelude: ", r->ErrorText()));
    }
  }
  coq->base_state_ = coq->state_;
  if (!options.warmup.empty()) {
    absl::StatusOr<CoqReply> w = coq->Run(options.warmup, deadline);
    if (!w.ok()) return w.status();
    coq->KillStrayChildren();
    absl::StatusOr<CoqReply> back =
        coq->RunUninterruptible(absl::StrCat("BackTo ", coq->base_state_, "."), deadline);
    if (!back.ok()) return back.status();
    if (coq->state_ != coq->base_state_) return absl::InternalError("coqtop warm-up could not be undone");
  }
  coq->cancel_ = nullptr;
  return coq;
}

Coqtop::~Coqtop() {
  process_.reset();
  std::error_code ec;
  if (!tmpdir_.empty()) std::filesystem::remove_all(tmpdir_, ec);
}

absl::Status Coqtop::Read(
    const std::function<bool(const std::string&, const std::string&)>& done, absl::Time deadline,
    absl::Time kill_children_at, const std::function<void()>& each_slice) {
  while (true) {
    if (each_slice) each_slice();
    const absl::Time now = absl::Now();
    if (now >= kill_children_at) KillStrayChildren();
    if (InterruptUnanswered(now)) {
      return absl::DeadlineExceededError("coqtop did not answer its interrupt");
    }
    if (cancel_ != nullptr && cancel_->load()) {
      Kill();
      return absl::CancelledError("coqtop start cancelled");
    }
    const absl::Time until = std::min(deadline, now + absl::Milliseconds(100));
    absl::Status s = process_->ReadUntil(done, until);
    if (!absl::IsDeadlineExceeded(s) || until >= deadline) return s;
  }
}

absl::StatusOr<CoqReply> Coqtop::Run(const std::string& text, absl::Time deadline,
                                     absl::Time kill_children_at, bool kill_at_deadline) {
  return RunAs(kInterruptible, text, deadline, kill_children_at, kill_at_deadline);
}

absl::StatusOr<CoqReply> Coqtop::RunStep(const std::string& text, int step_units,
                                         absl::Time deadline) {
  return RunAs(kInterruptible, text, deadline, absl::InfiniteFuture(), /*kill_at_deadline=*/false,
               std::max(1, step_units));
}

absl::Status Coqtop::BackTo(int state, absl::Time deadline) {
  if (state_ == state) return absl::OkStatus();
  absl::StatusOr<CoqReply> r = RunUninterruptible(absl::StrCat("BackTo ", state, "."), deadline);
  if (!r.ok() || state_ != state) {
    return absl::UnavailableError(absl::StrCat("coqtop could not go back to state ", state));
  }
  return absl::OkStatus();
}

absl::StatusOr<CoqReply> Coqtop::RunUninterruptible(const std::string& text, absl::Time deadline) {
  // A BackTo takes milliseconds; on a loaded machine a step's short limit
  // would still kill a process that is merely slow.
  deadline = std::max(deadline, absl::Now() + absl::Seconds(3));
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<CoqReply> r =
        RunAs(kHousekeeping, text, deadline, absl::InfiniteFuture(), /*kill_at_deadline=*/true);
    if (!r.ok() || attempt > 0 || !IsUserInterrupt(*r)) return r;
  }
}

bool Coqtop::SignalOnce() {
  // A SIGINT that coqtop handles outside a command (printing a reply,
  // reading the next input) ends it with "Fatal error: exception
  // Stdlib.Sys.Break". Signalling only a command that has run for a while
  // leaves that window to commands that end just as they are signalled.
  // RunStep's step has answered: what runs now needs no interrupt.
  if (step_answered_.load()) return false;
  const absl::Time started = absl::FromUnixNanos(started_at_ns_.load());
  if (phase_.load() == kInterruptible && absl::Now() - started < kSigintAfter) {
    pending_sigint_ = true;  // Sent from the reading loop, when it is time.
    return false;
  }
  int expected = kInterruptible;
  if (!phase_.compare_exchange_strong(expected, kSignalled)) return false;
  signalled_at_ns_ = absl::ToUnixNanos(absl::Now());
  if (process_) process_->SignalGroup(SIGINT);
  return true;
}

absl::StatusOr<CoqReply> Coqtop::RunAs(Phase phase, const std::string& text, absl::Time deadline,
                                       absl::Time kill_children_at, bool kill_at_deadline,
                                       int step_units) {
  const int before = state_;
  absl::StatusOr<CoqReply> r =
      RunOnce(phase, text, deadline, kill_children_at, kill_at_deadline, step_units);
  // A SIGINT coqtop takes while idle (one sent as the previous command
  // ended) is kept as a flag, and the next command that checks for
  // interrupts fails with it. This command was not signalled, so the
  // interrupt is not its own: undo what it did and run it once more.
  if (phase != kInterruptible || !r.ok() || r->interrupted || !IsUserInterrupt(*r) ||
      absl::Now() >= deadline) {
    return r;
  }
  CoqTrace(process_->pid(), [] { return std::string("a stale SIGINT failed the command; rerun"); });
  absl::Status back = BackTo(before, deadline);
  if (!back.ok()) return back;
  return RunOnce(phase, text, deadline, kill_children_at, kill_at_deadline, step_units);
}

absl::StatusOr<CoqReply> Coqtop::RunOnce(Phase phase, const std::string& text,
                                         absl::Time deadline, absl::Time kill_children_at,
                                         bool kill_at_deadline, int step_units) {
  if (!Alive()) return absl::UnavailableError("coqtop is not running");
  std::string marker = absl::StrCat("thor_sentinel_", ++sentinel_counter_);
  absl::Status w = process_->Write(absl::StrCat(text, "\nCheck ", marker, ".\n"));
  if (!w.ok()) return absl::UnavailableError(absl::StrCat("coqtop is gone: ", w.message()));
  signalled_at_ns_ = 0;
  pending_sigint_ = false;
  step_answered_ = false;
  started_at_ns_ = absl::ToUnixNanos(absl::Now());
  phase_ = phase;
  struct Idle {
    std::atomic<int>& phase;
    ~Idle() { phase = kIdle; }
  } idle{phase_};
  auto done = [&](const std::string& out, const std::string&) {
    if (step_units > 0 && !step_answered_.load()) {
      int prompts = 0;
      for (size_t at = out.find(kPromptClose); at != std::string::npos && prompts < step_units;
           at = out.find(kPromptClose, at + kPromptCloseSize)) {
        ++prompts;
      }
      if (prompts >= step_units) step_answered_ = true;
    }
    size_t at = out.rfind(marker);
    return at != std::string::npos && out.find(kPromptClose, at) != std::string::npos;
  };
  // A SIGINT that lands while coqtop reads its input makes it drop what it
  // had buffered, the sentinel included: some time after a SIGINT, ask again
  // with a fresh sentinel, which is answered whether or not the first is.
  bool resent = false;
  auto each_slice = [&] {
    if (pending_sigint_.load() && phase_.load() == kInterruptible &&
        absl::Now() - absl::FromUnixNanos(started_at_ns_.load()) >= kSigintAfter) {
      SignalOnce();
    }
    const int64_t at = signalled_at_ns_.load();
    if (resent || phase_.load() != kSignalled || at == 0 ||
        absl::Now() - absl::FromUnixNanos(at) < absl::Milliseconds(300)) {
      return;
    }
    resent = true;
    marker = absl::StrCat("thor_sentinel_", ++sentinel_counter_);
    (void)process_->Write(absl::StrCat("\nCheck ", marker, ".\n"));
  };
  absl::Status s = Read(done, deadline, kill_children_at, each_slice);
  if (absl::IsCancelled(s)) return s;
  // Interrupted before its deadline (the search is over) and silent since:
  // whatever it runs ignores SIGINT, so the deadline is not waited for.
  if (absl::IsDeadlineExceeded(s) && InterruptUnanswered(absl::Now())) {
    Kill();
    return absl::DeadlineExceededError(
        absl::StrCat("coqtop did not answer its interrupt within ",
                     absl::FormatDuration(options_.interrupt_grace), " and was killed"));
  }
  if (absl::IsDeadlineExceeded(s) && (kill_at_deadline || phase == kHousekeeping)) {
    Kill();
    return absl::DeadlineExceededError("coqtop did not answer by the time limit and was killed");
  }
  if (absl::IsDeadlineExceeded(s)) {
    SignalOnce();  // Unless Interrupt() has sent it already.
    s = Read(done, absl::Now() + options_.interrupt_grace, kill_children_at, each_slice);
    if (absl::IsDeadlineExceeded(s)) {
      Kill();
      return absl::DeadlineExceededError("coqtop did not answer its interrupt and was killed");
    }
  }
  if (!s.ok()) {
    CoqTrace(process_->pid(), [&] {
      process_->Wait(absl::Now() + absl::Milliseconds(200));
      return absl::StrCat("read failed: ", s.message(), "; exit ", process_->exit_code(), " signal ",
                          process_->term_signal(), "; stderr: ", process_->ConsumeErr(),
                          "; output so far: ", process_->ConsumeOut());
    });
    Kill();
    return absl::UnavailableError(absl::StrCat("coqtop died: ", s.message()));
  }
  const std::string raw = process_->ConsumeOut();
  CoqTrace(process_->pid(), [&] { return absl::StrCat(">>> ", text, "\n<<< ", raw); });
  std::vector<std::pair<std::string, Prompt>> parts = SplitReplies(raw);
  // Sentinel replies other than the last (after a resend) are not sentences.
  for (size_t i = 0; i + 1 < parts.size();) {
    if (absl::StrContains(parts[i].first, "Check thor_sentinel_")) {
      parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  CoqReply reply;
  reply.interrupted = phase_.load() == kSignalled;
  int previous = state_;
  // The last part is the sentinel's own error.
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    CoqSentence sentence;
    sentence.output = std::move(parts[i].first);
    sentence.state = parts[i].second.state;
    sentence.proof = parts[i].second.proof;
    sentence.failed = sentence.state <= previous;
    previous = sentence.state;
    reply.sentences.push_back(std::move(sentence));
  }
  if (!parts.empty()) state_ = parts.back().second.state;
  return reply;
}

void Coqtop::Interrupt() { SignalOnce(); }

bool Coqtop::InterruptUnanswered(absl::Time now) const {
  const int64_t at = signalled_at_ns_.load();
  return phase_.load() == kSignalled && at != 0 &&
         now - absl::FromUnixNanos(at) >= options_.interrupt_grace;
}

void Coqtop::KillStrayChildren() {
  if (process_) SignalGroupExceptLeader(process_->pid(), SIGKILL);
}

void CoqTrace(pid_t pid, const std::function<std::string()>& what) {
  static const bool on = std::getenv("THOR_COQ_TRACE") != nullptr;
  if (on) std::fprintf(stderr, "[coqtop %d] %s\n", pid, what().c_str());
}

bool Coqtop::Alive() { return process_ != nullptr && process_->Running(); }

void Coqtop::Kill() {
  if (process_) {
    CoqTrace(process_->pid(), [] { return std::string("killed"); });
    process_->Kill();
    process_->Wait(absl::Now() + absl::Seconds(2));
  }
}

}  // namespace thor::coq
