// bench/warm_start: how soon a Coq search shows something, against a real
// `thor serve` on loopback with real coqtop and CoqHammer.
//
// First, where a cold start's time goes, phase by phase, on raw coqtop
// processes (coq_bridge's Coqtop): the start, CoqHammer's import, its
// warm-up (feature extraction and prover detection), the theorem's load and
// the first step, for a hammer-ready process and for a light one.
// Then one Prove per mode, each on a fresh server, side by side:
//   old:  light_start off, no warm process (the behaviour before issue 14:
//         the first session waits for CoqHammer's warm-up);
//   cold: no warm process (the first session starts on a light coqtop while
//         a hammer-ready one warms up in the background);
//   warm: --warm_processes=1, measured once the pool is filled.
// For each: client-observed time to the first event, to `started`, to the
// first step result, to "hammer_ready", to the first hammer result and to
// the end. Prints a table and ends with ONE JSON line holding every figure.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "coq_bridge/coqtop.h"
#include "tests/testing/paths.h"
#include "tests/testing/serve_process.h"

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif

ABSL_FLAG(std::string, thor, "", "The thor binary (default: the one built with this bench).");
ABSL_FLAG(double, hammer_timeout_s, 300,
          "Hammer limit of the searches: the first call may wait for CoqHammer's warm-up.");
ABSL_FLAG(bool, phases, true, "Time the phases of a cold start on raw coqtop first.");
ABSL_FLAG(std::string, modes, "old,cold,warm", "Which server modes to run, in order.");

namespace thor {
namespace {

using testing::ProveTimeline;

constexpr char kStatement[] = "forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)";

// Seconds taken by `text` in `coq` (-1 if it failed to run).
double Timed(coq::Coqtop& coq, const std::string& text) {
  const absl::Time t0 = absl::Now();
  absl::StatusOr<coq::CoqReply> r = coq.Run(text, absl::Now() + absl::Seconds(600));
  if (!r.ok() || r->Failed()) {
    std::fprintf(stderr, "phase '%s' failed: %s\n", text.c_str(),
                 r.ok() ? r->ErrorText().c_str() : r.status().ToString().c_str());
    return -1;
  }
  return absl::ToDoubleSeconds(absl::Now() - t0);
}

// The phases of a cold start, as CoqBackend runs them (coq_backend.cc's
// warm-up, coq_session.cc's theorem load), one process of each kind.
std::vector<std::pair<std::string, double>> ColdStartPhases() {
  std::vector<std::pair<std::string, double>> out;
  coq::CoqtopOptions options;
  const std::string load = absl::StrCat(
      "Require Import List.\nFrom Hammer Require Import Hammer.\nSet Default Timeout 10.\n"
      "Lemma t : ", kStatement, ".");
  for (const char* kind : {"warm", "light"}) {
    const bool warm = std::string(kind) == "warm";
    absl::Time t0 = absl::Now();
    auto coq = coq::Coqtop::Start(options, absl::Now() + absl::Seconds(120));
    if (!coq.ok()) {
      std::fprintf(stderr, "coqtop: %s\n", coq.status().ToString().c_str());
      return out;
    }
    out.push_back({absl::StrCat(kind, ".coqtop_start"), absl::ToDoubleSeconds(absl::Now() - t0)});
    if (warm) {
      out.push_back({"warm.hammer_import", Timed(**coq, "From Hammer Require Import Hammer.")});
      (void)Timed(**coq, "Goal forall n : nat, n = n.");
      out.push_back({"warm.feature_extraction", Timed(**coq, "predict 16.")});
      out.push_back({"warm.prover_detection",
                     Timed(**coq, "Set Hammer SAutoLimit 0.\nSet Hammer ATPLimit 1.\ntry hammer.")});
      (*coq)->KillStrayChildren();
      const absl::Time undo = absl::Now();
      (void)Timed(**coq, "Abort.");
      // BackTo lowers the state number, which Run reads as a failure.
      (void)(*coq)->RunUninterruptible(absl::StrCat("BackTo ", (*coq)->base_state(), "."),
                                       absl::Now() + absl::Seconds(60));
      out.push_back({"warm.undo", absl::ToDoubleSeconds(absl::Now() - undo)});
    }
    out.push_back({absl::StrCat(kind, ".theorem_load"), Timed(**coq, load)});
    out.push_back({absl::StrCat(kind, ".first_step"), Timed(**coq, "intros l1 l2.")});
    out.push_back({absl::StrCat(kind, ".to_first_step"), absl::ToDoubleSeconds(absl::Now() - t0)});
  }
  return out;
}

absl::StatusOr<ProveTimeline> RunMode(const std::string& thor, const std::string& mode) {
  const std::string dir = testing::MakeTempDir();
  nlohmann::json config = {
      {"policies", {{"intros_then_hammer", {{"kind", "heuristic"},
                                            {"heuristic_steps", {"intros."}}}}}}};
  if (mode == "old") config["provers"] = {{"coq", {{"light_start", false}}}};
  std::ofstream(dir + "/config.json") << config.dump();
  absl::StatusOr<testing::ServeProcess> serve = testing::StartServe(
      thor, {"--config=" + dir + "/config.json",
             absl::StrCat("--warm_processes=", mode == "warm" ? 1 : 0)});
  if (!serve.ok()) return serve.status();
  if (mode == "warm" && !testing::WaitUntilIdle(serve->process->pid(), 1, absl::Seconds(3),
                                                absl::Seconds(600))) {
    return absl::DeadlineExceededError("the warm coqtop did not warm up within 600 s");
  }
  v1::ProveRequest req;
  v1::Theorem* t = req.mutable_theorem();
  t->set_prover("coq");
  t->set_name("app_length_comm");
  t->set_statement(kStatement);
  t->add_imports("List");
  v1::SearchConfig* c = req.mutable_config();
  c->set_policy("intros_then_hammer");
  c->set_wall_time_s(absl::GetFlag(FLAGS_hammer_timeout_s) + 120);
  c->set_hammer_timeout_s(absl::GetFlag(FLAGS_hammer_timeout_s));
  ProveTimeline timeline = testing::TimedProve(
      *serve->stub, req, absl::Seconds(absl::GetFlag(FLAGS_hammer_timeout_s) + 300));
  serve->process->SignalGroup(SIGTERM);
  serve->process->Wait(absl::Now() + absl::Seconds(30));
  if (!timeline.status.ok()) {
    return absl::InternalError(absl::StrCat(mode, ": Prove failed: ",
                                            timeline.status.error_message()));
  }
  return timeline;
}

std::string Cell(double s) { return s < 0 ? "-" : absl::StrFormat("%.2f", s); }

int Main() {
  std::string thor = absl::GetFlag(FLAGS_thor);
  if (thor.empty()) thor = testing::TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT);
  if (thor.empty()) {
    std::fprintf(stderr, "warm_start: no thor binary (--thor or $THOR_BIN)\n");
    return 2;
  }
  nlohmann::json figures;
  if (absl::GetFlag(FLAGS_phases)) {
    std::printf("Cold start phases on raw coqtop (seconds):\n");
    for (const auto& [name, s] : ColdStartPhases()) {
      std::printf("  %-28s %8.2f\n", name.c_str(), s);
      figures["phases"][name] = s;
    }
  }
  std::printf("\nProve of %s (imports List; policy: intros., then the hammer),\n"
              "seconds from the call as the client saw them:\n", kStatement);
  std::printf("%-5s %12s %9s %11s %13s %12s %9s  %s\n", "mode", "first_event", "started",
              "first_step", "hammer_ready", "first_hammer", "finished", "status");
  std::map<std::string, ProveTimeline> by_mode;
  for (const std::string& mode :
       std::vector<std::string>(absl::StrSplit(absl::GetFlag(FLAGS_modes), ','))) {
    absl::StatusOr<ProveTimeline> t = RunMode(thor, mode);
    if (!t.ok()) {
      std::fprintf(stderr, "warm_start: %s\n", t.status().ToString().c_str());
      return 1;
    }
    std::printf("%-5s %12s %9s %11s %13s %12s %9s  %s\n", mode.c_str(),
                Cell(t->first_event_s).c_str(), Cell(t->started_s).c_str(),
                Cell(t->first_step_s).c_str(), Cell(t->hammer_ready_s).c_str(),
                Cell(t->first_hammer_s).c_str(), Cell(t->finished_s).c_str(),
                v1::SearchStatus_Name(t->result.status()).c_str());
    std::fflush(stdout);
    figures[mode] = {{"first_event_s", t->first_event_s}, {"started_s", t->started_s},
                     {"first_step_s", t->first_step_s}, {"hammer_ready_s", t->hammer_ready_s},
                     {"first_hammer_s", t->first_hammer_s}, {"finished_s", t->finished_s},
                     {"status", v1::SearchStatus_Name(t->result.status())}};
    by_mode[mode] = *std::move(t);
  }
  if (by_mode.count("old") && by_mode.count("cold") && by_mode["cold"].first_step_s > 0) {
    const double ratio = by_mode["old"].first_step_s / by_mode["cold"].first_step_s;
    std::printf("\nfirst step result, old / cold: %.1fx sooner\n", ratio);
    figures["first_step_old_over_cold"] = ratio;
  }
  std::printf("targets: first event < 0.5 s, first cheap step < 3 s cold\n");
  std::printf("%s\n", figures.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace thor

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thor::Main();
}
