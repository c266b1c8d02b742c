// What the Isabelle bridge adds on top of PISA's own round trips, measured
// side by side against an in-process fake PISA server (so the numbers are
// the bridge's cost, not Isabelle's):
//   raw      PisaClient::Apply + IsFinished (what PISA's Python client does)
//   session  IsabelleSession::Apply (filter, typed outcome, state bookkeeping)
//   replay   Apply from a depth-D state made by another session (replayed)
//   hammer   IsabelleSession::Hammer (native keyword) vs raw hammer Apply
// Prints a table and ends with one JSON line holding every figure.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "isabelle_bridge/backend.h"
#include "isabelle_bridge/pisa_client.h"
#include "tests/isabelle_bridge/fake_pisa_service.h"

ABSL_FLAG(int, iterations, 2000, "Steps per measurement.");
ABSL_FLAG(int, depth, 8, "Depth of the state replayed in the replay measurement.");

namespace {
using namespace thor;
using namespace thor::isabelle;

constexpr char kGoal[] = "proof (prove)\ngoal (1 subgoal):\n 1. P 0";

std::string Goal(int i) { return "proof (prove)\ngoal (1 subgoal):\n 1. P " + std::to_string(i); }

// A chain P 0 -> P 1 -> ... by "apply step", closable by "by done" anywhere.
fake::FakeWorld ChainWorld(int depth) {
  fake::FakeWorld world;
  fake::FakeTheorem th;
  th.match = "lemma bench";
  th.initial = kGoal;
  for (int i = 0; i < depth + 2; ++i) {
    th.transitions.push_back({Goal(i), "apply step", {fake::Outcome::Kind::kState, Goal(i + 1)}});
    th.states[Goal(i)].hammer = "by done";
  }
  th.transitions.push_back({"*", "by done", {fake::Outcome::Kind::kState, ""}});
  th.transitions.push_back({"*", "by nothing", {fake::Outcome::Kind::kError, "Failed"}});
  world.theorems.push_back(th);
  return world;
}

double Micros(absl::Duration d, int n) { return absl::ToDoubleMicroseconds(d) / n; }

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int n = absl::GetFlag(FLAGS_iterations);
  const int depth = absl::GetFlag(FLAGS_depth);
  auto pisa = fake::StartFakePisa(ChainWorld(depth));
  if (!pisa.ok()) {
    std::fprintf(stderr, "%s\n", std::string(pisa.status().message()).c_str());
    return 1;
  }
  IsabelleConfig config;
  config.pool.addresses = {pisa->address()};
  config.staging_dir = std::filesystem::temp_directory_path().string() + "/thor-isa-bench";
  auto backend = IsabelleBackend::Create(config);
  if (!backend.ok()) {
    std::fprintf(stderr, "%s\n", std::string(backend.status().message()).c_str());
    return 1;
  }
  Theorem t;
  t.prover = "isabelle";
  t.name = "bench";
  t.statement = "lemma bench: \"P 0\"";
  auto session = *(*backend)->NewSession();
  ProofState init = *session->Start(t, absl::Seconds(10));

  // Raw client on the same server: the session's states live there too.
  PisaClient raw(pisa->address());
  absl::Time t0 = absl::Now();
  for (int i = 0; i < n; ++i) {
    std::string name = "raw" + std::to_string(i);
    auto r = raw.Apply("default", "apply step", name, false, absl::Now() + absl::Seconds(5));
    (void)raw.IsFinished(name, absl::Now() + absl::Seconds(5));
    (void)r;
  }
  absl::Duration raw_time = absl::Now() - t0;

  t0 = absl::Now();
  for (int i = 0; i < n; ++i) (void)session->Apply(init, "apply step", absl::Seconds(5));
  absl::Duration session_time = absl::Now() - t0;

  // A depth-D state from another session: the first use replays D steps,
  // later uses hit the cache.
  ProofState deep{"elsewhere", {}, ""};
  for (int i = 0; i < depth; ++i) deep.steps.push_back("apply step");
  t0 = absl::Now();
  StepResult first = session->Apply(deep, "by done", absl::Seconds(5));
  absl::Duration replay_first = absl::Now() - t0;
  t0 = absl::Now();
  for (int i = 0; i < n; ++i) (void)session->Apply(deep, "by done", absl::Seconds(5));
  absl::Duration replay_cached = absl::Now() - t0;

  const int hn = std::max(1, n / 4);
  t0 = absl::Now();
  for (int i = 0; i < hn; ++i) {
    (void)raw.Apply("default", "normalhammer", "rh" + std::to_string(i), true,
                    absl::Now() + absl::Seconds(5));
  }
  absl::Duration raw_hammer = absl::Now() - t0;
  t0 = absl::Now();
  for (int i = 0; i < hn; ++i) (void)session->Hammer(init, absl::Seconds(5));
  absl::Duration session_hammer = absl::Now() - t0;

  nlohmann::json j = {
      {"iterations", n},
      {"depth", depth},
      {"raw_apply_us", Micros(raw_time, n)},
      {"session_apply_us", Micros(session_time, n)},
      {"session_vs_raw", absl::FDivDuration(session_time, raw_time)},
      {"replay_first_us", Micros(replay_first, 1)},
      {"replay_cached_us", Micros(replay_cached, n)},
      {"replay_first_vs_cached", absl::ToDoubleMicroseconds(replay_first) / Micros(replay_cached, n)},
      {"replay_ok", first.kind == StepKind::kProofFinished},
      {"raw_hammer_us", Micros(raw_hammer, hn)},
      {"session_hammer_us", Micros(session_hammer, hn)},
      {"hammer_session_vs_raw", absl::FDivDuration(session_hammer, raw_hammer)},
  };
  std::printf("%-28s %12s\n", "measurement", "us/op");
  for (const char* k : {"raw_apply_us", "session_apply_us", "replay_first_us", "replay_cached_us",
                        "raw_hammer_us", "session_hammer_us"}) {
    std::printf("%-28s %12.1f\n", k, j[k].get<double>());
  }
  std::printf("session/raw apply ratio      %12.2f\n", j["session_vs_raw"].get<double>());
  std::printf("session/raw hammer ratio     %12.2f\n", j["hammer_session_vs_raw"].get<double>());
  std::printf("%s\n", j.dump().c_str());
  return 0;
}
