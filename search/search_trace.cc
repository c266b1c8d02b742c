// SearchTree::TraceJson, written element by element so a large trace never
// exists twice in memory as a JSON tree.
#include <string>

#include "nlohmann/json.hpp"
#include "search/search_tree.h"

namespace thor {
namespace {

using Json = nlohmann::ordered_json;  // One allocation per object, keys in order.

void Append(std::string& out, const Json& j) {
  // Invalid UTF-8 from provers or models is replaced, not fatal.
  out += j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

template <typename T, typename F>
void AppendArray(std::string& out, const char* key, const T& items, F to_json) {
  out += ",\"";
  out += key;
  out += "\":[";
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ',';
    first = false;
    Append(out, to_json(item));
  }
  out += ']';
}

}  // namespace

std::string SearchTree::TraceJson(const Theorem& theorem,
                                  const std::string& policy, uint64_t seed,
                                  SearchStatus status) const {
  std::string out;
  out.reserve(128 * (nodes_.size() + tries_.size() + queries_.size()) + 256);
  Json head = {{"theorem", theorem.name},
               {"prover", theorem.prover},
               {"policy", policy},
               {"seed", seed},
               {"status", SearchStatusName(status)}};
  Append(out, head);
  out.pop_back();  // Reopen the object for the arrays.
  int id = 0;
  AppendArray(out, "nodes", nodes_, [&id](const SearchNode& n) {
    return Json{{"id", id++},
                {"parent", n.parent},
                {"step", n.step},
                {"from_hammer", n.from_hammer},
                {"hammer_prover", n.hammer_prover},
                {"score", n.score},
                {"depth", n.depth},
                {"expanded", n.expanded},
                {"state", n.state.text},
                {"t_s", absl::ToDoubleSeconds(n.t)}};
  });
  AppendArray(out, "tries", tries_, [](const TraceTry& t) {
    Json j = {{"from", t.from},
              {"to", t.to},
              {"step", t.step},
              {"logprob", t.logprob},
              {"outcome", StepKindName(t.kind)},
              {"hammer", t.hammer},
              {"t_s", absl::ToDoubleSeconds(t.t)},
              {"elapsed_s", absl::ToDoubleSeconds(t.elapsed)}};
    if (t.duplicate_of >= 0) j["duplicate_of"] = t.duplicate_of;
    if (!t.hammer_prover.empty()) j["hammer_prover"] = t.hammer_prover;
    if (!t.message.empty()) j["message"] = t.message;
    return j;
  });
  AppendArray(out, "queries", queries_, [](const TraceQuery& q) {
    Json j = {{"node", q.node},
              {"candidates", q.candidates},
              {"t_s", absl::ToDoubleSeconds(q.t)},
              {"elapsed_s", absl::ToDoubleSeconds(q.elapsed)}};
    if (!q.error.empty()) j["error"] = q.error;
    return j;
  });
  out += '}';
  return out;
}

}  // namespace thor
