// Small helpers shared by the search tests.
#ifndef THOR_TESTS_SEARCH_SEARCH_TEST_UTIL_H_
#define THOR_TESTS_SEARCH_SEARCH_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "search/search_result.h"
#include "search/observer.h"
#include "search/types.h"
#include "tests/search/sim_world.h"

namespace thor::testing {

inline Theorem SimTheorem(const std::string& statement) {
  Theorem t;
  t.prover = "isabelle";  // The step filter knows "isabelle" and "coq".
  t.name = "sim";
  t.statement = statement;
  return t;
}

// A config with small budgets and no waiting, for tests.
inline SearchConfig FastConfig() {
  SearchConfig c;
  c.wall_time = absl::Seconds(20);
  c.step_timeout = absl::Seconds(2);
  c.hammer_timeout = absl::Seconds(5);
  c.query_timeout = absl::Seconds(5);
  c.seed = 7;
  return c;
}

// Records every event.
class RecordingObserver : public SearchObserver {
 public:
  void OnStarted(const SearchStartedEvent& e) override {
    absl::MutexLock l(&mu_);
    started.push_back(e);
  }
  void OnStepTried(const StepTriedEvent& e) override {
    absl::MutexLock l(&mu_);
    steps.push_back(e);
  }
  void OnHammerCalled(const HammerCalledEvent& e) override {
    absl::MutexLock l(&mu_);
    hammers.push_back(e);
  }
  void OnProgress(const SearchProgressEvent& e) override {
    absl::MutexLock l(&mu_);
    progress.push_back(e);
  }
  absl::Mutex mu_;
  std::vector<SearchStartedEvent> started;
  std::vector<StepTriedEvent> steps;
  std::vector<HammerCalledEvent> hammers;
  std::vector<SearchProgressEvent> progress;
};

// The exploration order of a search, timings left out: every node (parent,
// step, goal), every try (from, step, outcome, to) and every query, in the
// order the search recorded them.
inline std::string ExplorationOrder(const SearchResult& r) {
  const nlohmann::json t = nlohmann::json::parse(r.trace_json);
  std::string order;
  for (const nlohmann::json& n : t["nodes"]) {
    order += absl::StrCat("N", n["parent"].get<int>(), "/", n["step"].get<std::string>(),
                          "/", n["state"].get<std::string>(), ";");
  }
  for (const nlohmann::json& x : t["tries"]) {
    order += absl::StrCat("T", x["from"].get<int>(), "/", x["step"].get<std::string>(),
                          "/", x["outcome"].get<std::string>(), "/", x["to"].get<int>(),
                          x.contains("duplicate_of") ? "d" : "", ";");
  }
  for (const nlohmann::json& q : t["queries"]) {
    order += absl::StrCat("Q", q["node"].get<int>(), "/", q["candidates"].get<int>(), ";");
  }
  return order;
}

}  // namespace thor::testing

#endif  // THOR_TESTS_SEARCH_SEARCH_TEST_UTIL_H_
