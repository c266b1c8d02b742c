#include "coq_bridge/coq_module.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/sandbox.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_config.h"
#include "coq_bridge/coq_extract.h"
#include "coq_bridge/coq_heuristics.h"
#include "coq_bridge/coq_text.h"
#include "coq_bridge/hammer_atp.h"
#include "coq_bridge/stdlib_suite.h"

// `thor extract --prover=coq` (coq_extract.h).
ABSL_FLAG(std::string, coq_project, "",
          "thor extract: a _CoqProject file; its -Q/-R/-I/-arg go to every coqtop.");
ABSL_FLAG(double, coq_file_timeout, 1800,
          "thor extract: seconds one .v file may take; coqtop is killed then (error record).");
ABSL_FLAG(bool, coq_constants, true,
          "thor extract: look up the constants of steps and theorems (Locate, Print).");

namespace thor::coq {

absl::StatusOr<std::shared_ptr<ProverBackend>> MakeCoqBackendFromJson(
    const std::string& options_json, const std::string& prefix, const BackendContext& context) {
  CoqConfig coq;
  coq.hammer_mode = HammerMode::kExternal;
  {
    nlohmann::json j =
        nlohmann::json::parse(options_json.empty() ? "{}" : options_json, nullptr, false);
    for (auto o = j.begin(); j.is_object() && o != j.end(); ++o) {
      const std::string where = absl::StrCat(prefix, ".", o.key());
      const nlohmann::json& v = o.value();
      if (o.key() == "enabled") continue;
      if (o.key() == "warm_hammer" || o.key() == "light_start" || o.key() == "reuse_context") {
        if (!v.is_boolean()) return absl::InvalidArgumentError(where + ": must be true or false");
        (o.key() == "warm_hammer"   ? coq.warm_hammer
         : o.key() == "light_start" ? coq.light_start
                                    : coq.reuse_context) = v.get<bool>();
        continue;
      }
      if ((o.key() == "coqtop" || o.key() == "coqc" || o.key() == "coqchk" || o.key() == "sandbox" ||
           o.key() == "hammer") && !v.is_string()) {
        return absl::InvalidArgumentError(where + ": must be a string");
      }
      if ((o.key() == "max_idle_processes" || o.key() == "default_timeout_s" ||
           o.key() == "native_gs_mode" || o.key() == "spare_processes") &&
          (!v.is_number_integer() || v.get<int>() < 0)) {
        return absl::InvalidArgumentError(where + ": must be an integer >= 0");
      }
      if (o.key() == "coqtop") {
        coq.coqtop = v.get<std::string>();
      } else if (o.key() == "coqc") {
        coq.coqc = v.get<std::string>();
      } else if (o.key() == "coqchk") {
        coq.coqchk = v.get<std::string>();
      } else if (o.key() == "sandbox") {
        absl::StatusOr<SandboxMode> mode = ParseSandboxMode(v.get<std::string>());
        if (!mode.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", mode.status().message()));
        coq.sandbox = *mode;
      } else if (o.key() == "hammer") {
        absl::StatusOr<HammerMode> mode = ParseHammerMode(v.get<std::string>());
        if (!mode.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", mode.status().message()));
        coq.hammer_mode = *mode;
      } else if (o.key() == "max_idle_processes") {
        coq.max_idle_processes = v.get<int>();
      } else if (o.key() == "spare_processes") {
        coq.spare_processes = v.get<int>();
      } else if (o.key() == "default_timeout_s") {
        coq.coq_default_timeout_seconds = v.get<int>();
      } else if (o.key() == "native_gs_mode") {
        coq.native_gs_mode = v.get<int>();
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": unknown key (known: coqtop, coqc, coqchk, sandbox, hammer, warm_hammer, "
                   "light_start, reuse_context, max_idle_processes, spare_processes, "
                   "default_timeout_s, native_gs_mode)"));
      }
    }
  }
  // The external hammer (and "both") needs Thor's ATP portfolio.
  AtpRunner atp = coq.hammer_mode == HammerMode::kNative
                      ? nullptr
                      : MakeHammerAtpRunner(hammer::HammerOptions(), context.hammer);
  return std::shared_ptr<ProverBackend>(std::make_shared<CoqBackend>(coq, std::move(atp)));
}

namespace {

ProverSuite StdlibSuiteEntry(std::string name, std::string description, bool ci_sample,
                             StdlibSelection selection) {
  ProverSuite suite;
  suite.name = std::move(name);
  suite.description = std::move(description);
  suite.load = [ci_sample, selection](const SuiteSettings&) {
    StdlibSuiteOptions options;
    options.ci_sample = ci_sample;
    options.selection = selection;
    return StdlibSuite(options);
  };
  return suite;
}

ProverExtractor Extractor() {
  ProverExtractor e;
  e.extension = ".v";
  e.flags = {"coq_project", "coq_file_timeout", "coq_constants"};
  e.make = [](const SuiteSettings& settings) -> absl::StatusOr<extract::FileTracer> {
    auto value = [&](const char* name) {
      auto it = settings.find(name);
      return it == settings.end() ? std::string() : it->second;
    };
    CoqExtractOptions options;
    if (!value("coq_project").empty()) {
      absl::StatusOr<std::vector<std::string>> args = CoqProjectArgs(value("coq_project"));
      if (!args.ok()) return args.status();
      options.coqtop_args = *args;
    }
    double timeout = 1800;
    if (!value("coq_file_timeout").empty() &&
        (!absl::SimpleAtod(value("coq_file_timeout"), &timeout) || timeout <= 0)) {
      return absl::InvalidArgumentError("--coq_file_timeout must be a number of seconds > 0");
    }
    options.file_timeout = absl::Seconds(timeout);
    options.constants = value("coq_constants") != "false";
    return extract::FileTracer(
        [options](const std::string& path) { return TraceCoqFile(path, options); });
  };
  return e;
}

}  // namespace

ProverModule CoqModule() {
  ProverModule m;
  m.name = "coq";
  m.make_backend = MakeCoqBackendFromJson;
  m.heuristics = std::make_shared<CoqHeuristics>();
  // A .v file is read where the user is: its text before the statement
  // becomes the context, so servers never open client paths for Coq.
  m.context_from_file = ResolveContext;
  m.suites = {
      StdlibSuiteEntry("coq-stdlib",
                       "3270 lemmas of 13 folders of Coq's standard library, Lists to Strings "
                       "(needs coqc)",
                       false, StdlibSelection::kWide),
      StdlibSuiteEntry("coq-stdlib-heldout",
                       "The held-out files of coq-stdlib (Sorting/ and five of Lists/, Arith/): "
                       "never trained or tuned on",
                       false, StdlibSelection::kHeldOut),
      StdlibSuiteEntry("coq-stdlib-classic",
                       "669 lemmas of Coq's standard library: List, Arith, Bool (the earlier "
                       "coq-stdlib)",
                       false, StdlibSelection::kClassic),
      StdlibSuiteEntry("coq-stdlib-ci", "The fixed small CI sample of coq-stdlib", true,
                       StdlibSelection::kClassic),
  };
  // Coq, and the ATPs of the external hammer's schedule (hammer_atp.cc).
  m.version_commands = {{"coqtop", "-v"}, {"cvc5", "--version"}, {"cvc4", "--version"},
                        {"eprover", "--version"}};
  m.extractor = Extractor();
  return m;
}

}  // namespace thor::coq
