// bench/eval_scale: the same simulated evaluation through 1 and then 3 local
// ProofSearch server processes (tests/eval/fake_server), with the same client
// (`thor eval`'s runner, round robin, same concurrency). Prints the
// throughput of each and their ratio; the last line is one JSON object.
//
// The simulated work is LATENCY-bound: each search sleeps --latency_ms and a
// server runs at most --capacity searches at once (its prover pool). That is
// what scaling out buys on real clusters; this machine has 2 cores, so a
// CPU-bound simulated search could not scale across local processes.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eval/runner.h"
#include "eval/targets.h"
#include "tests/eval/eval_testing.h"
#include "tests/testing/paths.h"

ABSL_FLAG(int, theorems, 120, "Theorems in the simulated suite");
ABSL_FLAG(int, latency_ms, 100, "Simulated time of one search");
ABSL_FLAG(int, capacity, 2, "Searches one server runs at once (its prover pool)");
ABSL_FLAG(int, concurrency, 8, "Client concurrency, the same in both runs");
ABSL_FLAG(std::string, fake_server, "", "Path of tests/eval/fake_server (default: found)");

namespace {

struct Measured {
  double seconds = 0;
  int recorded = 0;
};

absl::StatusOr<Measured> RunWith(int servers) {
  std::vector<thor::testing::FakeServerProcess> procs;
  std::vector<std::string> addresses;
  for (int i = 0; i < servers; ++i) {
    auto p = thor::testing::StartFakeServer(
        {absl::StrCat("--name=s", i), absl::StrCat("--latency_ms=", absl::GetFlag(FLAGS_latency_ms)),
         absl::StrCat("--capacity=", absl::GetFlag(FLAGS_capacity))});
    if (!p.ok()) return p.status();
    addresses.push_back(absl::StrCat("127.0.0.1:", p->port));
    procs.push_back(*std::move(p));
  }
  auto target = thor::eval::ServersToTarget(addresses);
  if (!target.ok()) return target.status();
  std::vector<thor::eval::SuiteTheorem> theorems(absl::GetFlag(FLAGS_theorems));
  for (size_t i = 0; i < theorems.size(); ++i) {
    theorems[i].id = absl::StrCat("t", i);
    theorems[i].theorem.set_prover("coq");
    theorems[i].theorem.set_name(theorems[i].id);
    theorems[i].theorem.set_statement(absl::StrCat("Lemma t", i, " : True."));
  }
  const std::string out = thor::testing::MakeTempDir() + absl::StrCat("/scale", servers, ".jsonl");
  auto writer = thor::eval::ResultWriter::Open(out, "bench");
  if (!writer.ok()) return writer.status();
  thor::eval::RunnerOptions options;
  options.target = *target;
  options.suite = "bench";
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  auto summary = thor::eval::RunEval(options, theorems, writer->get());
  for (auto& p : procs) {
    p.process->Kill();
    p.process->Wait(absl::Now() + absl::Seconds(5));
  }
  ::unlink(out.c_str());
  if (!summary.ok()) return summary.status();
  return Measured{absl::ToDoubleSeconds(summary->elapsed), summary->recorded};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_fake_server).empty()) {
    ::setenv("THOR_FAKE_SERVER", absl::GetFlag(FLAGS_fake_server).c_str(), 1);
  } else if (thor::testing::FakeServerBinary().empty()) {
    // Next to this binary: bench/ and tests/eval/ share a build root.
    std::string self(4096, '\0');
    ssize_t n = ::readlink("/proc/self/exe", self.data(), self.size());
    self.resize(n > 0 ? n : 0);
    std::string root = self.substr(0, self.rfind("/bench/"));
    ::setenv("THOR_FAKE_SERVER", (root + "/tests/eval/fake_server").c_str(), 1);
  }
  const int n = absl::GetFlag(FLAGS_theorems);
  auto one = RunWith(1);
  auto three = RunWith(3);
  if (!one.ok() || !three.ok()) {
    std::cerr << "eval_scale: " << (one.ok() ? three.status() : one.status()) << "\n";
    return 1;
  }
  double tput1 = one->recorded / one->seconds, tput3 = three->recorded / three->seconds;
  double ratio = tput3 / tput1;
  std::printf("eval_scale: %d theorems, %d ms simulated latency, capacity %d per server, "
              "client concurrency %d (latency-bound; 2-core machine)\n",
              n, absl::GetFlag(FLAGS_latency_ms), absl::GetFlag(FLAGS_capacity),
              absl::GetFlag(FLAGS_concurrency));
  std::printf("  1 server : %6.2f s  %7.1f theorems/s  (%d recorded)\n", one->seconds, tput1,
              one->recorded);
  std::printf("  3 servers: %6.2f s  %7.1f theorems/s  (%d recorded)\n", three->seconds, tput3,
              three->recorded);
  std::printf("  ratio 3/1: %.2fx (target >= 2.5x)\n", ratio);
  std::printf("%s\n",
              absl::StrFormat(
                  R"({"bench":"eval_scale","theorems":%d,"latency_ms":%d,"capacity_per_server":%d,"concurrency":%d,"one_server_s":%.3f,"three_servers_s":%.3f,"one_server_per_s":%.2f,"three_servers_per_s":%.2f,"ratio":%.3f,"target":2.5,"pass":%s})",
                  n, absl::GetFlag(FLAGS_latency_ms), absl::GetFlag(FLAGS_capacity),
                  absl::GetFlag(FLAGS_concurrency), one->seconds, three->seconds, tput1, tput3,
                  ratio, ratio >= 2.5 ? "true" : "false")
                  .c_str());
  return one->recorded == n && three->recorded == n ? 0 : 1;
}
