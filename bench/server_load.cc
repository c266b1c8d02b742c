// bench/server_load: N concurrent Prove streams against a ThorServer with a
// simulated prover and model (tests/search/sim_prover.h) for a bounded time.
// Side by side in one process, with the same simulated work:
//   direct: N threads calling RunBestFirstSearch in-process (no gRPC);
//   server: N threads each streaming Prove over a loopback gRPC connection.
// Prints throughput of both and their ratio, failed RPCs, and the latency the
// server adds over the simulated search (client-observed time of the call
// minus the search's own wall + recheck time), p50/p99; then one JSON line.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "search/best_first.h"
#include "server/log.h"
#include "server/thor_server.h"
#include "tests/search/sim_prover.h"

ABSL_FLAG(int, streams, 64, "Concurrent Prove streams (and direct searches).");
ABSL_FLAG(double, duration_s, 15, "Length of each phase, seconds.");
ABSL_FLAG(int, depth, 3, "Distance of each synthetic theorem from a proof.");
ABSL_FLAG(double, model_ms, 20, "Mean simulated model latency per query, ms.");
ABSL_FLAG(double, step_ms, 5, "Mean simulated step latency, ms.");
ABSL_FLAG(double, hammer_ms, 50, "Mean simulated hammer latency, ms.");

namespace thor {
namespace {

using testing::Latency;

struct Sample {
  double total_s = 0;   // Client-observed time of one search.
  double search_s = 0;  // The search's own wall + recheck time.
  double first_event_s = 0;  // Server mode: call start to the started event.
  double tail_s = 0;         // Server mode: finished event to the call's end.
  bool failed = false;
};

struct Phase {
  std::vector<Sample> samples;
  double elapsed_s = 0;
  int failed = 0;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

absl::Duration Ms(double ms) { return absl::Microseconds(static_cast<int64_t>(ms * 1000)); }

Theorem SimTheorem(int i) {
  Theorem t;
  t.prover = "coq";  // The step filter's rules for the simulated steps.
  t.name = absl::StrCat("sim", i);
  t.statement = testing::SyntheticWorld::Statement(absl::GetFlag(FLAGS_depth), i);
  return t;
}

SearchConfig Budget() {
  SearchConfig c;
  c.max_model_queries = 60;
  c.samples_per_query = 8;
  c.wall_time = absl::Seconds(30);
  c.progress_interval = absl::Milliseconds(250);
  c.record_trace = false;
  return c;
}

// Runs `one(thread, i)` on `n` threads until `duration` passes.
Phase RunPhase(int n, absl::Duration duration, const std::function<Sample(int, int)>& one) {
  Phase phase;
  absl::Mutex mu;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; absl::Now() < end; ++i) {
        Sample s = one(t, t * 100000 + i);
        absl::MutexLock lock(&mu);
        phase.samples.push_back(s);
        phase.failed += s.failed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  phase.elapsed_s = absl::ToDoubleSeconds(absl::Now() - start);
  return phase;
}

int Main() {
  SetLogStream(nullptr);
  const int n = absl::GetFlag(FLAGS_streams);
  const absl::Duration duration = absl::Seconds(absl::GetFlag(FLAGS_duration_s));
  auto world = std::make_shared<testing::SyntheticWorld>();
  testing::SimProverOptions prover;
  prover.start = Latency::Fixed(absl::Milliseconds(2));
  prover.step = Latency::Uniform(Ms(absl::GetFlag(FLAGS_step_ms) / 2),
                                 Ms(absl::GetFlag(FLAGS_step_ms) * 1.5));
  prover.hammer = Latency::Uniform(Ms(absl::GetFlag(FLAGS_hammer_ms) / 2),
                                   Ms(absl::GetFlag(FLAGS_hammer_ms) * 1.5));
  prover.recheck = Latency::Fixed(absl::Milliseconds(5));
  auto backend = std::make_shared<testing::SimProverBackend>(world, prover);
  testing::SimPolicyOptions model;
  model.latency = Latency::Uniform(Ms(absl::GetFlag(FLAGS_model_ms) / 2),
                                   Ms(absl::GetFlag(FLAGS_model_ms) * 1.5));
  auto policy = std::make_shared<testing::SimPolicy>(world, model);
  const SearchConfig budget = Budget();

  std::printf("server_load: %d streams, %.0f s per phase, synthetic depth %d, model %.0f ms, "
              "step %.0f ms, hammer %.0f ms\n",
              n, absl::ToDoubleSeconds(duration), absl::GetFlag(FLAGS_depth),
              absl::GetFlag(FLAGS_model_ms), absl::GetFlag(FLAGS_step_ms),
              absl::GetFlag(FLAGS_hammer_ms));
  Phase direct = RunPhase(n, duration, [&](int, int i) {
    const absl::Time t0 = absl::Now();
    SearchResult r = RunBestFirstSearch(*backend, *policy, SimTheorem(i), budget, nullptr,
                                        nullptr);
    Sample s;
    s.total_s = absl::ToDoubleSeconds(absl::Now() - t0);
    s.search_s = r.stats.wall_s + r.stats.recheck_s;
    s.failed = r.status == SearchStatus::kError;
    return s;
  });

  auto registry = std::make_shared<Registry>();
  registry->AddBackend("coq", backend);
  registry->AddPolicy("sim", policy);
  registry->SetDefaultPolicy("sim");
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.admission.max_concurrent = n;
  config.admission.max_queued = n;
  config.progress_interval = absl::Milliseconds(250);
  auto server = ThorServer::Start(config, registry);
  if (!server.ok()) {
    std::fprintf(stderr, "server_load: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::ProofSearch::NewStub(channel);
  std::atomic<int> events{0};
  Phase served = RunPhase(n, duration, [&](int, int i) {
    v1::ProveRequest req;
    const Theorem t = SimTheorem(i);
    req.mutable_theorem()->set_prover(t.prover);
    req.mutable_theorem()->set_name(t.name);
    req.mutable_theorem()->set_statement(t.statement);
    req.mutable_config()->set_max_model_queries(budget.max_model_queries);
    req.mutable_config()->set_samples_per_query(budget.samples_per_query);
    req.mutable_config()->set_wall_time_s(absl::ToDoubleSeconds(budget.wall_time));
    const absl::Time t0 = absl::Now();
    grpc::ClientContext ctx;
    auto reader = stub->Prove(&ctx, req);
    v1::SearchEvent e;
    Sample s;
    bool finished = false;
    absl::Time finished_at = absl::Now();
    while (reader->Read(&e)) {
      ++events;
      if (e.has_started()) s.first_event_s = absl::ToDoubleSeconds(absl::Now() - t0);
      if (e.has_finished()) {
        finished_at = absl::Now();
        finished = true;
        s.search_s = e.finished().stats().wall_s() + e.finished().stats().recheck_s();
        s.failed = e.finished().status() == v1::ERROR;
      }
    }
    grpc::Status status = reader->Finish();
    s.total_s = absl::ToDoubleSeconds(absl::Now() - t0);
    s.tail_s = absl::ToDoubleSeconds(absl::Now() - finished_at);
    if (!status.ok() || !finished) {
      s.failed = true;
      std::fprintf(stderr, "failed RPC: %d %s\n", status.error_code(),
                   status.error_message().c_str());
    }
    return s;
  });
  (*server)->Shutdown(absl::Seconds(5));

  auto summarize = [](const Phase& p) {
    std::vector<double> overhead_ms, total_ms, first_ms, tail_ms;
    for (const Sample& s : p.samples) {
      overhead_ms.push_back((s.total_s - s.search_s) * 1000);
      total_ms.push_back(s.total_s * 1000);
      first_ms.push_back(s.first_event_s * 1000);
      tail_ms.push_back(s.tail_s * 1000);
    }
    return nlohmann::json{{"searches", p.samples.size()},
                          {"failed", p.failed},
                          {"throughput_per_s", p.samples.size() / p.elapsed_s},
                          {"search_p50_ms", Percentile(total_ms, 0.5)},
                          {"overhead_p50_ms", Percentile(overhead_ms, 0.5)},
                          {"overhead_p99_ms", Percentile(overhead_ms, 0.99)},
                          {"first_event_p50_ms", Percentile(first_ms, 0.5)},
                          {"tail_p50_ms", Percentile(tail_ms, 0.5)}};
  };
  nlohmann::json d = summarize(direct), s = summarize(served);
  const double ratio = s["throughput_per_s"].get<double>() /
                       std::max(1e-9, d["throughput_per_s"].get<double>());
  std::printf("%-8s %9s %7s %12s %14s %16s %16s\n", "mode", "searches", "failed", "per second",
              "search p50 ms", "overhead p50 ms", "overhead p99 ms");
  for (const auto& [name, j] : {std::pair{"direct", d}, std::pair{"server", s}}) {
    std::printf("%-8s %9d %7d %12.1f %14.1f %16.2f %16.2f\n", name, j["searches"].get<int>(),
                j["failed"].get<int>(), j["throughput_per_s"].get<double>(),
                j["search_p50_ms"].get<double>(), j["overhead_p50_ms"].get<double>(),
                j["overhead_p99_ms"].get<double>());
  }
  std::printf("server/direct throughput ratio: %.3f; events streamed: %d; failed RPCs: %d\n"
              "server: call start to 'started' p50 %.2f ms; 'finished' to call end p50 %.2f ms\n",
              ratio, events.load(), served.failed, s["first_event_p50_ms"].get<double>(),
              s["tail_p50_ms"].get<double>());
  nlohmann::json out = {{"bench", "server_load"},
                        {"streams", n},
                        {"duration_s", absl::ToDoubleSeconds(duration)},
                        {"direct", d},
                        {"server", s},
                        {"throughput_ratio", ratio},
                        {"events", events.load()},
                        {"failed_rpcs", served.failed}};
  std::printf("%s\n", out.dump().c_str());
  return served.failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace thor

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // As `thor` does (cli/cli.cc): no lock-order graph on every absl::Mutex lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return thor::Main();
}
