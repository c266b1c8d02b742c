#include "isabelle_bridge/isabelle_module.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "isabelle_bridge/backend.h"
#include "isabelle_bridge/isabelle_heuristics.h"
#include "isabelle_bridge/suites.h"

// Defined here, with the module function provers.cc calls, so that every
// binary that lists the module has them; read by name (ProverServerFlag,
// ProverSuite::flags).
ABSL_FLAG(std::string, pisa, "", "host:port of a PISA server for the isabelle prover.");
ABSL_FLAG(std::string, minif2f_dir, "", "MiniF2F Isabelle folder holding valid/ and test/");
ABSL_FLAG(std::string, minif2f_version, "openai",
          "MiniF2F copy: openai (the one Thor used) or facebook");
ABSL_FLAG(std::string, pisa_dir, "", "PISA folder holding universal_test_theorems/");
ABSL_FLAG(std::string, afp_dir, "", "Local AFP checkout; PISA's theory paths are rewritten to it");

namespace thor::isabelle {

const char kIsabelleHowToEnable[] =
    "it needs PISA servers: start thor with --pisa HOST:PORT, or configure "
    "provers.isabelle in the --config file (pisa, pisa-jar, isabelle-home, ...)";

absl::StatusOr<std::shared_ptr<ProverBackend>> MakeIsabelleBackendForServer(
    const std::string& options_json, const std::string& prefix, const BackendContext& context) {
  nlohmann::json options = nlohmann::json::parse(options_json, nullptr, false);
  if (options.is_object()) options.erase("enabled");  // The server's key, not the bridge's.
  auto backend = MakeIsabelleBackendFromJson(options.dump(), context.hammer);
  if (!backend.ok()) {
    return absl::Status(backend.status().code(),
                        absl::StrCat(prefix, ": ", backend.status().message()));
  }
  return std::shared_ptr<ProverBackend>(std::move(*backend));
}

namespace {

std::string Setting(const SuiteSettings& settings, const std::string& flag) {
  auto it = settings.find(flag);
  return it == settings.end() ? "" : it->second;
}

ProverSuite MiniF2F(const std::string& split, std::optional<double> thor,
                    std::optional<double> sledgehammer) {
  ProverSuite suite;
  suite.name = "minif2f-" + split;
  suite.description =
      absl::StrCat("MiniF2F ", split, ", 244 Isabelle problems (--minif2f_dir, --minif2f_version)");
  suite.flags = {"minif2f_dir", "minif2f_version"};
  suite.load = [split](const SuiteSettings& s) -> absl::StatusOr<std::vector<Theorem>> {
    const std::string version = Setting(s, "minif2f_version");
    if (version != "openai" && version != "facebook") {
      return absl::InvalidArgumentError(
          absl::StrCat("--minif2f_version must be openai or facebook, got '", version, "'"));
    }
    const std::string dir = Setting(s, "minif2f_dir");
    if (dir.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--minif2f_dir is required: the folder holding valid/ and test/ of the ",
                       version, " MiniF2F Isabelle copy"));
    }
    return LoadMiniF2F(dir, split);
  };
  // The two copies differ in some statements: results of one never count
  // for the other.
  suite.version = [](const SuiteSettings& s) {
    return "minif2f-" + Setting(s, "minif2f_version");
  };
  suite.paper_thor = thor;
  suite.paper_hammer = sledgehammer;
  return suite;
}

ProverSuite Pisa(std::string name, std::string description, const std::string& prefix) {
  ProverSuite suite;
  suite.name = std::move(name);
  suite.description = std::move(description);
  suite.flags = {"pisa_dir", "afp_dir"};
  suite.load = [prefix](const SuiteSettings& s) -> absl::StatusOr<std::vector<Theorem>> {
    const std::string pisa_dir = Setting(s, "pisa_dir");
    if (pisa_dir.empty()) {
      return absl::InvalidArgumentError(
          "--pisa_dir is required: the folder holding universal_test_theorems/");
    }
    std::string dir = pisa_dir + "/universal_test_theorems";
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) dir = pisa_dir;
    return LoadPisaTestList(dir, prefix, Setting(s, "afp_dir"));
  };
  suite.paper_thor = 57.0;
  return suite;
}

}  // namespace

ProverModule IsabelleModule() {
  ProverModule m;
  m.name = "isabelle";
  m.make_backend = MakeIsabelleBackendForServer;
  m.how_to_enable = kIsabelleHowToEnable;
  m.heuristics = std::make_shared<IsabelleHeuristics>();
  m.server_flags = {{"pisa", "pisa"}};
  // The Thor paper's figures (Jiang et al. 2022) and Sledgehammer's alone.
  m.suites = {
      MiniF2F("valid", 28.3, 9.9),
      MiniF2F("test", 29.9, 10.4),
      Pisa("pisa-test", "PISA universal test theorems, 3000 AFP lemmas (--pisa_dir, --afp_dir)",
           "test_name"),
      Pisa("pisa-quick", "PISA quick subset, the first 600 (--pisa_dir, --afp_dir)",
           "quick_test_name"),
  };
  return m;
}

}  // namespace thor::isabelle
