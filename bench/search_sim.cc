// bench/search_sim: sequential (Thor's one-call-at-a-time) against pipelined
// best-first search, side by side in one process, over a synthetic proof
// space with a simulated prover and model (seeded latencies: model 300 ms per
// query, step 50 ms with a tail, hammer 2-30 s). Then, with zero latencies,
// the search's own cost per expanded node, and memory per open search.
// Ends with one JSON line holding every figure.
//
// How the search's own cost is measured (zero latencies, a theorem no
// search can prove, 1000 expansions of 32 samples, ~23 steps each): the
// process CPU time of the search minus the CPU time of replaying the same
// simulator calls without the search, per expanded node, as the median of
// --overhead_runs runs and as (fastest search - fastest replay); both move
// with the machine's load. Load-independent: the instructions the search
// itself executes per node, counted by callgrind (see
// SearchInstructionsPerNode). How memory is measured: see MeasureMemory.
#include <malloc.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
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
ABSL_FLAG(std::string, overhead_modes, "seq,pipe,seq_trace",
          "With --overhead_only: which zero-latency figures (seq, pipe, seq_trace, "
          "pipe_trace), e.g. one at a time under callgrind.");
ABSL_FLAG(bool, instructions, true,
          "Also count the search's instructions per node under callgrind "
          "(needs valgrind; adds about 10 s per figure).");
ABSL_FLAG(std::string, profile_once, "",
          "Run one zero-latency search (seq, pipe, seq_trace or pipe_trace) and "
          "exit, for callgrind.");
ABSL_FLAG(bool, memory_only, false, "Only the memory-per-open-search figure.");
ABSL_FLAG(int, overhead_runs, 5,
          "Runs per zero-latency overhead figure; the median is reported.");

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


// CPU time of the whole process (every thread, user and system), from the
// scheduler's nanosecond accounting: time waiting for a core on a loaded
// machine is not in it.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Context switches of the whole process so far, voluntary and not: each
// hand-off of work between the search's threads costs at least one.
long ContextSwitches() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_nvcsw + u.ru_nivcsw;
}

// Zero latencies, no proof reachable: the search's own cost per expansion
// (each expansion: one query of 32 samples and every distinct step applied).
// Process CPU time of the search run minus the CPU time of replaying the same
// simulator calls without the search, so neither the simulator nor a loaded
// machine inflates it; wall time for reference.
struct OverheadSetup {
  std::shared_ptr<SyntheticWorld> world;
  SearchConfig config;
  Theorem theorem;
};

OverheadSetup ZeroLatencySearch(bool sequential, uint64_t seed, bool trace) {
  SyntheticWorld::Options wo;
  wo.seed = seed;
  wo.p_right_proposed = 0;
  wo.p_hammer_proposed = 0;
  OverheadSetup o;
  o.world = std::make_shared<SyntheticWorld>(wo);
  o.config.sequential = sequential;
  o.config.seed = seed;
  o.config.record_trace = trace;
  o.config.max_inflight_steps = 2;
  o.config.max_model_queries = 1000;
  o.theorem = Thm(60, 1);
  return o;
}

// One zero-latency search and nothing else, for a profiler: e.g.
//   valgrind --tool=callgrind search_sim --profile_once=seq
// then instructions per expanded node = (instructions of the search's threads
// minus those inside SimSession::Apply and SimPolicy::Propose) / expanded.
int ProfileOnce(absl::string_view mode, uint64_t seed) {
  OverheadSetup o = ZeroLatencySearch(absl::StartsWith(mode, "seq"), seed,
                                      absl::EndsWith(mode, "_trace"));
  SimProverBackend backend(o.world, SimProverOptions{});
  SimPolicy policy(o.world, SimPolicyOptions{});
  SearchResult r = RunBestFirstSearch(backend, policy, o.theorem, o.config, nullptr, nullptr);
  std::printf("%s\n", json({{"mode", std::string(mode)},
                            {"expanded", r.stats.states_expanded},
                            {"steps", r.stats.steps_applied},
                            {"trace_bytes", r.trace_json.size()}})
                           .dump()
                           .c_str());
  return 0;
}

json MeasureOverheadOnce(bool sequential, uint64_t seed, bool trace) {
  OverheadSetup o = ZeroLatencySearch(sequential, seed, trace);
  const std::shared_ptr<SyntheticWorld>& world = o.world;
  const SearchConfig& c = o.config;
  const Theorem& t = o.theorem;
  // 1. The search, uninstrumented.
  SimProverBackend backend(world, SimProverOptions{});
  SimPolicy policy(world, SimPolicyOptions{});
  const long switches0 = ContextSwitches();
  const double cpu0 = CpuSeconds();
  const absl::Time t0 = absl::Now();
  SearchResult r = RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
  const double wall = absl::ToDoubleSeconds(absl::Now() - t0);
  const double cpu = CpuSeconds() - cpu0;
  const long switches = ContextSwitches() - switches0;
  // 2. The same search recording its calls, then the calls replayed alone.
  CallLog log;
  SimProverBackend backend2(world, SimProverOptions{});
  SimPolicy policy2(world, SimPolicyOptions{});
  ForwardingBackend rb(&backend2, RecordApplies(&log));
  ForwardingPolicy rp(&policy2, RecordQueries(&log));
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
          {"replay_us_per_node", 1e6 * replay / nodes},
          {"search_cpu_us_per_node", 1e6 * (cpu - replay) / nodes},
          {"wall_us_per_node", 1e6 * wall / nodes},
          {"context_switches_per_1000_nodes", 1000.0 * static_cast<double>(switches) / nodes},
          {"status", SearchStatusName(r.status)}};
}

double Field(const json& j, const char* key) { return j[key].get<double>(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Instructions the search itself executes per expanded node, counted by
// callgrind (load-independent): this binary re-run under valgrind with
// --profile_once, then the inclusive instruction counts of
// RunBestFirstSearch (the caller's thread: the inline executor's calls, or
// the pool's watchdog), WorkerPool::Worker (every worker thread) and
// InlineExecutor::WatchdogThread minus those of the simulator's calls made
// from them. -1 if valgrind or callgrind_annotate is missing.
double SearchInstructionsPerNode(absl::string_view mode, uint64_t seed) {
  char self[4096];
  const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  if (len <= 0) return -1;
  self[len] = '\0';
  const std::string out = absl::StrFormat("/tmp/search_sim_callgrind.%d", getpid());
  const std::string run = absl::StrFormat(
      "valgrind --tool=callgrind --callgrind-out-file=%s %s --profile_once=%s "
      "--seed=%d > %s.log 2>&1",
      out, self, mode, seed, out);
  if (std::system(run.c_str()) != 0) return -1;
  double expanded = 0;
  {
    std::ifstream log(out + ".log");
    std::string line;
    while (std::getline(log, line)) {
      if (line.rfind("{", 0) == 0) expanded = json::parse(line)["expanded"].get<double>();
    }
  }
  const std::string annotate = absl::StrFormat(
      "callgrind_annotate --inclusive=yes --auto=no --threshold=100 %s 2>/dev/null", out);
  FILE* f = popen(annotate.c_str(), "r");
  if (f == nullptr) return -1;
  // First (inclusive) count of each function, by a unique part of its name.
  const std::vector<std::pair<std::string, int>> parts = {
      {"thor::RunBestFirstSearch(", +1},
      {"thor::WorkerPool::Worker(", +1},
      {"thor::InlineExecutor::WatchdogThread(", +1},
      {"thor::testing::SimSession::Start(", -1},
      {"thor::testing::SimSession::Apply(", -1},
      {"thor::testing::SimSession::Hammer(", -1},
      {"thor::testing::SimPolicy::Propose(", -1},
      {"thor::testing::SimProverBackend::NewSession(", -1},
      {"thor::testing::SimProverBackend::Recheck(", -1}};
  std::vector<bool> seen(parts.size(), false);
  double total = 0;
  char buf[8192];
  while (fgets(buf, sizeof buf, f) != nullptr) {
    const absl::string_view line(buf);
    for (size_t i = 0; i < parts.size(); ++i) {
      if (seen[i] || !absl::StrContains(line, parts[i].first)) continue;
      std::string digits;
      for (char c : line.substr(0, line.find_first_of("(:"))) {
        if (c >= '0' && c <= '9') digits += c;
      }
      if (digits.empty()) continue;
      seen[i] = true;
      total += parts[i].second * std::stod(digits);
    }
  }
  pclose(f);
  std::remove(out.c_str());
  std::remove((out + ".log").c_str());
  if (!seen[0] || !(seen[1] || seen[2]) || expanded <= 0) return -1;
  return total / expanded;
}

// --overhead_runs runs (the machine may be shared): the median of the
// per-run figures, and the difference of the fastest search and the fastest
// replay (load only ever adds CPU time, so minima are the steadiest
// estimate); plus callgrind's instruction count, which load does not move.
json MeasureOverhead(bool sequential, uint64_t seed, bool trace) {
  std::vector<json> runs;
  const int n = std::max(1, absl::GetFlag(FLAGS_overhead_runs));
  for (int i = 0; i < n; ++i) runs.push_back(MeasureOverheadOnce(sequential, seed, trace));
  std::vector<double> search, cpu, replay, wall, switches;
  for (const json& r : runs) {
    switches.push_back(Field(r, "context_switches_per_1000_nodes"));
    search.push_back(Field(r, "search_cpu_us_per_node"));
    cpu.push_back(Field(r, "cpu_us_per_node"));
    replay.push_back(Field(r, "replay_us_per_node"));
    wall.push_back(Field(r, "wall_us_per_node"));
  }
  json out = runs[0];
  out["runs"] = n;
  out["search_cpu_us_per_node"] = Median(search);
  out["search_cpu_us_per_node_runs"] = search;
  out["cpu_us_per_node"] = Median(cpu);
  out["replay_us_per_node"] = Median(replay);
  out["wall_us_per_node"] = Median(wall);
  out["context_switches_per_1000_nodes"] = Median(switches);
  out["search_cpu_us_per_node_from_minima"] =
      *std::min_element(cpu.begin(), cpu.end()) -
      *std::min_element(replay.begin(), replay.end());
  if (absl::GetFlag(FLAGS_instructions)) {
    const std::string mode = absl::StrCat(sequential ? "seq" : "pipe", trace ? "_trace" : "");
    out["search_instructions_per_node"] = SearchInstructionsPerNode(mode, seed);
  }
  return out;
}

long RssBytes() {
  std::ifstream f("/proc/self/statm");
  long size = 0, resident = 0;
  f >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// Bytes malloc has handed out and not taken back: small and large (mmapped)
// blocks, every arena.
double HeapBytes() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
}

// Wraps a policy and holds the search at its `hold_at`-th query (until
// Release), so a search can be measured while it is open with all but its
// last query done.
class HoldingPolicy : public Policy {
 public:
  HoldingPolicy(Policy* inner, int hold_at, std::atomic<int>* held)
      : inner_(inner), hold_at_(hold_at), held_(held) {}
  std::string Name() const override { return inner_->Name(); }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& q,
                                                 absl::Duration d) override {
    if (++queries_ == hold_at_) {
      ++*held_;
      absl::MutexLock l(&mu_);
      mu_.Await(absl::Condition(&released_));
    }
    return inner_->Propose(q, d);
  }
  void Release() {
    absl::MutexLock l(&mu_);
    released_ = true;
  }

 private:
  Policy* inner_;
  const int hold_at_;
  std::atomic<int>* held_;
  std::atomic<int> queries_{0};
  absl::Mutex mu_;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
};

// Memory per open search: `searches` searches at the default settings (queue
// 32, 300 queries x 32 samples, 2 queries and 2 steps in flight; small
// latencies, no proof reachable) run at once and are each held at their
// 300th (last) model query, so every one is open with its full tree, queue
// and (if on) trace. Once all are held and their in-flight steps have
// drained, the heap in use (malloc's small + mmapped blocks, every arena) and
// the RSS are read; minus the figures before the searches started, divided
// by the number of searches. The final trace JSON, built after the search
// ends, is not part of an open search and is not counted.
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
  const SearchConfig defaults;
  std::atomic<int> held{0};
  std::atomic<int> ended{0};
  std::vector<std::unique_ptr<HoldingPolicy>> holders;
  for (int i = 0; i < searches; ++i) {
    holders.push_back(std::make_unique<HoldingPolicy>(
        &policy, defaults.max_model_queries, &held));
  }
  malloc_trim(0);
  const long rss0 = RssBytes();
  const double heap0 = HeapBytes();
  std::vector<std::thread> threads;
  std::vector<SearchStats> stats(static_cast<size_t>(searches));
  for (int i = 0; i < searches; ++i) {
    threads.emplace_back([&, i] {
      SearchConfig c;  // Defaults: queue 32, 300 queries, 32 samples.
      c.seed = seed + i;
      c.record_trace = trace;
      Theorem t = Thm(60, 100 + i);
      stats[static_cast<size_t>(i)] =
          RunBestFirstSearch(backend, *holders[static_cast<size_t>(i)], t, c,
                             nullptr, nullptr).stats;
      ++ended;
    });
  }
  while (held.load() + ended.load() < searches) absl::SleepFor(absl::Milliseconds(5));
  // Let the steps still in flight finish (steps take 0.2 ms each).
  double heap = 0;
  long rss = 0;
  for (int i = 0; i < 10; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    heap = std::max(heap, HeapBytes());
    rss = std::max(rss, RssBytes());
  }
  for (auto& h : holders) h->Release();
  for (std::thread& t : threads) t.join();
  double nodes = 0;
  for (const SearchStats& s : stats) nodes += s.states_seen;
  return {{"searches", searches},
          {"held_open", held.load()},
          {"trace", trace},
          {"states_per_search", nodes / searches},
          {"rss_bytes_per_search", (rss - rss0) / searches},
          {"heap_bytes_per_search", (heap - heap0) / searches}};
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
  if (!absl::GetFlag(FLAGS_profile_once).empty()) {
    return ProfileOnce(absl::GetFlag(FLAGS_profile_once), seed);
  }
  if (absl::GetFlag(FLAGS_memory_only)) {
    const int searches = absl::GetFlag(FLAGS_memory_searches);
    std::printf("%s\n", MeasureMemory(searches, seed, false).dump().c_str());
    std::printf("%s\n", MeasureMemory(searches, seed, true).dump().c_str());
    return 0;
  }
  if (absl::GetFlag(FLAGS_overhead_only)) {
    for (absl::string_view mode : absl::StrSplit(absl::GetFlag(FLAGS_overhead_modes), ',')) {
      json o = MeasureOverhead(absl::StartsWith(mode, "seq"), seed,
                               absl::EndsWith(mode, "_trace"));
      o["mode"] = std::string(mode);
      std::printf("%s\n", o.dump().c_str());
    }
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
  json pipe_trace_ovh = MeasureOverhead(false, seed, true);
  std::printf("zero-latency search CPU per expanded node (simulator excluded; median of %d "
              "runs / from the minima / callgrind instructions):\n",
              absl::GetFlag(FLAGS_overhead_runs));
  for (const auto& [name, o] : {std::pair<const char*, const json*>{"sequential", &seq_ovh},
                                {"pipelined", &pipe_ovh},
                                {"sequential, trace on", &seq_trace_ovh},
                                {"pipelined, trace on", &pipe_trace_ovh}}) {
    std::printf("  %-22s %5.1f us / %5.1f us / %6.0f instructions; with the simulator "
                "%.1f us CPU, %.1f us wall; %.0f context switches per 1000 nodes\n",
                name, Field(*o, "search_cpu_us_per_node"),
                Field(*o, "search_cpu_us_per_node_from_minima"),
                o->value("search_instructions_per_node", -1.0), Field(*o, "cpu_us_per_node"),
                Field(*o, "wall_us_per_node"), Field(*o, "context_switches_per_1000_nodes"));
  }
  const int searches = absl::GetFlag(FLAGS_memory_searches);
  json mem = MeasureMemory(searches, seed, false);
  json mem_trace = MeasureMemory(searches, seed, true);
  std::printf("memory per open search (%d held open at their last of 300 queries, "
              "default settings): %.0f KiB heap, %.0f KiB RSS; with trace %.0f KiB "
              "heap, %.0f KiB RSS\n",
              searches, mem["heap_bytes_per_search"].get<double>() / 1024,
              mem["rss_bytes_per_search"].get<long>() / 1024.0,
              mem_trace["heap_bytes_per_search"].get<double>() / 1024,
              mem_trace["rss_bytes_per_search"].get<long>() / 1024.0);
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
              {"overhead_pipelined_trace", pipe_trace_ovh},
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
