#include "tests/isabelle_bridge/fake_pisa_world.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace thor::isabelle::fake {

absl::StatusOr<FakeWorld> ParseFakeWorld(const std::string& json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("fake PISA world: not a JSON object");
  }
  FakeWorld world;
  world.isabelle2021 = j.value("version", std::string("2022")) == "2021";
  world.unknown_step_error = j.value("unknown_step_error", world.unknown_step_error);
  const nlohmann::json empty_array = nlohmann::json::array();
  const nlohmann::json empty_object = nlohmann::json::object();
  const nlohmann::json& theorems = j.contains("theorems") ? j["theorems"] : empty_array;
  for (const auto& t : theorems) {
    if (!t.is_object() || !t.contains("match")) {
      return absl::InvalidArgumentError("fake PISA world: a theorem needs \"match\"");
    }
    FakeTheorem th;
    th.match = t.value("match", "");
    th.initial = t.value("initial", "proof (prove)\ngoal (1 subgoal):\n 1. True");
    const nlohmann::json& transitions = t.contains("transitions") ? t["transitions"] : empty_array;
    for (const auto& tr : transitions) {
      Transition x;
      x.from = tr.value("from", "*");
      x.step = tr.value("step", "");
      if (tr.contains("to")) {
        x.outcome = {Outcome::Kind::kState, tr.value("to", "")};
      } else if (tr.contains("error")) {
        x.outcome = {Outcome::Kind::kError, tr.value("error", "")};
      } else if (tr.contains("unknown_error")) {
        x.outcome = {Outcome::Kind::kUnknownError, tr.value("unknown_error", "")};
      } else if (tr.value("hang", false)) {
        x.outcome = {Outcome::Kind::kHang, ""};
      } else if (tr.value("die", false)) {
        x.outcome = {Outcome::Kind::kDie, ""};
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("fake PISA world: transition '", x.step, "' has no outcome"));
      }
      th.transitions.push_back(std::move(x));
    }
    const nlohmann::json& states = t.contains("states") ? t["states"] : empty_object;
    for (const auto& [text, s] : states.items()) {
      StateFacts f;
      f.hammer = s.value("hammer", "");
      f.tptp = s.value("tptp", "");
      f.metis = s.value("metis", std::vector<std::string>());
      th.states[text] = std::move(f);
    }
    world.theorems.push_back(std::move(th));
  }
  return world;
}

FakeWorld DefaultFakeWorld() { return FakeWorld(); }

}  // namespace thor::isabelle::fake
