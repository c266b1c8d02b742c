#include "search/best_first.h"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/cancel_watcher.h"
#include "common/env.h"
#include "search/inline_executor.h"
#include "search/worker_pool.h"

namespace thor {
namespace {

// One search. `in`: a session that has loaded the theorem, to start on
// (else session 0 loads it); `out`: if not null, receives session 0 and the
// root afterwards when the session is still live.
SearchResult RunOnce(ProverBackend& backend, Policy& policy, const Theorem& theorem,
                     const SearchConfig& config, SearchObserver* observer,
                     const std::atomic<bool>* cancel, std::optional<LoadedSession> in,
                     std::optional<LoadedSession>* out) {
  auto run = [&](Executor& executor) {
    if (in.has_value()) executor.StartOn(std::move(*in));
    SearchResult r = executor.Run();
    if (out != nullptr) *out = executor.TakeLoaded();
    return r;
  };
  // One call at a time needs no pool: the caller's thread makes them.
  if (config.sequential) {
    InlineExecutor executor(Env::Default(), backend, policy, theorem, config,
                            observer, cancel);
    return run(executor);
  }
  WorkerPool pool(Env::Default(), backend, policy, theorem, config, observer, cancel);
  return run(pool);
}

void AddStats(const SearchStats& p, SearchStats* to) {
  SearchStats& s = *to;
  s.model_queries += p.model_queries;
  s.candidates += p.candidates;
  s.steps_applied += p.steps_applied;
  s.steps_failed += p.steps_failed;
  s.steps_timed_out += p.steps_timed_out;
  s.steps_refused += p.steps_refused;
  s.hammer_calls += p.hammer_calls;
  s.hammer_successes += p.hammer_successes;
  s.states_expanded += p.states_expanded;
  s.states_seen += p.states_seen;
  s.duplicate_states += p.duplicate_states;
  s.provers_lost += p.provers_lost;
  s.model_failures += p.model_failures;
  s.wall_s += p.wall_s;
  s.model_s += p.model_s;
  s.prover_s += p.prover_s;
  s.hammer_s += p.hammer_s;
  s.recheck_s += p.recheck_s;
}

// The other side's counters added to the result's (its wall time is the
// caller's to set), and its tree beside the result's in the trace, as
// member `name` ("probe", or "proper" when the probe's proof is the result).
void AddSide(const SearchResult& side, const char* name, SearchResult* r) {
  const double wall = r->stats.wall_s;
  AddStats(side.stats, &r->stats);
  r->stats.wall_s = wall;
  if (!side.trace_json.empty() && absl::StartsWith(r->trace_json, "{")) {
    r->trace_json = absl::StrCat("{\"", name, "\":", side.trace_json,
                                 r->trace_json.size() > 2 ? "," : "", r->trace_json.substr(1));
  }
}

bool IsProof(SearchStatus s) {
  return s == SearchStatus::kProved || s == SearchStatus::kProvedUnchecked;
}

// The probe's own search: its policy, step limit and time (counted from the
// loaded theorem, within the whole wall time), one call at a time on one
// session even when `config` is pipelined: the probe's steps are quick, and
// this is the mode it was measured in.
SearchConfig ProbeConfig(const SearchConfig& config, const PolicyProbe& probe) {
  SearchConfig pc = config;
  pc.root_wall_time = std::min(config.root_wall_time, probe.time);
  pc.step_timeout = std::min(config.step_timeout, probe.step_timeout);
  pc.sequential = true;
  return pc;
}

// A result the probe found: its message says so.
void MarkFoundByProbe(SearchResult* r) {
  r->message = absl::StrCat(kFoundByProbe, r->message.empty() ? "" : ": ", r->message);
}

// The search proper's result after a probe whose proof the re-check
// rejected: if it has no proof of its own, its message says so.
void NoteRejectedProbe(const SearchResult& probe, SearchResult* r) {
  if (probe.status == SearchStatus::kRecheckRejected && !IsProof(r->status)) {
    r->message = absl::StrCat(r->message, " (the probe phase found a proof the re-check rejected: ",
                              probe.message, ")");
  }
}

// A probe's state ids as the caller sees them: "probe-<id>", but for the
// root ("0"), which the probe shares with the search proper.
void RenameProbeStates(std::string* from, std::string* to) {
  for (std::string* id : {from, to}) {
    if (!id->empty() && *id != "0") *id = "probe-" + *id;
  }
}

// Makes the probe's search and the search proper one event stream for
// `out`: one `started` (the probe's, under the policy's name), the phases
// of getting the prover ready once, times since the probe began, the
// probe's state ids other than the root's prefixed "probe-" (its root is the
// theorem's initial state, "0", as the search's), and the search's progress
// counting the probe's calls too.
class PhaseObserver : public SearchObserver {
 public:
  PhaseObserver(SearchObserver* out, std::string policy)
      : out_(out), policy_(std::move(policy)) {}
  // Events from now on are the search proper's, which began `offset` after
  // the probe.
  void SearchProper(absl::Duration offset, const SearchStats& probe) {
    offset_ = offset;
    probe_ = probe;
    proper_ = true;
  }
  void OnPreparing(const PreparingEvent& e) override {
    if (!proper_) out_->OnPreparing(e);
  }
  void OnStarted(const SearchStartedEvent& e) override {
    if (proper_) return;
    SearchStartedEvent started = e;
    started.policy = policy_;
    out_->OnStarted(started);
  }
  void OnStepTried(const StepTriedEvent& e) override {
    StepTriedEvent s = e;
    Adjust(&s.t, &s.from_state, &s.to_state);
    out_->OnStepTried(s);
  }
  void OnHammerCalled(const HammerCalledEvent& e) override {
    HammerCalledEvent h = e;
    Adjust(&h.t, &h.from_state, &h.to_state);
    out_->OnHammerCalled(h);
  }
  void OnProgress(const SearchProgressEvent& e) override {
    SearchProgressEvent p = e;
    p.t += offset_;
    if (proper_) {
      AddStats(probe_, &p.stats);
      p.stats.wall_s = absl::ToDoubleSeconds(p.t);  // Since the probe began.
    }
    out_->OnProgress(p);
  }

 private:
  void Adjust(absl::Duration* t, std::string* from, std::string* to) const {
    *t += offset_;
    if (!proper_) RenameProbeStates(from, to);
  }

  SearchObserver* const out_;
  const std::string policy_;
  bool proper_ = false;
  absl::Duration offset_;
  SearchStats probe_;
};

// The events of a probe running alongside the search proper, and of that
// search, as one stream for `out`: calls serialized under one lock, one
// `started` (the search proper's, under the policy's name), the search
// proper's phases of getting ready, the probe's state ids other than the
// root's prefixed "probe-", and the search proper's progress with the
// probe's last counters added.
class AlongsideEvents {
 public:
  AlongsideEvents(SearchObserver* out, std::string policy) : out_(out), policy_(std::move(policy)) {}

  class Side : public SearchObserver {
   public:
    Side(AlongsideEvents& all, bool probe) : all_(all), probe_(probe) {}
    void OnPreparing(const PreparingEvent& e) override {
      absl::MutexLock lock(&all_.mu_);
      if (!probe_) all_.out_->OnPreparing(e);
    }
    void OnStarted(const SearchStartedEvent& e) override {
      absl::MutexLock lock(&all_.mu_);
      if (probe_) return;
      SearchStartedEvent started = e;
      started.policy = all_.policy_;
      all_.out_->OnStarted(started);
    }
    void OnStepTried(const StepTriedEvent& e) override {
      StepTriedEvent s = e;
      if (probe_) RenameProbeStates(&s.from_state, &s.to_state);
      absl::MutexLock lock(&all_.mu_);
      all_.out_->OnStepTried(s);
    }
    void OnHammerCalled(const HammerCalledEvent& e) override {
      HammerCalledEvent h = e;
      if (probe_) RenameProbeStates(&h.from_state, &h.to_state);
      absl::MutexLock lock(&all_.mu_);
      all_.out_->OnHammerCalled(h);
    }
    void OnProgress(const SearchProgressEvent& e) override {
      absl::MutexLock lock(&all_.mu_);
      if (probe_) {
        all_.probe_stats_ = e.stats;
        return;
      }
      SearchProgressEvent p = e;
      AddStats(all_.probe_stats_, &p.stats);
      p.stats.wall_s = e.stats.wall_s;
      all_.out_->OnProgress(p);
    }

   private:
    AlongsideEvents& all_;
    const bool probe_;
  };

 private:
  SearchObserver* const out_;
  const std::string policy_;
  absl::Mutex mu_;
  SearchStats probe_stats_ ABSL_GUARDED_BY(mu_);
};

// The probe on a session of its own, on another thread, while this thread
// runs the search proper with the whole wall time. The query budget is
// split: half (at least one) for the probe, the rest for the search proper.
// A proof the re-check passed (or, with skip_recheck, any proof) on either
// side stops the other; the caller's cancel stops both.
SearchResult RunAlongside(ProverBackend& backend, Policy& policy, const PolicyProbe& probe,
                          const Theorem& theorem, const SearchConfig& config,
                          SearchObserver* observer, const std::atomic<bool>* cancel) {
  SearchConfig pc = ProbeConfig(config, probe);
  pc.max_model_queries = std::max(1, config.max_model_queries / 2);
  SearchConfig mc = config;
  mc.max_model_queries = std::max(0, config.max_model_queries - pc.max_model_queries);
  std::optional<AlongsideEvents> events;
  std::optional<AlongsideEvents::Side> probe_events, proper_events;
  if (observer != nullptr) {
    events.emplace(observer, policy.Name());
    probe_events.emplace(*events, /*probe=*/true);
    proper_events.emplace(*events, /*probe=*/false);
  }
  std::atomic<bool> stop_probe{false}, stop_proper{false};
  CancelWatcher watcher(cancel, [&] {
    stop_probe = true;
    stop_proper = true;
  });
  SearchResult first;
  std::thread probe_thread([&] {
    first = RunOnce(backend, *probe.policy, theorem, pc,
                    probe_events.has_value() ? &*probe_events : nullptr, &stop_probe,
                    std::nullopt, nullptr);
    if (IsProof(first.status)) stop_proper = true;
  });
  SearchResult r = RunOnce(backend, policy, theorem, mc,
                           proper_events.has_value() ? &*proper_events : nullptr, &stop_proper,
                           std::nullopt, nullptr);
  stop_probe = true;
  probe_thread.join();
  if (IsProof(first.status) && !IsProof(r.status)) {
    // The probe's proof is the result; the search proper's calls count too.
    SearchResult proved = std::move(first);
    proved.policy = policy.Name();
    MarkFoundByProbe(&proved);
    AddSide(r, "proper", &proved);
    return proved;
  }
  AddSide(first, "probe", &r);
  NoteRejectedProbe(first, &r);
  return r;
}

}  // namespace

SearchResult RunBestFirstSearch(ProverBackend& backend, Policy& policy,
                                const Theorem& theorem,
                                const SearchConfig& config,
                                SearchObserver* observer,
                                const std::atomic<bool>* cancel) {
  const std::optional<PolicyProbe> probe = policy.Probe();
  if (!probe.has_value() || probe->policy == nullptr || probe->time <= absl::ZeroDuration()) {
    return RunOnce(backend, policy, theorem, config, observer, cancel, std::nullopt, nullptr);
  }
  if (probe->alongside) {
    return RunAlongside(backend, policy, *probe, theorem, config, observer, cancel);
  }
  // The probe phase: the probe's policy alone, its slice counted from the
  // loaded theorem, within the whole budget.
  Env* env = Env::Default();
  const absl::Time t0 = env->Now();
  // One session: a second one would load the theorem once more.
  const SearchConfig pc = ProbeConfig(config, *probe);
  std::optional<PhaseObserver> phases;
  if (observer != nullptr) phases.emplace(observer, policy.Name());
  SearchObserver* const events = phases.has_value() ? &*phases : nullptr;
  // The probe's session, with the theorem loaded, goes on to the search
  // proper: loading takes seconds on a long file prefix.
  std::optional<LoadedSession> loaded;
  SearchResult first =
      RunOnce(backend, *probe->policy, theorem, pc, events, cancel, std::nullopt, &loaded);
  first.policy = policy.Name();
  // A proof the re-check rejected (an axiom outside the allow-list, say)
  // is no end: the search may find another.
  const bool go_on = first.status == SearchStatus::kTimeBudget ||
                     first.status == SearchStatus::kExhausted ||
                     first.status == SearchStatus::kQueryBudget ||
                     first.status == SearchStatus::kRecheckRejected;
  const absl::Duration left = config.wall_time - (env->Now() - t0);
  const int queries_left = config.max_model_queries - static_cast<int>(first.stats.model_queries);
  if (!go_on || left <= absl::ZeroDuration() || queries_left <= 0 ||
      (cancel != nullptr && cancel->load())) {
    if (IsProof(first.status) || first.status == SearchStatus::kRecheckRejected) {
      MarkFoundByProbe(&first);
    } else if (go_on) {
      // Nothing left for the search proper: the probe's end is the search's,
      // but in terms of the whole budget.
      first.status = left <= absl::ZeroDuration() ? SearchStatus::kTimeBudget
                                                  : SearchStatus::kQueryBudget;
      first.message = absl::StrCat("the probe phase used up the ",
                                   left <= absl::ZeroDuration() ? "wall-time" : "query",
                                   " budget without a proof");
    }
    return first;
  }
  SearchConfig mc = config;
  mc.wall_time = left;
  mc.max_model_queries = queries_left;
  const absl::Duration offset = env->Now() - t0;
  if (phases.has_value()) phases->SearchProper(offset, first.stats);
  SearchResult r = RunOnce(backend, policy, theorem, mc, events, cancel, std::move(loaded), nullptr);
  // From the probe's start to the search proper's end, the wait for the
  // probe's last call included (a prover that answers its interrupt late),
  // a rejected probe proof's re-check not.
  r.stats.wall_s += absl::ToDoubleSeconds(offset) - first.stats.recheck_s;
  AddSide(first, "probe", &r);
  NoteRejectedProbe(first, &r);
  return r;
}

}  // namespace thor
