#include "learn/training_data.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"

namespace thor::learn {

absl::StatusOr<TrainingData> ReadTrainingData(const std::vector<std::string>& paths) {
  TrainingData data;
  std::map<std::string, int> file_theorems;  // Theorems seen so far per file.
  std::map<std::pair<std::string, std::string>, int> ordinal;
  for (const std::string& path : paths) {
    std::ifstream in(path);
    if (!in) {
      return absl::NotFoundError(absl::StrCat(
          "cannot read ", path, " (make one with: thor extract --prover=coq --out=", path,
          " FILES)"));
    }
    std::string line;
    while (std::getline(in, line)) {
      // A cheap filter before parsing: step records hold "step" (written
      // compactly by thor extract, with blanks by other writers).
      if (line.find("\"step\"") == std::string::npos) continue;
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("kind", "") != "step") continue;
      if (!j.is_object() || !j.contains("before") || !j["before"].is_object()) {
        ++data.skipped_lines;
        continue;
      }
      TrainingStep s;
      s.file = j.value("file", "");
      s.theorem = j.value("theorem", "");
      s.index = j.value("index", 0);
      s.tactic = j.value("tactic", "");
      s.state_text = j["before"].value("text", "");
      if (file_theorems.count(s.file) == 0) {
        file_theorems[s.file] = 0;
        data.files.push_back(s.file);
      }
      auto key = std::make_pair(s.file, s.theorem);
      auto it = ordinal.find(key);
      if (it == ordinal.end()) it = ordinal.emplace(key, file_theorems[s.file]++).first;
      s.theorem_ordinal = it->second;
      data.steps.push_back(std::move(s));
    }
  }
  if (data.steps.empty()) {
    return absl::InvalidArgumentError(
        "no step records (\"kind\":\"step\") in the input; is it `thor extract` output?");
  }
  return data;
}

}  // namespace thor::learn
