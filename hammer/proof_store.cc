#include "hammer/proof_store.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace thor::hammer {
namespace {

bool StringArray(const nlohmann::json& j, std::vector<std::string>* out) {
  if (!j.is_array()) return false;
  for (const nlohmann::json& e : j) {
    if (!e.is_string()) return false;
    out->push_back(e.get<std::string>());
  }
  return true;
}

}  // namespace

std::string ProofLine(const std::string& goal, const ProofRecord& proof) {
  const nlohmann::json j = {
      {"goal", goal}, {"features", proof.features}, {"premises", proof.premises}};
  // Names come from clients' problems: invalid UTF-8 is replaced rather
  // than aborting the write.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<ProofDb> ReadProofFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("proof database '", path, "' not found"));
  ProofDb db;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ProofRecord proof;
    if (!j.is_object() || !j.contains("goal") || !j["goal"].is_string() ||
        j["goal"].get<std::string>().empty() || !j.contains("premises") ||
        !StringArray(j["premises"], &proof.premises) ||
        (j.contains("features") && !StringArray(j["features"], &proof.features))) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", n,
          ": expected {\"goal\": name, \"features\": [...], \"premises\": [...]} on one line "
          "(a line cut short by a killed server can be deleted)"));
    }
    db[j["goal"].get<std::string>()] = std::move(proof);
  }
  return db;
}

}  // namespace thor::hammer
