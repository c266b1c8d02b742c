// `thor eval` against three real `thor serve` processes on loopback (the
// thor_sim build of `thor`: the same server with the simulated prover of
// tests/search, see thor_sim_main.cc): round robin spreads the searches over
// all three (seen from the results and from each server's own metrics and
// logs), and a server killed with -9 in the middle of a run costs nothing.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/subprocess.h"
#include "tests/eval/eval_testing.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

// Latency-only simulated work: a search takes a few hundred ms of sleeps.
constexpr char kSim[] = R"({"start_ms": 40, "model_ms": 15, "step_ms": 5, "hammer_ms": 30})";

// GET /metrics from a server's Prometheus endpoint ("" on failure).
std::string Metrics(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      char buf[8192];
      for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, n);
    }
  }
  ::close(fd);
  return out;
}

// Sum of a metric's samples whose line starts with `prefix` (name + labels).
double MetricSum(const std::string& text, const std::string& prefix) {
  double sum = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, prefix)) continue;
    double v = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &v)) sum += v;
  }
  return sum;
}

int CountInFile(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += absl::StrContains(line, needle);
  return n;
}

std::vector<std::string> EvalArgs(const std::string& suite, const std::string& out,
                                  const std::string& servers) {
  return {ThorBinary(), "eval", "--suite=" + suite, "--out=" + out, servers,
          "--concurrency=6", "--budget=ci,wall_time_s=20", "--seed=1", "--progress=never",
          "--max_attempts=8"};
}

// Three (or `n`) thor_sim servers and a suite of `theorems` simulated ones.
struct Cluster {
  std::vector<ServeProcess> servers;
  std::string dir, suite;

  void Start(int n, int theorems) {
    ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
    dir = MakeTempDir();
    suite = dir + "/suite.jsonl";
    WriteSimSuite(suite, theorems, 2);
    for (int i = 0; i < n; ++i) {
      auto s = StartSimServe({"--metrics_listen=127.0.0.1:0", "--max_concurrent=2",
                              "--max_queued=32"},
                             kSim, absl::StrCat(dir, "/server", i, ".log"));
      ASSERT_TRUE(s.ok()) << s.status();
      ASSERT_GT(s->metrics_port, 0);
      servers.push_back(*std::move(s));
    }
  }
  // `thor eval` of the suite over all servers, into `out`.
  SubprocessOptions Eval(const std::string& out) const {
    SubprocessOptions opts;
    opts.argv = EvalArgs(suite, out, ServersFlag());
    return opts;
  }
  std::string ServersFlag() const {
    std::vector<std::string> v;
    for (const auto& s : servers) v.push_back(absl::StrCat("127.0.0.1:", s.port));
    return "--servers=" + absl::StrJoin(v, ",");
  }
  // SIGTERM (graceful drain) to the ones still running, SIGKILL after 10 s;
  // then nothing of theirs may be left.
  void Stop() {
    std::vector<pid_t> pids;
    for (auto& s : servers) {
      pids.push_back(s.process->pid());
      if (s.process->Running()) {
        s.process->SignalGroup(SIGTERM);
        EXPECT_TRUE(s.process->Wait(absl::Now() + absl::Seconds(10))) << "server did not drain";
        EXPECT_EQ(s.process->exit_code(), 0) << s.log_path;
      }
    }
    servers.clear();  // Destructors kill and reap each group.
    for (pid_t pid : pids) {
      EXPECT_NE(::kill(pid, 0), 0) << "server " << pid << " still exists";
      EXPECT_NE(::kill(-pid, 0), 0) << "process group " << pid << " still has members";
    }
    EXPECT_EQ(LeftoverChildren(), "");
  }
};

// One record per theorem, every line parsed, no torn tail. Returns id -> server.
std::map<std::string, std::string> CheckResults(const std::string& path, int n) {
  std::map<std::string, std::string> by_id;
  size_t torn = 1;
  for (const auto& j : ReadJsonLines(path, &torn)) {
    EXPECT_FALSE(j.is_null()) << "a line does not parse";
    if (j.is_null()) continue;
    EXPECT_TRUE(by_id.emplace(j["id"].get<std::string>(), j["server"].get<std::string>()).second)
        << "duplicate " << j["id"];
    const std::string status = j["status"];
    EXPECT_TRUE(status == "PROVED" || status == "EXHAUSTED" || status == "TIME_BUDGET" ||
                status == "QUERY_BUDGET")
        << j.dump();
  }
  EXPECT_EQ(torn, 0u);
  EXPECT_EQ(by_id.size(), static_cast<size_t>(n));
  return by_id;
}

TEST(EvalServersTest, RoundRobinSpreadsOneRunOverThreeServeProcesses) {
  const int n = 30;
  Cluster cluster;
  ASSERT_NO_FATAL_FAILURE(cluster.Start(3, n));
  const std::string out = cluster.dir + "/rr.jsonl";
  SubprocessOptions opts = cluster.Eval(out);
  auto run = RunSubprocess(opts, "", absl::Seconds(120));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->exit_code, 0) << run->err;
  std::map<std::string, std::string> by_id = CheckResults(out, n);

  // Client side: which peer answered each theorem.
  std::map<int, int> per_port;
  for (const auto& [id, server] : by_id) {
    for (const auto& s : cluster.servers) {
      per_port[s.port] += absl::EndsWith(server, absl::StrCat(":", s.port));
    }
  }
  // Server side: each one's searches (metrics) and "search_finished" log lines.
  double total = 0;
  for (const auto& s : cluster.servers) {
    const std::string m = Metrics(s.metrics_port);
    const double searches = MetricSum(m, "thor_searches_total{");
    EXPECT_GE(per_port[s.port], n / 6) << "server " << s.port << " got too little";
    EXPECT_EQ(searches, per_port[s.port]) << "server " << s.port << " metrics:\n" << m;
    EXPECT_EQ(CountInFile(s.log_path, "\"event\":\"search_finished\""), per_port[s.port])
        << s.log_path;
    total += searches;
  }
  EXPECT_EQ(total, n);

  // The same servers through one dns:/// name (a single one: a name resolves
  // to one port), as the Kubernetes Job does.
  const std::string out_dns = cluster.dir + "/dns.jsonl";
  opts.argv = EvalArgs(cluster.suite, out_dns,
                       absl::StrCat("--servers=dns:///localhost:", cluster.servers[1].port));
  opts.argv.push_back("--limit=4");
  auto dns = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(dns.ok());
  EXPECT_EQ(dns->exit_code, 0) << dns->err;
  for (const auto& [id, server] : CheckResults(out_dns, 4)) {
    EXPECT_TRUE(absl::EndsWith(server, absl::StrCat(":", cluster.servers[1].port))) << server;
  }
  cluster.Stop();
}

TEST(EvalServersTest, ServerKilledMidRunCostsNoResultAndDuplicatesNone) {
  const int n = 36;
  Cluster cluster;
  ASSERT_NO_FATAL_FAILURE(cluster.Start(3, n));
  const std::string out = cluster.dir + "/kill.jsonl";
  auto eval = Subprocess::Start(cluster.Eval(out));
  ASSERT_TRUE(eval.ok()) << eval.status();

  // Kill server 1 with -9 once some results are in and it runs a search.
  ServeProcess& victim = cluster.servers[1];
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  bool busy = false;
  while (absl::Now() < deadline) {
    busy = ReadJsonLines(out).size() >= 6 &&
           MetricSum(Metrics(victim.metrics_port), "thor_requests{state=\"running\"}") >= 1;
    if (busy) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(busy) << "the victim never ran a search";
  const size_t before = ReadJsonLines(out).size();
  victim.process->Kill();
  victim.process->Wait(absl::Now() + absl::Seconds(5));
  EXPECT_EQ(victim.process->term_signal(), SIGKILL);
  EXPECT_LT(before, static_cast<size_t>(n)) << "the run finished before the kill";

  // The run finishes on the other two.
  (*eval)
      ->ReadUntil([](const std::string&, const std::string&) { return false; },
                  absl::Now() + absl::Seconds(120))
      .IgnoreError();  // Unavailable once thor eval exits and closes its output.
  ASSERT_TRUE((*eval)->Wait(absl::Now() + absl::Seconds(5)));
  EXPECT_EQ((*eval)->exit_code(), 0) << (*eval)->err();
  EXPECT_TRUE(absl::StrContains((*eval)->err(), absl::StrCat(n, " new results"))) << (*eval)->err();
  std::map<std::string, std::string> by_id = CheckResults(out, n);

  // Searches in flight on the victim were retried elsewhere; after the kill
  // nothing was recorded from it (it may have finished none before).
  int retried = 0, from_victim = 0;
  const std::string victim_suffix = absl::StrCat(":", victim.port);
  for (const auto& j : ReadJsonLines(out)) {
    retried += j["attempts"].get<int>() > 1;
    from_victim += absl::EndsWith(j["server"].get<std::string>(), victim_suffix);
  }
  EXPECT_GE(retried, 1) << "no search was retried after the kill";
  EXPECT_LE(from_victim, static_cast<int>(before));
  int from_others = 0;
  for (const auto& s : cluster.servers) {
    if (&s == &victim) continue;
    from_others += MetricSum(Metrics(s.metrics_port), "thor_searches_total{");
  }
  // The survivors' searches plus the victim's recorded ones cover every
  // theorem (a retried search also counts where it first ran, if it ended).
  EXPECT_GE(from_others + from_victim, n);
  cluster.Stop();
}

}  // namespace
}  // namespace thor::testing
