#include "eval/suite.h"

#include <sys/stat.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "eval/jsonl_suite.h"
#include "provers/provers.h"
#include "search/types.h"

namespace thor::eval {
namespace {

struct Registered {
  SuiteInfo info;
  const ProverSuite* suite;
};

// The thor.v1.Theorem for a suite's theorem. Options travel in the proto
// fields of the same names (the wire format has no others).
absl::StatusOr<SuiteTheorem> FromDomain(const Theorem& t) {
  SuiteTheorem out;
  out.id = t.name;
  v1::Theorem& p = out.theorem;
  p.set_prover(t.prover);
  p.set_name(t.name);
  p.set_context(t.context);
  p.set_statement(t.statement);
  p.set_file_path(t.file_path);
  for (const std::string& i : t.imports) p.add_imports(i);
  for (const std::string& a : t.allowed_axioms) p.add_allowed_axioms(a);
  for (const auto& [key, value] : t.options.values()) {
    if (key == kSessionOption) {
      p.set_session(value);
    } else if (key == kWorkingDirectoryOption) {
      p.set_working_directory(value);
    } else {
      return absl::InternalError(absl::StrCat("theorem '", t.name, "' has the option '", key,
                                              "', which thor.v1.Theorem cannot carry"));
    }
  }
  return out;
}

absl::StatusOr<std::vector<SuiteTheorem>> FromDomain(
    absl::StatusOr<std::vector<Theorem>> loaded) {
  if (!loaded.ok()) return loaded.status();
  std::vector<SuiteTheorem> out;
  for (const Theorem& t : *loaded) {
    absl::StatusOr<SuiteTheorem> converted = FromDomain(t);
    if (!converted.ok()) return converted.status();
    out.push_back(*std::move(converted));
  }
  return out;
}

std::vector<Registered> Registry() {
  std::vector<Registered> out;
  for (const ProverModule& m : AllProvers()) {
    for (const ProverSuite& suite : m.suites) {
      out.push_back({{suite.name, suite.description, suite.load != nullptr, m.name,
                      suite.paper_thor, suite.paper_hammer},
                     &suite});
    }
  }
  return out;
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::map<std::string, std::string> SuiteSettingsFromFlags() {
  std::map<std::string, std::string> out;
  for (const std::string& name : SuiteFlagNames()) {
    // Linking a module defines its suites' flags (provers_test checks).
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag != nullptr) out[name] = flag->CurrentValue();
  }
  return out;
}

std::vector<std::string> SuiteFlagNames() {
  std::vector<std::string> out;
  for (const Registered& r : Registry()) {
    for (const std::string& flag : r.suite->flags) {
      if (std::find(out.begin(), out.end(), flag) == out.end()) out.push_back(flag);
    }
  }
  return out;
}

std::vector<SuiteInfo> KnownSuites() {
  std::vector<SuiteInfo> out;
  for (const Registered& r : Registry()) out.push_back(r.info);
  return out;
}

absl::StatusOr<std::vector<SuiteTheorem>> LoadSuite(const SuiteOptions& options) {
  absl::StatusOr<std::vector<SuiteTheorem>> loaded;
  bool found = false;
  for (const Registered& r : Registry()) {
    if (r.info.name != options.name) continue;
    found = true;
    if (!r.suite->load) {
      return absl::UnimplementedError(absl::StrCat(
          "suite '", options.name, "' is known but its loader is not built into this thor"));
    }
    loaded = FromDomain(r.suite->load(options.settings));
  }
  if (!found) {
    if (!IsRegularFile(options.name)) {
      std::vector<std::string> names;
      for (const Registered& r : Registry()) names.push_back(r.info.name);
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown suite '", options.name, "': use one of ", absl::StrJoin(names, ", "),
          ", or the path of a JSONL file of theorems"));
    }
    loaded = LoadJsonlSuite(options.name, options.jsonl_prover);
  }
  if (!loaded.ok()) return loaded.status();
  absl::flat_hash_set<std::string> ids;
  for (const SuiteTheorem& t : *loaded) {
    if (!ids.insert(t.id).second) {
      return absl::InternalError(
          absl::StrCat("suite '", options.name, "' has the id '", t.id, "' twice"));
    }
  }
  return loaded;
}

std::string SuiteLabel(const std::string& name) {
  for (const Registered& r : Registry()) {
    if (r.info.name == name) return name;
  }
  std::string base = name.substr(name.find_last_of('/') + 1);
  return base.substr(0, base.find('.'));
}

std::string SuiteVersion(const SuiteOptions& options) {
  for (const Registered& r : Registry()) {
    if (r.info.name == options.name && r.suite->version) {
      return r.suite->version(options.settings);
    }
  }
  return "";
}

absl::Status ParseShard(const std::string& text, int* index, int* count) {
  std::vector<std::string> parts = absl::StrSplit(text, '/');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], index) ||
      !absl::SimpleAtoi(parts[1], count) || *count < 1 || *index < 0 || *index >= *count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--shard must be i/n with 0 <= i < n (e.g. 0/4), got '", text, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SuiteTheorem>> SelectShard(std::vector<SuiteTheorem> all,
                                                      int index, int count) {
  if (count < 1 || index < 0 || index >= count) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad shard ", index, "/", count, ": need 0 <= i < n"));
  }
  std::vector<SuiteTheorem> out;
  for (size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i % count) == index) out.push_back(std::move(all[i]));
  }
  return out;
}

}  // namespace thor::eval
