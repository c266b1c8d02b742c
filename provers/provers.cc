#include "provers/provers.h"

#include <nlohmann/json.hpp>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "coq_bridge/coq_module.h"
#include "isabelle_bridge/isabelle_module.h"

namespace thor {

const char kDefaultProver[] = "coq";

const std::vector<ProverModule>& AllProvers() {
  // The list. Keep it sorted by name.
  static const std::vector<ProverModule>* const provers = new std::vector<ProverModule>{
      coq::CoqModule(),
      isabelle::IsabelleModule(),
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

std::vector<std::string> ProverServerFlagNames() {
  std::vector<std::string> out;
  for (const ProverModule& m : AllProvers()) {
    for (const ProverServerFlag& f : m.server_flags) out.push_back(f.flag);
  }
  return out;
}

std::map<std::string, std::string> ProverOptionsFromFlags() {
  std::map<std::string, std::string> out;
  for (const ProverModule& m : AllProvers()) {
    nlohmann::json options = nlohmann::json::object();
    for (const ProverServerFlag& f : m.server_flags) {
      // Linking the module defines its flags (provers_test checks they exist).
      const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(f.flag);
      if (flag == nullptr || flag->CurrentValue() == flag->DefaultValue()) continue;
      options[f.key] = flag->CurrentValue();
    }
    if (!options.empty()) out[m.name] = options.dump();
  }
  return out;
}

}  // namespace thor
