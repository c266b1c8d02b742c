// bench/eval_scale: the same simulated evaluation through 1 and then 3 real
// `thor serve` processes on loopback (the thor_sim build of `thor`: the same
// server with the simulated prover and model of tests/search, see
// tests/eval/thor_sim_main.cc), with the same client (`thor eval`'s runner,
// gRPC round robin, same concurrency, same theorems and seed). Prints the
// throughput of each and their ratio; the last line is one JSON object.
//
// The simulated work is LATENCY-bound: loading a theorem (--start_ms), model
// queries, steps and hammer calls are sleeps, and a server runs at most
// --capacity searches at once (its admission limit, standing for its prover
// pool). That is what scaling out buys on real clusters; this machine has 2
// cores, so CPU-bound searches could not scale across local processes.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eval/budget.h"
#include "eval/runner.h"
#include "eval/targets.h"
#include "tests/eval/eval_testing.h"
#include "tests/testing/paths.h"

ABSL_FLAG(int, theorems, 240, "Theorems in the simulated suite");
ABSL_FLAG(int, depth, 2, "Distance of each synthetic theorem from a proof");
ABSL_FLAG(int, start_ms, 200, "Simulated time to load a theorem (session start)");
ABSL_FLAG(int, model_ms, 20, "Mean simulated model query latency");
ABSL_FLAG(int, step_ms, 5, "Mean simulated step latency");
ABSL_FLAG(int, hammer_ms, 50, "Mean simulated hammer latency");
ABSL_FLAG(int, capacity, 2, "Searches one server runs at once (its --max_concurrent)");
ABSL_FLAG(int, concurrency, 12,
          "Client concurrency, the same in both runs (2x the slots of 3 servers, so round "
          "robin keeps every server busy)");
ABSL_FLAG(std::string, thor_sim, "", "Path of tests/eval/thor_sim (default: found)");

namespace {

struct Measured {
  double seconds = 0;
  int recorded = 0;
  int solved = 0;
};

std::string SimJson() {
  return absl::StrFormat(
      R"({"start_ms": %d, "model_ms": %d, "step_ms": %d, "hammer_ms": %d, "seed": 1})",
      absl::GetFlag(FLAGS_start_ms), absl::GetFlag(FLAGS_model_ms),
      absl::GetFlag(FLAGS_step_ms), absl::GetFlag(FLAGS_hammer_ms));
}

absl::StatusOr<Measured> RunWith(int servers) {
  const std::string dir = thor::testing::MakeTempDir();
  std::vector<thor::testing::ServeProcess> procs;
  std::vector<std::string> addresses;
  for (int i = 0; i < servers; ++i) {
    auto p = thor::testing::StartSimServe(
        {absl::StrCat("--max_concurrent=", absl::GetFlag(FLAGS_capacity)), "--max_queued=256"},
        SimJson(), absl::StrCat(dir, "/server", i, ".log"));
    if (!p.ok()) return p.status();
    addresses.push_back(absl::StrCat("127.0.0.1:", p->port));
    procs.push_back(*std::move(p));
  }
  auto target = thor::eval::ServersToTarget(addresses);
  if (!target.ok()) return target.status();
  std::vector<thor::eval::SuiteTheorem> theorems(absl::GetFlag(FLAGS_theorems));
  for (size_t i = 0; i < theorems.size(); ++i) {
    theorems[i].id = absl::StrCat("t", i);
    theorems[i].theorem.set_prover("coq");  // The simulated prover in thor_sim.
    theorems[i].theorem.set_name(theorems[i].id);
    theorems[i].theorem.set_statement(
        absl::StrCat("sim depth=", absl::GetFlag(FLAGS_depth), " id=", i));
  }
  auto config = thor::eval::ParseBudget("ci,wall_time_s=30");
  if (!config.ok()) return config.status();
  config->set_seed(1);
  const std::string out = absl::StrCat(dir, "/scale", servers, ".jsonl");
  auto writer = thor::eval::ResultWriter::Open(out, thor::eval::ConfigHash(*config));
  if (!writer.ok()) return writer.status();
  thor::eval::RunnerOptions options;
  options.target = *target;
  options.suite = "bench";
  options.config = *config;
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  auto summary = thor::eval::RunEval(options, theorems, writer->get());
  for (auto& p : procs) {
    p.process->SignalGroup(SIGTERM);
    p.process->Wait(absl::Now() + absl::Seconds(10));
  }
  if (!summary.ok()) return summary.status();
  return Measured{absl::ToDoubleSeconds(summary->elapsed), summary->recorded, summary->solved};
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return absl::StrCat(a, " ", b, " ", c);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_thor_sim).empty()) {
    ::setenv("THOR_SIM_BIN", absl::GetFlag(FLAGS_thor_sim).c_str(), 1);
  } else if (thor::testing::ThorSimBinary().empty()) {
    // Next to this binary: bench/ and tests/eval/ share a build root.
    std::string self(4096, '\0');
    ssize_t n = ::readlink("/proc/self/exe", self.data(), self.size());
    self.resize(n > 0 ? n : 0);
    std::string root = self.substr(0, self.rfind("/bench/"));
    ::setenv("THOR_SIM_BIN", (root + "/tests/eval/thor_sim").c_str(), 1);
  }
  const int n = absl::GetFlag(FLAGS_theorems);
  const std::string load_before = LoadAverage();
  auto one = RunWith(1);
  auto three = RunWith(3);
  if (!one.ok() || !three.ok()) {
    std::cerr << "eval_scale: " << (one.ok() ? three.status() : one.status()) << "\n";
    return 1;
  }
  const std::string load_after = LoadAverage();
  double tput1 = one->recorded / one->seconds, tput3 = three->recorded / three->seconds;
  double ratio = tput3 / tput1;
  std::printf("eval_scale: %d theorems (synthetic depth %d) through real `thor serve` processes "
              "(thor_sim); simulated latencies: start %d ms, model %d ms, step %d ms, hammer "
              "%d ms; capacity %d per server, client concurrency %d (latency-bound)\n",
              n, absl::GetFlag(FLAGS_depth), absl::GetFlag(FLAGS_start_ms),
              absl::GetFlag(FLAGS_model_ms), absl::GetFlag(FLAGS_step_ms),
              absl::GetFlag(FLAGS_hammer_ms), absl::GetFlag(FLAGS_capacity),
              absl::GetFlag(FLAGS_concurrency));
  std::printf("  load average before %s, after %s (2-core machine)\n", load_before.c_str(),
              load_after.c_str());
  std::printf("  1 server : %6.2f s  %7.2f theorems/s  (%d recorded, %d solved)\n", one->seconds,
              tput1, one->recorded, one->solved);
  std::printf("  3 servers: %6.2f s  %7.2f theorems/s  (%d recorded, %d solved)\n",
              three->seconds, tput3, three->recorded, three->solved);
  std::printf("  ratio 3/1: %.2fx (target >= 2.5x)\n", ratio);
  std::printf(
      "%s\n",
      absl::StrFormat(
          R"({"bench":"eval_scale","servers":"thor_sim serve","theorems":%d,"depth":%d,"start_ms":%d,"model_ms":%d,"step_ms":%d,"hammer_ms":%d,"capacity_per_server":%d,"concurrency":%d,"one_server_s":%.3f,"three_servers_s":%.3f,"one_server_per_s":%.2f,"three_servers_per_s":%.2f,"solved_one":%d,"solved_three":%d,"ratio":%.3f,"target":2.5,"pass":%s,"loadavg_before":"%s","loadavg_after":"%s"})",
          n, absl::GetFlag(FLAGS_depth), absl::GetFlag(FLAGS_start_ms),
          absl::GetFlag(FLAGS_model_ms), absl::GetFlag(FLAGS_step_ms),
          absl::GetFlag(FLAGS_hammer_ms), absl::GetFlag(FLAGS_capacity),
          absl::GetFlag(FLAGS_concurrency), one->seconds, three->seconds, tput1, tput3,
          one->solved, three->solved, ratio, ratio >= 2.5 ? "true" : "false", load_before,
          load_after)
          .c_str());
  return one->recorded == n && three->recorded == n ? 0 : 1;
}
