#include "coq_bridge/coqtop.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/process_table.h"

namespace thor::coq {
namespace {

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

}  // namespace

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
  char tmpl[] = "/tmp/thor-coqtop-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  coq->tmpdir_ = tmpl;
  SubprocessOptions sp;
  sp.argv = {options.program, "-emacs"};
  const char* path = std::getenv("PATH");
  // CoqHammer calls a bare `htimeout` (a Debian packaging bug); its own
  // temporary files go to TMPDIR, one directory per process.
  sp.env = {absl::StrCat("PATH=/usr/libexec/coq-hammer:", path ? path : "/usr/bin:/bin"),
            absl::StrCat("TMPDIR=", coq->tmpdir_)};
  sp.cwd = coq->tmpdir_;
  sp.merge_stderr = true;
  sp.memory_limit_bytes = options.memory_limit_bytes;
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
        coq->Run(absl::StrCat("BackTo ", coq->base_state_, "."), deadline);
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
    absl::Time kill_children_at) {
  while (true) {
    const absl::Time now = absl::Now();
    if (now >= kill_children_at) KillStrayChildren();
    if (cancel_ != nullptr && cancel_->load()) {
      Kill();
      return absl::CancelledError("coqtop start cancelled");
    }
    const absl::Time until = std::min(deadline, now + absl::Milliseconds(250));
    absl::Status s = process_->ReadUntil(done, until);
    if (!absl::IsDeadlineExceeded(s) || until >= deadline) return s;
  }
}

absl::StatusOr<CoqReply> Coqtop::Run(const std::string& text, absl::Time deadline,
                                     absl::Time kill_children_at, bool kill_at_deadline) {
  if (!Alive()) return absl::UnavailableError("coqtop is not running");
  interrupt_requested_ = false;
  const std::string marker = absl::StrCat("thor_sentinel_", ++sentinel_counter_);
  absl::Status w = process_->Write(absl::StrCat(text, "\nCheck ", marker, ".\n"));
  if (!w.ok()) return absl::UnavailableError(absl::StrCat("coqtop is gone: ", w.message()));
  auto done = [&marker](const std::string& out, const std::string&) {
    size_t at = out.rfind(marker);
    return at != std::string::npos && out.find(kPromptClose, at) != std::string::npos;
  };
  bool interrupted = false;
  absl::Status s = Read(done, deadline, kill_children_at);
  if (absl::IsCancelled(s)) return s;
  if (absl::IsDeadlineExceeded(s) && kill_at_deadline) {
    Kill();
    return absl::DeadlineExceededError("coqtop did not answer by the time limit and was killed");
  }
  if (absl::IsDeadlineExceeded(s)) {
    interrupted = true;
    process_->SignalGroup(SIGINT);
    s = Read(done, absl::Now() + options_.interrupt_grace, kill_children_at);
    if (absl::IsDeadlineExceeded(s)) {
      Kill();
      return absl::DeadlineExceededError("coqtop did not answer its interrupt and was killed");
    }
  }
  if (!s.ok()) {
    Kill();
    return absl::UnavailableError(absl::StrCat("coqtop died: ", s.message()));
  }
  const std::string raw = process_->ConsumeOut();
  if (std::getenv("THOR_COQ_TRACE") != nullptr) {
    std::fprintf(stderr, "[coqtop %d] >>> %s\n<<< %s\n", process_->pid(), text.c_str(), raw.c_str());
  }
  std::vector<std::pair<std::string, Prompt>> parts = SplitReplies(raw);
  CoqReply reply;
  reply.interrupted = interrupted || interrupt_requested_.load();
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

void Coqtop::Interrupt() {
  interrupt_requested_ = true;
  if (process_) process_->SignalGroup(SIGINT);
}

void Coqtop::KillStrayChildren() {
  if (process_) SignalGroupExceptLeader(process_->pid(), SIGKILL);
}

bool Coqtop::Alive() { return process_ != nullptr && process_->Running(); }

void Coqtop::Kill() {
  if (process_) {
    process_->Kill();
    process_->Wait(absl::Now() + absl::Seconds(2));
  }
}

}  // namespace thor::coq
