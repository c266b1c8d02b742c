// The search's "preparing" events: the first event of every search, before
// its prover has started, then the phases its sessions report, each once.
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "search/best_first.h"
#include "tests/search/search_test_util.h"
#include "tests/search/sim_prover.h"

namespace thor::testing {
namespace {

Candidate C(const std::string& step, double lp) { return {step, lp, false}; }

// Sessions of the simulated prover that report progress as a bridge does:
// while starting, and on every step.
class ReportingBackend : public ProverBackend {
 public:
  explicit ReportingBackend(ProverBackend* inner) : inner_(inner) {}
  std::string Name() const override { return inner_->Name(); }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override {
    absl::StatusOr<std::unique_ptr<ProverSession>> s = inner_->NewSession();
    if (!s.ok()) return s.status();
    return std::unique_ptr<ProverSession>(new Session(std::move(*s)));
  }
  RecheckResult Recheck(const Theorem& t, const std::vector<std::string>& steps,
                        absl::Duration d) override {
    return inner_->Recheck(t, steps, d);
  }
  std::string ProofText(const std::vector<std::string>& steps) const override {
    return inner_->ProofText(steps);
  }
  absl::Status CheckStep(absl::string_view step) const override {
    return inner_->CheckStep(step);
  }
  absl::Status ValidateTheorem(const Theorem& theorem) const override {
    return inner_->ValidateTheorem(theorem);
  }
  absl::StatusOr<std::vector<std::string>> ParseProofText(absl::string_view text) const override {
    return inner_->ParseProofText(text);
  }

 private:
  class Session : public ProverSession {
   public:
    explicit Session(std::unique_ptr<ProverSession> inner) : inner_(std::move(inner)) {}
    void SetProgressCallback(ProverProgressCallback callback) override {
      progress_ = std::move(callback);
    }
    absl::StatusOr<ProofState> Start(const Theorem& t, absl::Duration d) override {
      if (progress_) progress_({"loading_theorem", "loading"});
      absl::StatusOr<ProofState> s = inner_->Start(t, d);
      if (progress_) progress_({"hammer_loading", ""});
      return s;
    }
    StepResult Apply(const ProofState& from, const std::string& step,
                     absl::Duration d) override {
      if (progress_) progress_({"hammer_ready", "ready"});
      return inner_->Apply(from, step, d);
    }
    HammerStepResult Hammer(const ProofState& from, absl::Duration d) override {
      return inner_->Hammer(from, d);
    }
    void Interrupt() override { inner_->Interrupt(); }

   private:
    std::unique_ptr<ProverSession> inner_;
    ProverProgressCallback progress_;
  };
  ProverBackend* inner_;
};

// Every event's kind in order ("preparing:PHASE", "started", ...).
class OrderObserver : public SearchObserver {
 public:
  void OnPreparing(const PreparingEvent& e) override {
    absl::MutexLock l(&mu);
    order.push_back("preparing:" + e.phase);
    preparing.push_back(e);
  }
  void OnStarted(const SearchStartedEvent&) override { Add("started"); }
  void OnStepTried(const StepTriedEvent&) override { Add("step"); }
  void OnHammerCalled(const HammerCalledEvent&) override { Add("hammer"); }
  void Add(const std::string& kind) {
    absl::MutexLock l(&mu);
    order.push_back(kind);
  }
  absl::Mutex mu;
  std::vector<std::string> order;
  std::vector<PreparingEvent> preparing;
};

std::shared_ptr<ScriptedWorld> World() {
  auto w = std::make_shared<ScriptedWorld>();
  w->Candidates("root", {C("a", -0.1), C("b", -0.5)})
      .Step("root", "a", "s1")
      .Step("root", "b", "s2")
      .Candidates("s1", {C("c", -0.3)})
      .Finish("s1", "c");
  return w;
}

void ExpectPreparingFirstAndOnce(bool sequential) {
  std::shared_ptr<ScriptedWorld> world = World();
  SimProverBackend sim(world, SimProverOptions());
  ReportingBackend backend(&sim);
  SimPolicy policy(world, SimPolicyOptions());
  SearchConfig config = FastConfig();
  config.sequential = sequential;
  config.max_inflight_steps = 2;  // Two sessions report the same phases.
  OrderObserver observer;
  const Theorem theorem = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, theorem, config, &observer, nullptr);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  ASSERT_GE(observer.order.size(), 4u);
  // At once, before the prover started; then the session's phases, which
  // come before `started` while the first session loads the theorem.
  EXPECT_EQ(observer.order[0], "preparing:starting_prover");
  EXPECT_EQ(observer.order[1], "preparing:loading_theorem");
  EXPECT_EQ(observer.order[2], "preparing:hammer_loading");
  EXPECT_EQ(observer.order[3], "started");
  // Each phase once, however many sessions and steps reported it.
  std::vector<std::string> phases;
  for (const PreparingEvent& e : observer.preparing) {
    phases.push_back(e.phase);
    EXPECT_EQ(e.prover, sim.Name());
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"starting_prover", "loading_theorem",
                                              "hammer_loading", "hammer_ready"}));
  EXPECT_LE(observer.preparing[0].t, observer.preparing[1].t);
}

TEST(PreparingTest, FirstEventPrecedesTheProverAndEachPhaseComesOncePipelined) {
  ExpectPreparingFirstAndOnce(/*sequential=*/false);
}

TEST(PreparingTest, FirstEventPrecedesTheProverAndEachPhaseComesOnceSequential) {
  ExpectPreparingFirstAndOnce(/*sequential=*/true);
}

}  // namespace
}  // namespace thor::testing
