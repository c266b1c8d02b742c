#include "eval/suite.h"

#include <sys/stat.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "eval/jsonl_suite.h"

namespace thor::eval {
namespace {

struct Registered {
  SuiteInfo info;
  SuiteLoader loader;  // Null: the loader is not linked into this build.
};

std::vector<Registered> Registry() {
  return {
      {{"minif2f-valid", "MiniF2F valid, 244 Isabelle problems (--minif2f_dir, --minif2f_version)",
        false},
       nullptr},
      {{"minif2f-test", "MiniF2F test, 244 Isabelle problems (--minif2f_dir, --minif2f_version)",
        false},
       nullptr},
      {{"pisa-test", "PISA universal test theorems, 3000 AFP lemmas (--pisa_dir, --afp_dir)",
        false},
       nullptr},
      {{"pisa-quick", "PISA quick subset, the first 600 (--pisa_dir, --afp_dir)", false},
       nullptr},
      {{"coq-stdlib", "Lemmas of Coq's standard library (needs coqtop)", false}, nullptr},
  };
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::vector<SuiteInfo> KnownSuites() {
  std::vector<SuiteInfo> out;
  for (Registered& r : Registry()) {
    r.info.available = r.loader != nullptr;
    out.push_back(r.info);
  }
  return out;
}

absl::StatusOr<std::vector<SuiteTheorem>> LoadSuite(const SuiteOptions& options) {
  absl::StatusOr<std::vector<SuiteTheorem>> loaded;
  bool found = false;
  for (const Registered& r : Registry()) {
    if (r.info.name != options.name) continue;
    found = true;
    if (!r.loader) {
      return absl::UnimplementedError(absl::StrCat(
          "suite '", options.name, "' is known but its loader is not built into this thor"));
    }
    loaded = r.loader(options);
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
