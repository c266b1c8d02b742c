// bench/search_sim: sequential (Thor's one-call-at-a-time) against pipelined
// best-first search, side by side in one process, over a synthetic proof
// space with a simulated prover and model (seeded latencies: model 300 ms per
// query, step 50 ms with a tail, hammer 2-30 s). Then, with zero latencies,
// the search's own cost per expanded node, and memory per open search.
// Ends with one JSON line holding every figure.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "search/best_first.h"
#include "bench/search_sim_replay.h"
#include "tests/search/sim_prover.h"

ABSL_FLAG(int, theorems, 16, "Synthetic theorems per mode.");
ABSL_FLAG(double, time_scale, 0.2,
          "Multiplies every simulated latency and time budget (1 = real time).");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the world, the latencies and the search.");
ABSL_FLAG(int, inflight_queries, 2, "Pipelined: model queries in flight.");
ABSL_FLAG(int, inflight_steps, 8, "Pipelined: prover sessions in flight.");
ABSL_FLAG(int, memory_searches, 20, "Concurrent searches for the memory figure.");
ABSL_FLAG(bool, overhead_only, false, "Only the zero-latency overhead figure.");

namespace thor::testing {
namespace {

using nlohmann::json;

Theorem Thm(int depth, int id) {
  Theorem t;
  t.prover = "isabelle";
  t.name = absl::StrFormat("sim_%d", id);
  t.statement = SyntheticWorld::Statement(depth, id);
  return t;
}

SimProverOptions ProverLatencies(double scale, uint64_t seed) {
  SimProverOptions p;
  p.seed = seed;
  p.step = Latency{absl::Milliseconds(40), absl::Milliseconds(20), 0.05,
                   absl::Seconds(2)}.Scaled(scale);
  p.hammer = Latency::Uniform(absl::Seconds(2), absl::Seconds(30)).Scaled(scale);
  p.start = Latency::Fixed(absl::ZeroDuration());
  return p;
}

SearchConfig Budget(double scale, uint64_t seed) {
  SearchConfig c;  // Thor's defaults: queue 32, T 1.2, 300 queries, 32 samples.
  c.wall_time = absl::Seconds(500) * scale;
  c.step_timeout = absl::Seconds(10) * scale;
  c.hammer_timeout = absl::Seconds(30) * scale;
  c.seed = seed;
  c.record_trace = false;
  return c;
}

struct ModeResult {
  std::vector<double> wall;  // Per theorem; budget if unproved.
  std::vector<bool> proved;
};

// Runs every theorem in both modes at once (each search in its own thread).
void RunLatencyComparison(int n, double scale, uint64_t seed, ModeResult* seq,
                          ModeResult* pipe) {
  SyntheticWorld::Options wo;
  wo.seed = seed;
  auto world = std::make_shared<SyntheticWorld>(wo);
  struct Job {
    std::unique_ptr<SimProverBackend> backend;
    std::unique_ptr<SimPolicy> policy;
    SearchResult result;
  };
  std::vector<Job> jobs(2 * static_cast<size_t>(n));
  std::vector<std::thread> threads;
  for (int mode = 0; mode < 2; ++mode) {
    for (int i = 0; i < n; ++i) {
      Job& j = jobs[static_cast<size_t>(mode * n + i)];
      // Same seeds in both modes: the same world, latencies and policy.
      j.backend = std::make_unique<SimProverBackend>(world, ProverLatencies(scale, seed + i));
      SimPolicyOptions po;
      po.seed = seed + i;
      po.latency = Latency::Fixed(absl::Milliseconds(300) * scale);
      j.policy = std::make_unique<SimPolicy>(world, po);
      SearchConfig c = Budget(scale, seed + i);
      c.sequential = mode == 0;
      c.max_inflight_queries = absl::GetFlag(FLAGS_inflight_queries);
      c.max_inflight_steps = absl::GetFlag(FLAGS_inflight_steps);
      const int depth = 2 + i % 3;
      threads.emplace_back([&j, c, depth, i] {
        Theorem t = Thm(depth, i);
        j.result = RunBestFirstSearch(*j.backend, *j.policy, t, c, nullptr, nullptr);
      });
    }
  }
  for (std::thread& t : threads) t.join();
  const double budget = absl::ToDoubleSeconds(Budget(scale, seed).wall_time);
  for (int mode = 0; mode < 2; ++mode) {
    ModeResult* out = mode == 0 ? seq : pipe;
    for (int i = 0; i < n; ++i) {
      const SearchResult& r = jobs[static_cast<size_t>(mode * n + i)].result;
      const bool ok = r.status == SearchStatus::kProved;
      out->proved.push_back(ok);
      out->wall.push_back(ok ? r.stats.wall_s : budget);
    }
  }
}


double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// Zero latencies, no proof reachable: the search's own cost per expansion
// (each expansion: one query of 32 samples and every distinct step applied).
// Process CPU time of the search run minus the CPU time of replaying the same
// simulator calls without the search, so neither the simulator nor a loaded
// machine inflates it; wall time for reference.
json MeasureOverheadOnce(bool sequential, uint64_t seed, bool trace) {
  SyntheticWorld::Options wo;
  wo.seed = seed;
  wo.p_right_proposed = 0;
  wo.p_hammer_proposed = 0;
  auto world = std::make_shared<SyntheticWorld>(wo);
  SearchConfig c;
  c.sequential = sequential;
  c.seed = seed;
  c.record_trace = trace;
  c.max_inflight_steps = 2;
  c.max_model_queries = 1000;
  Theorem t = Thm(60, 1);
  // 1. The search, uninstrumented.
  SimProverBackend backend(world, SimProverOptions{});
  SimPolicy policy(world, SimPolicyOptions{});
  const double cpu0 = CpuSeconds();
  const absl::Time t0 = absl::Now();
  SearchResult r = RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
  const double wall = absl::ToDoubleSeconds(absl::Now() - t0);
  const double cpu = CpuSeconds() - cpu0;
  // 2. The same search recording its calls, then the calls replayed alone.
  CallLog log;
  SimProverBackend backend2(world, SimProverOptions{});
  SimPolicy policy2(world, SimPolicyOptions{});
  RecordingBackend rb(&backend2, &log);
  RecordingPolicy rp(&policy2, &log);
  RunBestFirstSearch(rb, rp, t, c, nullptr, nullptr);
  SimProverBackend backend3(world, SimProverOptions{});
  SimPolicy policy3(world, SimPolicyOptions{});
  std::unique_ptr<ProverSession> session = *backend3.NewSession();
  (void)session->Start(t, absl::Seconds(1));
  double replay = 0;
  {
    absl::MutexLock l(&log.mu);
    const double r0 = CpuSeconds();
    for (const auto& [from, step] : log.applies) {
      (void)session->Apply(from, step, absl::Seconds(10));
    }
    for (const PolicyQuery& q : log.queries) (void)policy3.Propose(q, absl::Seconds(10));
    replay = CpuSeconds() - r0;
  }
  const double nodes = std::max<double>(1, r.stats.states_expanded);
  return {{"expanded", r.stats.states_expanded},
          {"steps", r.stats.steps_applied},
          {"trace", trace},
          {"cpu_us_per_node", 1e6 * cpu / nodes},
          {"search_cpu_us_per_node", 1e6 * (cpu - replay) / nodes},
          {"wall_us_per_node", 1e6 * wall / nodes},
          {"status", SearchStatusName(r.status)}};
}

// The median of three runs (the machine may be shared).
json MeasureOverhead(bool sequential, uint64_t seed, bool trace) {
  std::vector<json> runs;
  for (int i = 0; i < 3; ++i) runs.push_back(MeasureOverheadOnce(sequential, seed, trace));
  std::sort(runs.begin(), runs.end(), [](const json& a, const json& b) {
    return a["search_cpu_us_per_node"].get<double>() <
           b["search_cpu_us_per_node"].get<double>();
  });
  json out = runs[1];
  out["search_cpu_us_per_node_runs"] = {runs[0]["search_cpu_us_per_node"],
                                        runs[1]["search_cpu_us_per_node"],
                                        runs[2]["search_cpu_us_per_node"]};
  return out;
}

long RssBytes() {
  std::ifstream f("/proc/self/statm");
  long size = 0, resident = 0;
  f >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// Many open searches at once (small latencies, no proof): peak RSS and heap
// growth divided by the number of searches.
json MeasureMemory(int searches, uint64_t seed, bool trace) {
  SyntheticWorld::Options wo;
  wo.seed = seed;
  wo.p_right_proposed = 0;
  wo.p_hammer_proposed = 0;
  auto world = std::make_shared<SyntheticWorld>(wo);
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Microseconds(200));
  SimPolicyOptions qo;
  qo.latency = Latency::Fixed(absl::Milliseconds(2));
  SimProverBackend backend(world, po);
  SimPolicy policy(world, qo);
  malloc_trim(0);
  const long rss0 = RssBytes();
  const size_t heap0 = mallinfo2().uordblks;
  std::atomic<int> running{searches};
  std::atomic<long> peak_rss{rss0};
  std::atomic<size_t> peak_heap{heap0};
  std::vector<std::thread> threads;
  for (int i = 0; i < searches; ++i) {
    threads.emplace_back([&, i] {
      SearchConfig c;  // Defaults: queue 32, 300 queries, 32 samples.
      c.seed = seed + i;
      c.record_trace = trace;
      Theorem t = Thm(60, 100 + i);
      RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
      --running;
    });
  }
  while (running.load() > 0) {
    peak_rss = std::max(peak_rss.load(), RssBytes());
    peak_heap = std::max(peak_heap.load(), mallinfo2().uordblks);
    absl::SleepFor(absl::Milliseconds(5));
  }
  for (std::thread& t : threads) t.join();
  return {{"searches", searches},
          {"trace", trace},
          {"rss_bytes_per_search", (peak_rss.load() - rss0) / searches},
          {"heap_bytes_per_search",
           static_cast<double>(peak_heap.load() - heap0) / searches}};
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

int Main() {
  const int n = absl::GetFlag(FLAGS_theorems);
  const double scale = absl::GetFlag(FLAGS_time_scale);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  std::printf("search_sim: %d synthetic theorems (depth 2-4), time scale %.2f, seed %llu\n",
              n, scale, static_cast<unsigned long long>(seed));
  std::printf("latencies: model 300 ms/query, step 40-60 ms + 5%% tail to 2 s, "
              "hammer 2-30 s (all x%.2f); budget 300 queries, 500 s x%.2f\n",
              scale, scale);
  if (absl::GetFlag(FLAGS_overhead_only)) {
    std::printf("%s\n", MeasureOverhead(true, seed, false).dump().c_str());
    std::printf("%s\n", MeasureOverhead(true, seed, true).dump().c_str());
    return 0;
  }
  ModeResult seq, pipe;
  RunLatencyComparison(n, scale, seed, &seq, &pipe);
  int seq_proved = 0, pipe_proved = 0, both = 0;
  double log_ratio = 0;
  std::vector<double> seq_both, pipe_both;
  for (int i = 0; i < n; ++i) {
    seq_proved += seq.proved[i];
    pipe_proved += pipe.proved[i];
    std::printf("  %-8s seq %s %7.2fs   pipe %s %7.2fs\n", Thm(2 + i % 3, i).name.c_str(),
                seq.proved[i] ? "proved" : "  --  ", seq.wall[i],
                pipe.proved[i] ? "proved" : "  --  ", pipe.wall[i]);
    if (seq.proved[i] && pipe.proved[i]) {
      ++both;
      log_ratio += std::log(seq.wall[i] / pipe.wall[i]);
      seq_both.push_back(seq.wall[i]);
      pipe_both.push_back(pipe.wall[i]);
    }
  }
  const double geo = both > 0 ? std::exp(log_ratio / both) : 0;
  const double total_ratio = Mean(seq.wall) / std::max(1e-9, Mean(pipe.wall));
  const double both_ratio = Mean(seq_both) / std::max(1e-9, Mean(pipe_both));
  std::printf("proofs found: sequential %d/%d, pipelined %d/%d\n", seq_proved, n,
              pipe_proved, n);
  std::printf("wall time to proof (both proved, %d): sequential %.2fs, pipelined "
              "%.2fs mean; speedup %.2fx (mean), %.2fx (geomean)\n",
              both, Mean(seq_both), Mean(pipe_both), both_ratio, geo);
  std::printf("wall time per theorem (unproved = budget): %.2fx\n", total_ratio);

  json seq_ovh = MeasureOverhead(true, seed, false);
  json pipe_ovh = MeasureOverhead(false, seed, false);
  json seq_trace_ovh = MeasureOverhead(true, seed, true);
  std::printf("zero-latency search CPU per expanded node (simulator excluded): "
              "sequential %.1f us, pipelined %.1f us, sequential with trace %.1f us; "
              "with the simulator %.1f / %.1f / %.1f us; wall %.1f / %.1f / %.1f us\n",
              seq_ovh["search_cpu_us_per_node"].get<double>(),
              pipe_ovh["search_cpu_us_per_node"].get<double>(),
              seq_trace_ovh["search_cpu_us_per_node"].get<double>(),
              seq_ovh["cpu_us_per_node"].get<double>(),
              pipe_ovh["cpu_us_per_node"].get<double>(),
              seq_trace_ovh["cpu_us_per_node"].get<double>(),
              seq_ovh["wall_us_per_node"].get<double>(),
              pipe_ovh["wall_us_per_node"].get<double>(),
              seq_trace_ovh["wall_us_per_node"].get<double>());
  const int searches = absl::GetFlag(FLAGS_memory_searches);
  json mem = MeasureMemory(searches, seed, false);
  json mem_trace = MeasureMemory(searches, seed, true);
  std::printf("memory per open search (%d at once, queue 32, 300 queries x 32 "
              "samples): %.0f KiB heap, %.0f KiB RSS; with trace %.0f KiB heap\n",
              searches, mem["heap_bytes_per_search"].get<double>() / 1024,
              mem["rss_bytes_per_search"].get<long>() / 1024.0,
              mem_trace["heap_bytes_per_search"].get<double>() / 1024);
  json out = {{"bench", "search_sim"},
              {"theorems", n},
              {"time_scale", scale},
              {"seed", seed},
              {"inflight_queries", absl::GetFlag(FLAGS_inflight_queries)},
              {"inflight_steps", absl::GetFlag(FLAGS_inflight_steps)},
              {"seq_proved", seq_proved},
              {"pipe_proved", pipe_proved},
              {"both_proved", both},
              {"seq_mean_wall_to_proof_s", Mean(seq_both)},
              {"pipe_mean_wall_to_proof_s", Mean(pipe_both)},
              {"speedup_mean", both_ratio},
              {"speedup_geomean", geo},
              {"speedup_all_theorems", total_ratio},
              {"overhead_sequential", seq_ovh},
              {"overhead_pipelined", pipe_ovh},
              {"overhead_sequential_trace", seq_trace_ovh},
              {"memory", mem},
              {"memory_trace", mem_trace}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace thor::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thor::testing::Main();
}
