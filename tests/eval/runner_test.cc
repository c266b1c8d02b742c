// RunEval against fake ProofSearch servers over real gRPC on loopback: in this
// process, and as separate processes (a server that dies mid-run, round robin
// across three).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "eval/budget.h"
#include "eval/jsonl_suite.h"
#include "eval/runner.h"
#include "eval/targets.h"
#include "server/grpc_server.h"
#include "tests/eval/eval_testing.h"
#include "tests/eval/fake_server.h"
#include "tests/testing/fake_env.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::eval {
namespace {

using thor::testing::FakeProofSearch;
using thor::testing::FakeServerOptions;

std::vector<SuiteTheorem> Theorems(int n, const std::function<std::string(int)>& directive) {
  std::vector<SuiteTheorem> out(n);
  for (int i = 0; i < n; ++i) {
    out[i].id = absl::StrCat("t", i);
    out[i].theorem.set_prover("coq");
    out[i].theorem.set_name(out[i].id);
    out[i].theorem.set_statement(absl::StrCat("Lemma t", i, " : True. ", directive(i)));
  }
  return out;
}

RunnerOptions Options(const std::string& target) {
  RunnerOptions o;
  o.target = target;
  o.suite = "unit";
  o.concurrency = 4;
  o.config.set_wall_time_s(5);
  o.config.set_seed(7);
  o.initial_backoff = absl::Milliseconds(20);
  o.max_backoff = absl::Milliseconds(200);
  return o;
}

class InProcessRunnerTest : public ::testing::Test {
 protected:
  void Start(FakeServerOptions fo) {
    service_ = std::make_unique<FakeProofSearch>(fo);
    GrpcServerOptions so;
    so.address = "127.0.0.1:0";
    auto running = StartGrpcServer(so, {service_.get()});
    ASSERT_TRUE(running.ok()) << running.status();
    server_ = *std::move(running);
  }
  void TearDown() override {
    if (server_.server) server_.server->Shutdown();
  }
  std::string Target() { return absl::StrCat("ipv4:127.0.0.1:", server_.port); }

  std::unique_ptr<FakeProofSearch> service_;
  RunningGrpcServer server_;
};

TEST_F(InProcessRunnerTest, RecordsEveryTheoremAndResumeSkipsThem) {
  Start({});
  auto theorems = Theorems(12, [](int i) {
    return i % 3 == 0 ? "#solve #hammer" : i % 3 == 1 ? "#fail" : "#error";
  });
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  RunnerOptions options = Options(Target());
  {
    auto writer = ResultWriter::Open(path, ConfigHash(options.config));
    ASSERT_TRUE(writer.ok());
    auto summary = RunEval(options, theorems, writer->get());
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->recorded, 12);
    EXPECT_EQ(summary->solved, 4);
    EXPECT_EQ(summary->unfinished, 0);
  }
  auto lines = thor::testing::ReadJsonLines(path);
  ASSERT_EQ(lines.size(), 12u);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& j : lines) by_id[j["id"]] = j;
  EXPECT_EQ(by_id["t0"]["status"], "PROVED");
  EXPECT_EQ(by_id["t0"]["recheck"], "RECHECK_PASSED");
  EXPECT_EQ(by_id["t0"]["used_hammer"], true);
  EXPECT_EQ(by_id["t0"]["proof_steps"][0], "sauto use: fake_lemma");
  EXPECT_EQ(by_id["t1"]["status"], "EXHAUSTED");
  EXPECT_EQ(by_id["t2"]["status"], "ERROR");
  EXPECT_EQ(by_id["t0"]["config_hash"], ConfigHash(options.config));
  EXPECT_EQ(by_id["t0"]["seed"], TheoremSeed(7, "t0"));  // Derived, sent, echoed.
  EXPECT_EQ(by_id["t0"]["suite"], "unit");
  EXPECT_TRUE(absl::StrContains(by_id["t0"]["server"].get<std::string>(), "127.0.0.1"));
  const int calls = service_->calls();
  EXPECT_EQ(calls, 12);

  auto writer = ResultWriter::Open(path, ConfigHash(options.config));
  ASSERT_TRUE(writer.ok());
  auto again = RunEval(options, theorems, writer->get());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->skipped, 12);
  EXPECT_EQ(again->recorded, 0);
  EXPECT_EQ(again->solved, 4);
  EXPECT_EQ(service_->calls(), calls);  // Nothing was asked again.
}

TEST_F(InProcessRunnerTest, ConcurrencyBoundsSearchesInFlight) {
  FakeServerOptions fo;
  fo.latency_ms = 100;
  Start(fo);
  auto theorems = Theorems(12, [](int) { return ""; });
  auto writer = ResultWriter::Open(thor::testing::MakeTempDir() + "/r.jsonl", "x");
  ASSERT_TRUE(writer.ok());
  RunnerOptions options = Options(Target());
  options.concurrency = 3;
  auto summary = RunEval(options, theorems, writer->get());
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(service_->peak_running(), 3);
  // 12 searches of 100 ms, three at a time: about 400 ms, not 1200.
  EXPECT_LT(absl::ToDoubleSeconds(summary->elapsed), 1.0);
}

TEST_F(InProcessRunnerTest, RefusalsAreRecordedUnavailableIsLeftForLater) {
  Start({});
  auto theorems =
      Theorems(4, [](int i) { return i == 0 ? "#invalid" : i == 1 ? "#unavailable" : ""; });
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  auto writer = ResultWriter::Open(path, "x");
  ASSERT_TRUE(writer.ok());
  RunnerOptions options = Options(Target());
  options.max_attempts = 3;
  auto summary = RunEval(options, theorems, writer->get());
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->recorded, 3);
  EXPECT_EQ(summary->unfinished, 1);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& j : thor::testing::ReadJsonLines(path)) by_id[j["id"]] = j;
  EXPECT_EQ(by_id["t0"]["status"], "RPC_INVALID_ARGUMENT");
  EXPECT_FALSE(by_id.count("t1"));
  EXPECT_EQ(service_->calls(), 3 + 3);  // t1 was tried max_attempts times.
}

// A theorem the server refuses after it sent events (a statement the prover
// cannot parse): recorded once as an error with the server's message, not
// retried, and the rest of the run goes on.
TEST_F(InProcessRunnerTest, AStatusAfterEventsIsRecordedAndTheRunGoesOn) {
  Start({});
  auto theorems =
      Theorems(3, [](int i) { return i == 1 ? "#refused_after_preparing" : "#solve"; });
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  auto writer = ResultWriter::Open(path, "x");
  ASSERT_TRUE(writer.ok());
  RunnerOptions options = Options(Target());
  options.max_attempts = 3;
  auto summary = RunEval(options, theorems, writer->get());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->recorded, 3);
  EXPECT_EQ(summary->solved, 2);
  EXPECT_EQ(summary->unfinished, 0);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& j : thor::testing::ReadJsonLines(path)) by_id[j["id"]] = j;
  EXPECT_EQ(by_id["t1"]["status"], "RPC_INVALID_ARGUMENT");
  EXPECT_EQ(by_id["t1"]["solved"], false);
  EXPECT_TRUE(absl::StrContains(by_id["t1"]["message"].get<std::string>(), "Syntax error"))
      << by_id["t1"];
  EXPECT_EQ(by_id["t1"]["attempts"], 1);
  EXPECT_EQ(service_->calls(), 3);
}

// What a first Ctrl-C does (cli/cmd_eval.cc sets `stop` from SIGINT): the
// searches in flight (60 s each here) are cancelled, not waited for, and not
// recorded; the fast ones done before stay; nothing new starts.
TEST_F(InProcessRunnerTest, StopCancelsSearchesInFlightPromptlyAndRecordsNone) {
  Start({});
  auto theorems = Theorems(10, [](int i) { return i < 2 ? "#solve" : "#sleep=60000"; });
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  RunnerOptions options = Options(Target());
  options.concurrency = 3;
  std::atomic<bool> stop{false};
  options.stop = &stop;
  auto writer = ResultWriter::Open(path, ConfigHash(options.config));
  ASSERT_TRUE(writer.ok());
  absl::StatusOr<RunSummary> summary;
  absl::Time stopped_at;
  std::thread run([&] { summary = RunEval(options, theorems, writer->get()); });
  // The two quick ones are done and three slow ones are in flight.
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while ((thor::testing::ReadJsonLines(path).size() < 2 || service_->calls() < 5) &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  absl::SleepFor(absl::Milliseconds(200));
  stopped_at = absl::Now();
  stop = true;
  run.join();
  const absl::Duration took = absl::Now() - stopped_at;
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_LT(took, absl::Seconds(2)) << "the stop waited for the searches in flight";
  EXPECT_TRUE(summary->stopped);
  EXPECT_EQ(summary->recorded, 2);
  EXPECT_EQ(summary->cancelled, 3);
  EXPECT_EQ(summary->unfinished, 8);
  EXPECT_EQ(service_->calls(), 5) << "a theorem started after the stop";
  EXPECT_EQ(thor::testing::ReadJsonLines(path).size(), 2u);
}

TEST(RunnerTest, RecordSaysWhatTheProofRestsOnAndOnlyProvedIsSolved) {
  SuiteTheorem t;
  t.id = "t1";
  t.theorem.set_prover("coq");
  v1::ProveResult result;
  result.set_status(v1::PROVED);
  result.set_recheck(v1::RECHECK_PASSED);
  result.add_axioms("Coq.Logic.Classical_Prop.classic");
  for (const char* c : {"coqc", "print_assumptions", "coqchk"}) result.add_checkers(c);
  EvalRecord r = RecordFromResult(t, result);
  EXPECT_TRUE(r.solved);
  EXPECT_EQ(r.axioms, std::vector<std::string>{"Coq.Logic.Classical_Prop.classic"});
  EXPECT_EQ(r.checkers, (std::vector<std::string>{"coqc", "print_assumptions", "coqchk"}));
  result.set_status(v1::PROVED_UNCHECKED);
  result.clear_checkers();
  EXPECT_FALSE(RecordFromResult(t, result).solved);
  EXPECT_TRUE(RecordFromResult(t, result).checkers.empty());
}

TEST(RunnerTest, NoServerLeavesEverythingUnfinished) {
  auto theorems = Theorems(3, [](int) { return ""; });
  auto writer = ResultWriter::Open(thor::testing::MakeTempDir() + "/r.jsonl", "x");
  ASSERT_TRUE(writer.ok());
  RunnerOptions options = Options("ipv4:127.0.0.1:1");  // Nothing listens on port 1.
  options.max_attempts = 2;
  auto summary = RunEval(options, theorems, writer->get());
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->recorded, 0);
  EXPECT_EQ(summary->unfinished, 3);
}

TEST(RunnerTest, BackoffBetweenAttemptsIsTheEnvsTime) {
  // Seven backoffs of 10 s doubling to a 60 s cap, jittered by 0.5-1.5:
  // at least 155 s of the Env's clock, and no real minutes.
  auto theorems = Theorems(1, [](int) { return ""; });
  auto writer = ResultWriter::Open(thor::testing::MakeTempDir() + "/r.jsonl", "x");
  ASSERT_TRUE(writer.ok());
  thor::testing::FakeEnv env;
  RunnerOptions options = Options("ipv4:127.0.0.1:1");  // Nothing listens on port 1.
  options.max_attempts = 8;
  options.initial_backoff = absl::Seconds(10);
  options.max_backoff = absl::Seconds(60);
  options.env = &env;
  const absl::Time real_start = absl::Now();
  auto summary = RunEval(options, theorems, writer->get());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->unfinished, 1);
  EXPECT_GE(summary->elapsed, absl::Seconds(155));
  EXPECT_LE(summary->elapsed, absl::Seconds(465));
  EXPECT_LT(absl::Now() - real_start, absl::Seconds(30));
}

TEST(TargetsTest, ServersToTarget) {
  EXPECT_EQ(*ServersToTarget({"dns:///thor.default.svc:50051"}), "dns:///thor.default.svc:50051");
  EXPECT_EQ(*ServersToTarget({"127.0.0.1:5", "localhost:6"}), "ipv4:127.0.0.1:5,127.0.0.1:6");
  EXPECT_EQ(*ServersToTarget({"[::1]:7"}), "ipv6:[::1]:7");
  EXPECT_EQ(ServersToTarget({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ServersToTarget({"localhost"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ServersToTarget({"dns:///a:1", "b:2"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ServersToTarget({"no-such-host.invalid:1"}).status().code(),
            absl::StatusCode::kNotFound);
}

// Separate server processes.

TEST(MultiProcessRunnerTest, ServerThatDiesMidRunIsRetriedElsewhere) {
  auto healthy = thor::testing::StartFakeServer({"--name=healthy", "--latency_ms=50"});
  ASSERT_TRUE(healthy.ok()) << healthy.status();
  auto dying = thor::testing::StartFakeServer(
      {"--name=dying", "--latency_ms=2000", "--die_after=4"});
  ASSERT_TRUE(dying.ok()) << dying.status();
  auto target = ServersToTarget({absl::StrCat("127.0.0.1:", healthy->port),
                                 absl::StrCat("127.0.0.1:", dying->port)});
  ASSERT_TRUE(target.ok());
  auto theorems = Theorems(24, [](int i) { return i % 2 ? "#solve" : "#fail"; });
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  auto writer = ResultWriter::Open(path, "x");
  ASSERT_TRUE(writer.ok());
  auto summary = RunEval(Options(*target), theorems, writer->get());
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->recorded, 24);
  EXPECT_EQ(summary->unfinished, 0);
  EXPECT_EQ(summary->solved, 12);
  EXPECT_TRUE(dying->process->Wait(absl::Now() + absl::Seconds(5)));
  EXPECT_EQ(dying->process->exit_code(), 17);  // It really died.
  int retried = 0;
  for (const auto& j : thor::testing::ReadJsonLines(path)) {
    // Every result came from the healthy server; the dying one never finished one.
    EXPECT_EQ(j["search_id"].get<std::string>().rfind("healthy-", 0), 0u) << j.dump();
    retried += j["attempts"].get<int>() > 1;
  }
  EXPECT_GE(retried, 1);
  healthy->process->Kill();
  healthy->process->Wait(absl::Now() + absl::Seconds(5));
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

TEST(MultiProcessRunnerTest, RoundRobinAcrossThreeServers) {
  std::vector<thor::testing::FakeServerProcess> servers;
  std::vector<std::string> addresses;
  for (int i = 0; i < 3; ++i) {
    auto s = thor::testing::StartFakeServer({absl::StrCat("--name=s", i), "--latency_ms=30"});
    ASSERT_TRUE(s.ok()) << s.status();
    addresses.push_back(absl::StrCat("localhost:", s->port));
    servers.push_back(*std::move(s));
  }
  auto target = ServersToTarget(addresses);
  ASSERT_TRUE(target.ok());
  auto theorems = Theorems(30, [](int) { return ""; });
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  auto writer = ResultWriter::Open(path, "x");
  ASSERT_TRUE(writer.ok());
  RunnerOptions options = Options(*target);
  options.concurrency = 3;
  auto summary = RunEval(options, theorems, writer->get());
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->recorded, 30);
  std::map<std::string, int> per_server;
  for (const auto& j : thor::testing::ReadJsonLines(path)) {
    std::string id = j["search_id"];
    per_server[id.substr(0, id.find('-'))]++;
  }
  ASSERT_EQ(per_server.size(), 3u);
  for (const auto& [name, n] : per_server) {
    EXPECT_GE(n, 7) << name;  // Round robin: 10 each, give or take.
    EXPECT_LE(n, 13) << name;
  }
  for (auto& s : servers) {
    s.process->Kill();
    s.process->Wait(absl::Now() + absl::Seconds(5));
  }
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

}  // namespace
}  // namespace thor::eval
