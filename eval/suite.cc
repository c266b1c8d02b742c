#include "eval/suite.h"

#include <sys/stat.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "coq_bridge/stdlib_suite.h"
#include "eval/jsonl_suite.h"
#include "isabelle_bridge/suites.h"
#include "search/types.h"

namespace thor::eval {
namespace {

struct Registered {
  SuiteInfo info;
  SuiteLoader loader;  // Null: the loader is not linked into this build.
};

SuiteTheorem FromDomain(const Theorem& t) {
  SuiteTheorem out;
  out.id = t.name;
  v1::Theorem& p = out.theorem;
  p.set_prover(t.prover);
  p.set_name(t.name);
  p.set_context(t.context);
  p.set_statement(t.statement);
  p.set_file_path(t.file_path);
  for (const std::string& i : t.imports) p.add_imports(i);
  p.set_session(t.session);
  p.set_working_directory(t.working_directory);
  return out;
}

absl::StatusOr<std::vector<SuiteTheorem>> FromDomain(
    absl::StatusOr<std::vector<Theorem>> loaded) {
  if (!loaded.ok()) return loaded.status();
  std::vector<SuiteTheorem> out;
  for (const Theorem& t : *loaded) out.push_back(FromDomain(t));
  return out;
}

SuiteLoader MiniF2F(const std::string& split) {
  return [split](const SuiteOptions& o) -> absl::StatusOr<std::vector<SuiteTheorem>> {
    if (o.minif2f_version != "openai" && o.minif2f_version != "facebook") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--minif2f_version must be openai or facebook, got '", o.minif2f_version, "'"));
    }
    if (o.minif2f_dir.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--minif2f_dir is required: the folder holding valid/ and test/ of the ",
          o.minif2f_version, " MiniF2F Isabelle copy"));
    }
    return FromDomain(isabelle::LoadMiniF2F(o.minif2f_dir, split));
  };
}

SuiteLoader Pisa(const std::string& prefix) {
  return [prefix](const SuiteOptions& o) -> absl::StatusOr<std::vector<SuiteTheorem>> {
    if (o.pisa_dir.empty()) {
      return absl::InvalidArgumentError(
          "--pisa_dir is required: the folder holding universal_test_theorems/");
    }
    std::string dir = o.pisa_dir + "/universal_test_theorems";
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) dir = o.pisa_dir;
    return FromDomain(isabelle::LoadPisaTestList(dir, prefix, o.afp_dir));
  };
}

SuiteLoader CoqStdlib(bool ci_sample) {
  return [ci_sample](const SuiteOptions&) -> absl::StatusOr<std::vector<SuiteTheorem>> {
    coq::StdlibSuiteOptions options;
    options.ci_sample = ci_sample;
    return FromDomain(coq::StdlibSuite(options));
  };
}

std::vector<Registered> Registry() {
  return {
      {{"minif2f-valid", "MiniF2F valid, 244 Isabelle problems (--minif2f_dir, --minif2f_version)",
        true},
       MiniF2F("valid")},
      {{"minif2f-test", "MiniF2F test, 244 Isabelle problems (--minif2f_dir, --minif2f_version)",
        true},
       MiniF2F("test")},
      {{"pisa-test", "PISA universal test theorems, 3000 AFP lemmas (--pisa_dir, --afp_dir)",
        true},
       Pisa("test_name")},
      {{"pisa-quick", "PISA quick subset, the first 600 (--pisa_dir, --afp_dir)", true},
       Pisa("quick_test_name")},
      {{"coq-stdlib", "669 lemmas of Coq's standard library: List, Arith, Bool (needs coqc)",
        true},
       CoqStdlib(false)},
      {{"coq-stdlib-ci", "The fixed small CI sample of coq-stdlib", true}, CoqStdlib(true)},
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

std::string SuiteVersion(const SuiteOptions& options) {
  if (options.name == "minif2f-valid" || options.name == "minif2f-test") {
    return "minif2f-" + options.minif2f_version;
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
