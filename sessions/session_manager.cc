// SessionManager: opening, looking up, limiting, expiring and closing
// sessions. The calls on a session's states are in session_calls.cc.
#include "sessions/session_manager.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/cancel_watcher.h"
#include "sessions/session.h"

namespace thor {
namespace {

// How many ended sessions keep their reason for NotFound messages.
constexpr size_t kRememberedEnds = 4096;
// How often a call waiting for its session's turn looks at its cancel flag.
constexpr absl::Duration kTurnPoll = absl::Milliseconds(20);

// 128 bits from the operating system's generator: a session id is the only
// thing that lets a client use a session, so it must not be guessable.
std::string NewSessionId() {
  std::random_device random("/dev/urandom");
  return absl::StrFormat("%08x%08x%08x%08x", random(), random(), random(), random());
}

std::string Short(const std::string& id) { return id.substr(0, 8); }

std::string Seconds(absl::Duration d) {
  return absl::StrCat(absl::ToDoubleSeconds(d));
}

}  // namespace

SessionCall::~SessionCall() {
  ManagedSession& s = *session_;
  absl::MutexLock lock(&s.mu);
  if (has_turn_) {
    s.busy = false;
    s.turn_free.SignalAll();
  }
  --s.calls;
  s.last_used = env_->Now();
}

absl::Status SessionCall::TakeTurn(const std::atomic<bool>* cancel) {
  ManagedSession& s = *session_;
  absl::MutexLock lock(&s.mu);
  while (true) {
    if (s.closed) {
      return absl::NotFoundError(absl::StrCat("session_id: session ", Short(s.id), "... ",
                                              s.closed_why, " while this call waited"));
    }
    if (!s.busy) break;
    if (cancel != nullptr && cancel->load()) {
      return absl::CancelledError("cancelled while waiting for the session's previous call");
    }
    s.turn_free.WaitWithTimeout(&s.mu, kTurnPoll);
  }
  s.busy = true;
  has_turn_ = true;
  return absl::OkStatus();
}

SessionManager::SessionManager(SessionLimits limits, Env* env, absl::Duration sweep_every)
    : limits_(limits), env_(env) {
  if (sweep_every > absl::ZeroDuration()) {
    sweeper_ = std::thread([this, sweep_every] { SweepLoop(sweep_every); });
  }
}

SessionManager::~SessionManager() {
  CloseAll();
  if (sweeper_.joinable()) sweeper_.join();
}

void SessionManager::SweepLoop(absl::Duration every) {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), every)) return;
    }
    ExpireIdle();
  }
}

int SessionManager::open_sessions() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(sessions_.size());
}

int SessionManager::held_states() const {
  absl::MutexLock lock(&mu_);
  return states_;
}

absl::StatusOr<OpenedSession> SessionManager::Open(std::shared_ptr<ProverBackend> backend,
                                                   const Theorem& theorem,
                                                   SessionOptions options,
                                                   const std::atomic<bool>* cancel) {
  ExpireIdle();
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::UnavailableError("the server is shutting down");
    const int open = static_cast<int>(sessions_.size()) + opening_;
    if (open >= limits_.max_sessions) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the server has ", open, " sessions open, its limit (server configuration "
          "max_sessions, thor serve --max_sessions); close one, or wait for idle ones to expire "
          "(after session_idle_timeout_s)"));
    }
    if (states_ + 1 > limits_.max_states) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the server's sessions hold ", states_, " states, its limit (server configuration "
          "max_session_states, thor serve --max_session_states); drop or close some"));
    }
    ++opening_;
    ++states_;  // The root.
  }
  auto undo = [this] {
    absl::MutexLock lock(&mu_);
    --opening_;
    --states_;
  };
  options.idle_timeout = std::min(options.idle_timeout, limits_.idle_timeout);
  const absl::Time start = env_->Now();
  absl::StatusOr<std::unique_ptr<ProverSession>> prover = backend->NewSession();
  if (!prover.ok()) {
    undo();
    return prover.status();
  }
  absl::StatusOr<ProofState> root = absl::CancelledError("cancelled before the prover started");
  if (cancel == nullptr || !cancel->load()) {
    ProverSession* p = prover->get();
    CancelWatcher watch(cancel, [p] { p->Interrupt(); });
    root = (*prover)->Start(theorem, options.start_timeout);
  }
  if (cancel != nullptr && cancel->load()) root = absl::CancelledError("cancelled while opening");
  if (!root.ok()) {
    undo();
    return root.status();
  }
  auto session = std::make_shared<Session>(NewSessionId(), std::move(backend), theorem, options,
                                           *std::move(prover), *std::move(root), env_->Now());
  bool stopping = false;
  {
    absl::MutexLock lock(&mu_);
    --opening_;
    stopping = stopping_;
    if (stopping) {
      --states_;
    } else {
      sessions_[session->id] = session;
    }
  }
  if (stopping) {
    Shut(*session);
    return absl::UnavailableError("the server is shutting down");
  }
  OpenedSession opened;
  opened.session_id = session->id;
  opened.elapsed = env_->Now() - start;
  Session& s = *session;
  absl::MutexLock lock(&s.mu);
  opened.root = DescribeState(s, 0);
  return opened;
}

absl::StatusOr<std::shared_ptr<SessionManager::Session>> SessionManager::Enter(
    const std::string& id) {
  ExpireIdle();
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the server is shutting down");
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return GoneStatus(id);
  Session& s = *it->second;
  absl::MutexLock session_lock(&s.mu);
  ++s.calls;
  return it->second;
}

absl::Status SessionManager::GoneStatus(const std::string& id) const {
  auto it = gone_.find(id);
  if (it != gone_.end()) {
    return absl::NotFoundError(
        absl::StrCat("session_id: session ", Short(id), "... ", it->second));
  }
  return absl::NotFoundError(
      "session_id: unknown session (not opened on this server, or ended long ago; sessions "
      "do not outlive the server process)");
}

absl::Status SessionManager::Reserve(Session& s) {
  absl::MutexLock lock(&mu_);
  absl::MutexLock session_lock(&s.mu);
  if (static_cast<int>(s.tree.size()) + 1 > limits_.max_states_per_session) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the session holds ", s.tree.size(), " states, its limit (server configuration "
        "max_states_per_session, thor serve --max_states_per_session); DropState the states "
        "it no longer needs"));
  }
  if (states_ + 1 > limits_.max_states) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the server's sessions hold ", states_, " states, its limit (server configuration "
        "max_session_states, thor serve --max_session_states); DropState or close sessions"));
  }
  ++states_;
  return absl::OkStatus();
}

void SessionManager::Unreserve() {
  absl::MutexLock lock(&mu_);
  --states_;
}

absl::StatusOr<int> SessionManager::Close(const std::string& session_id) {
  std::shared_ptr<Session> s;
  int held = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = sessions_.find(session_id);
    if (it == sessions_.end()) return GoneStatus(session_id);
    s = it->second;
    sessions_.erase(it);
    Forget(session_id, "was closed (CloseSession)");
    Session& closing = *s;
    absl::MutexLock session_lock(&closing.mu);
    closing.closed = true;
    closing.closed_why = "was closed";
    held = static_cast<int>(closing.tree.size());
    states_ -= held;
  }
  Shut(*s);
  return held;
}

int SessionManager::ExpireIdle() {
  std::vector<std::shared_ptr<Session>> expired;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = env_->Now();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      Session& s = *it->second;
      absl::MutexLock session_lock(&s.mu);
      if (s.calls > 0 || now - s.last_used < s.options.idle_timeout) {
        ++it;
        continue;
      }
      const std::string why = absl::StrCat("expired after ", Seconds(s.options.idle_timeout),
                                           " s idle (its idle timeout); open a new session");
      s.closed = true;
      s.closed_why = why;
      states_ -= static_cast<int>(s.tree.size());
      Forget(it->first, why);
      expired.push_back(it->second);
      it = sessions_.erase(it);
    }
  }
  for (const auto& s : expired) Shut(*s);
  return static_cast<int>(expired.size());
}

void SessionManager::CloseAll() {
  std::vector<std::shared_ptr<Session>> all;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    for (auto& [id, session] : sessions_) {
      Session& s = *session;
      absl::MutexLock session_lock(&s.mu);
      s.closed = true;
      s.closed_why = "was closed by the server's shutdown";
      states_ -= static_cast<int>(s.tree.size());
      Forget(id, "was closed by the server's shutdown");
      all.push_back(session);
    }
    sessions_.clear();
  }
  for (const auto& s : all) Shut(*s);
}

void SessionManager::Forget(const std::string& id, std::string why) {
  if (gone_.emplace(id, std::move(why)).second) gone_order_.push_back(id);
  while (gone_order_.size() > kRememberedEnds) {
    gone_.erase(gone_order_.front());
    gone_order_.pop_front();
  }
}

void SessionManager::Shut(Session& s) {
  std::unique_ptr<ProverSession> prover;
  {
    absl::MutexLock lock(&s.mu);
    // A call in progress stops soon; no new one starts (closed is set).
    if (s.busy && s.prover != nullptr) s.prover->Interrupt();
    while (s.busy) s.turn_free.Wait(&s.mu);
    s.busy = true;  // For good: the session has no prover any more.
    prover = std::move(s.prover);
  }
  prover.reset();  // Ends (or hands back) the prover process now.
}

SessionStateInfo DescribeState(const ManagedSession& s, uint64_t id) {
  const SessionNode* node = *s.tree.Find(absl::StrCat(id));
  SessionStateInfo info;
  info.state_id = absl::StrCat(node->id);
  if (node->id != 0) info.parent_id = absl::StrCat(node->parent);
  info.step = node->via.text;
  info.depth = static_cast<int>(node->state.steps.size());
  info.finished = node->finished;
  if (!node->finished) {
    info.goals_text = node->state.text;
    info.goals = s.backend->ParseGoals(node->state.text);
  }
  info.steps = node->state.steps;
  return info;
}

}  // namespace thor
