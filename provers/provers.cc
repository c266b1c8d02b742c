#include "provers/provers.h"

#include "absl/strings/str_cat.h"
#include "coq_bridge/coq_heuristics.h"
#include "coq_bridge/coq_module.h"
#include "coq_bridge/coq_text.h"
#include "isabelle_bridge/isabelle_heuristics.h"
#include "isabelle_bridge/isabelle_module.h"

namespace thor {

const char kDefaultProver[] = "coq";

const std::vector<ProverModule>& AllProvers() {
  // The list. Keep it sorted by name.
  static const std::vector<ProverModule>* const provers = new std::vector<ProverModule>{
      {"coq", coq::MakeCoqBackendFromJson, "", std::make_shared<coq::CoqHeuristics>(),
       coq::ResolveContext, ""},
      {"isabelle", isabelle::MakeIsabelleBackendForServer, isabelle::kIsabelleHowToEnable,
       std::make_shared<isabelle::IsabelleHeuristics>(), nullptr, "pisa"},
  };
  return *provers;
}

const ProverModule* FindProver(const std::string& name) {
  for (const ProverModule& m : AllProvers()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string ProverNamesJoined() {
  std::string out;
  for (const ProverModule& m : AllProvers()) absl::StrAppend(&out, out.empty() ? "" : ", ", m.name);
  return out;
}

ProverHeuristicsMap AllProverHeuristics() {
  ProverHeuristicsMap out;
  for (const ProverModule& m : AllProvers()) out[m.name] = m.heuristics;
  return out;
}

}  // namespace thor
