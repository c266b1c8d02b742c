// bench/hammer_mptp: the hammer against single provers on a seeded sample of
// the MPTP2078 subset (bushy500 and chainy500), one wall budget per problem.
//
// Per problem and version it runs, side by side: each installed single
// prover alone on all premises with the whole budget (two at a time, one core
// each), E with its own SInE (`--auto` = -xAuto -tAuto --sine=Auto, the same
// run as "E alone"), and the hammer portfolio with premise selection (both
// cores). It prints solved counts, the virtual best single prover, the ratios
// portfolio / E-alone and portfolio / virtual best, chainy / bushy, and the
// overhead share, and ends with one JSON line.
//
// k-NN honesty: it learns from MPTP's `atpproved` dependencies and from the
// proofs this run finds, but never from the proof of the problem being
// solved (leave-one-out by goal name); bushy and chainy use separate hammers.
//
// Schedule honesty: the default schedule was picked on the 24-problem seed-1
// sample. `--exclude_seed=1 --seed=S` draws the sample from the problems not
// in that one (a disjoint, held-out set); the split is printed and put in the
// JSON line.
//
// Overhead = the portfolio's wall time (from before reading the file to the
// answer) minus the busiest worker's time inside prover processes (spawn to
// reap, including the kill of a slice that lost); it is split into reading
// (parse + preparing the problem), selection, and the rest (writing each
// slice's input, parsing prover output, scheduling, waiting). One Hammer
// serves every problem of a version, as a long-running server would, so an
// include file is parsed by the first problem that includes it and then
// taken from the hammer's include cache (the singles' reads use no cache);
// --noinclude_cache measures every problem cold, as one `thor hammer` run is.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "hammer/atp.h"
#include "hammer/hammer.h"
#include "tests/testing/paths.h"

ABSL_FLAG(int, sample, 36, "Problems in the seeded sample (of the 500).");
ABSL_FLAG(uint64_t, seed, 1, "Sample seed.");
ABSL_FLAG(double, budget, 10, "Wall budget per problem and configuration, seconds.");
ABSL_FLAG(std::string, mptp, "", "MPTP folder (default: $THOR_BENCHMARKS_DIR/mptp2078, else "
          "../shared/benchmarks/mptp2078 next to the source tree).");
ABSL_FLAG(std::string, schedule, "", "Hammer schedule JSON (default: built-in).");
ABSL_FLAG(std::string, singles, "e,cvc5,cvc4,spass,z3", "Single provers to compare.");
ABSL_FLAG(int64_t, exclude_seed, -1,
          "Held-out evaluation: leave out the problems of the seed-N sample of size "
          "--exclude_sample (the sample a schedule was tuned on) and draw --sample "
          "from the rest. -1 = no exclusion.");
ABSL_FLAG(int, exclude_sample, 24, "Size of the excluded (tuning) sample.");
ABSL_FLAG(bool, include_cache, true,
          "Let the hammer keep parsed include files across problems (--noinclude_cache: "
          "every problem parses its includes, as a one-shot `thor hammer` does).");

namespace {

using thor::hammer::AtpOutcome;
using thor::hammer::AtpStatus;
using thor::hammer::Prover;

struct Tally {
  std::map<std::string, int> solved;  // config -> count
  int virtual_best = 0;
  double portfolio_elapsed = 0, portfolio_overhead = 0;
  double portfolio_read = 0, portfolio_select = 0;  // Parts of the overhead.
  std::vector<std::string> portfolio_solved;
};

// The MPTP folder under the shared benchmarks, found as the tests find it
// ($THOR_BENCHMARKS_DIR, else ../shared/benchmarks next to the source tree).
std::string DefaultMptp() {
  const std::string bench = thor::testing::BenchmarksDir();
  if (bench.empty()) return "";
  const std::string p = bench + "/mptp2078";
  return std::filesystem::exists(p + "/subset500.txt") ? p : "";
}

// The seeded sample of `n` problems (with both versions), drawn from those
// not in `exclude`.
std::vector<std::string> Sample(const std::string& mptp, int n, uint64_t seed,
                                const std::vector<std::string>& exclude = {}) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(mptp + "/bushy500")) {
    std::string f = e.path().filename().string();
    if (std::filesystem::exists(mptp + "/chainy500/" + f) &&
        std::find(exclude.begin(), exclude.end(), f) == exclude.end()) {
      names.push_back(f);
    }
  }
  std::sort(names.begin(), names.end());
  std::mt19937_64 rng(seed);
  std::shuffle(names.begin(), names.end(), rng);
  if (n < static_cast<int>(names.size())) names.resize(n);
  std::sort(names.begin(), names.end());
  return names;
}

// Runs the single provers two at a time; returns prover -> proved.
std::map<std::string, bool> RunSingles(const thor::hammer::Problem& problem,
                                       const std::vector<Prover>& provers,
                                       absl::Duration budget) {
  std::vector<int> all = problem.PremiseIndices();
  std::map<std::string, bool> out;
  std::mutex mu;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < provers.size();) {
      AtpOutcome r = thor::hammer::RunAtp(provers[i], problem, all, budget, {}, nullptr);
      std::lock_guard<std::mutex> lock(mu);
      out[thor::hammer::ProverName(provers[i])] = r.status == AtpStatus::kProved;
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string mptp = absl::GetFlag(FLAGS_mptp).empty() ? DefaultMptp() : absl::GetFlag(FLAGS_mptp);
  if (mptp.empty()) {
    std::cerr << "hammer_mptp: MPTP folder not found; pass --mptp, set THOR_BENCHMARKS_DIR, "
                 "or run from the source tree\n";
    return 2;
  }
  const absl::Duration budget = absl::Seconds(absl::GetFlag(FLAGS_budget));
  std::vector<Prover> singles;
  for (const auto& name : absl::StrSplit(absl::GetFlag(FLAGS_singles), ',', absl::SkipEmpty())) {
    auto p = thor::hammer::ProverFromName(std::string(name));
    if (!p.ok() || !thor::hammer::ProverInstalled(*p)) {
      std::cerr << "hammer_mptp: prover " << name << " unavailable: "
                << thor::hammer::ProverAvailabilityReport() << "\n";
      return 2;
    }
    singles.push_back(*p);
  }
  const int64_t exclude_seed = absl::GetFlag(FLAGS_exclude_seed);
  std::vector<std::string> excluded;
  if (exclude_seed >= 0) {
    excluded = Sample(mptp, absl::GetFlag(FLAGS_exclude_sample), exclude_seed);
  }
  std::vector<std::string> names =
      Sample(mptp, absl::GetFlag(FLAGS_sample), absl::GetFlag(FLAGS_seed), excluded);
  const std::string split =
      exclude_seed >= 0
          ? absl::StrFormat("held out: drawn from the problems not in the %d-problem seed-%d "
                            "sample (the tuning sample)",
                            excluded.size(), exclude_seed)
          : std::string("no held-out split: the default schedule was tuned on the "
                        "24-problem seed-1 sample");
  std::cout << absl::StrFormat(
      "hammer_mptp: %d problems (seed %d) of %s, budget %.0f s, %d cores\n"
      "split: %s\n"
      "k-NN: trained on atpproved + this run's proofs, leave-one-out (a problem's own proof "
      "is never used)\n",
      names.size(), absl::GetFlag(FLAGS_seed), mptp, absl::ToDoubleSeconds(budget),
      std::thread::hardware_concurrency(), split);

  std::map<std::string, Tally> tallies;
  for (const std::string version : {"bushy500", "chainy500"}) {
    thor::hammer::HammerOptions options;
    options.timeout = budget;
    options.minimize = false;  // Solved counts; minimisation is extra time.
    options.schedule_path = absl::GetFlag(FLAGS_schedule);
    options.cache_includes = absl::GetFlag(FLAGS_include_cache);
    thor::hammer::Hammer hammer(options);
    if (auto s = hammer.LoadDependencies(mptp + "/atpproved"); !s.ok()) {
      std::cerr << "hammer_mptp: " << s.message() << "\n";
      return 2;
    }
    Tally& t = tallies[version];
    for (const std::string& name : names) {
      std::string path = mptp + "/" + version + "/" + name;
      auto problem = thor::hammer::ReadProblemFile(path);
      if (!problem.ok()) {
        std::cerr << path << ": " << problem.status().message() << "\n";
        continue;
      }
      thor::hammer::Problem normalised = *problem;
      thor::hammer::NormaliseNumerals(normalised);
      std::map<std::string, bool> single = RunSingles(normalised, singles, budget);
      absl::StatusOr<thor::hammer::HammerResult> r = hammer.SolveFile(path);
      bool any = false;
      std::string line;
      for (const auto& [prover, ok] : single) {
        t.solved[prover] += ok;
        any |= ok;
        line += absl::StrFormat(" %s=%d", prover, ok);
      }
      t.virtual_best += any;
      bool won = r.ok() && r->status == AtpStatus::kProved;
      t.solved["portfolio"] += won;
      if (r.ok()) {
        t.portfolio_elapsed += absl::ToDoubleSeconds(r->elapsed);
        t.portfolio_overhead += absl::ToDoubleSeconds(r->overhead);
        t.portfolio_read += absl::ToDoubleSeconds(r->read_time);
        t.portfolio_select += absl::ToDoubleSeconds(r->select_time);
      }
      if (won) t.portfolio_solved.push_back(name);
      std::cout << absl::StrFormat("%-9s %-40s%s portfolio=%d %s %.2fs (overhead %.3fs)\n",
                                   version, name, line, won,
                                   won ? r->slice : (r.ok() ? r->szs_status : "error"),
                                   r.ok() ? absl::ToDoubleSeconds(r->elapsed) : 0.0,
                                   r.ok() ? absl::ToDoubleSeconds(r->overhead) : 0.0)
                << std::flush;
    }
  }

  nlohmann::json j;
  j["bench"] = "hammer_mptp";
  j["problems"] = names.size();
  j["seed"] = absl::GetFlag(FLAGS_seed);
  j["split"] = split;
  if (exclude_seed >= 0) {
    j["exclude_seed"] = exclude_seed;
    j["exclude_sample"] = excluded.size();
  }
  j["budget_s"] = absl::ToDoubleSeconds(budget);
  j["knn_training"] = "atpproved + run proofs, leave-one-out";
  j["include_cache"] = absl::GetFlag(FLAGS_include_cache);
  std::cout << "\n";
  for (auto& entry : tallies) {
    // Named, not a structured binding: the lambda below captures `t`.
    const auto& version = entry.first;
    auto& t = entry.second;
    int port = t.solved["portfolio"], e = t.solved["e"];
    std::cout << version << ":";
    for (const auto& [config, n] : t.solved) std::cout << " " << config << "=" << n;
    double vs_e = e > 0 ? static_cast<double>(port) / e : 0;
    double vs_vb = t.virtual_best > 0 ? static_cast<double>(port) / t.virtual_best : 0;
    auto share = [&](double part) {
      return t.portfolio_elapsed > 0 ? part / t.portfolio_elapsed : 0;
    };
    double overhead = share(t.portfolio_overhead);
    std::cout << absl::StrFormat(
        " virtual_best=%d | portfolio/E-alone=%.2f portfolio/virtual-best=%.2f "
        "overhead=%.2f%% (read %.2f%%, select %.2f%%, rest %.2f%%)\n",
        t.virtual_best, vs_e, vs_vb, 100 * overhead, 100 * share(t.portfolio_read),
        100 * share(t.portfolio_select),
        100 * share(t.portfolio_overhead - t.portfolio_read - t.portfolio_select));
    std::string v = version.substr(0, version.size() - 3);
    for (const auto& [config, n] : t.solved) j[v]["solved"][config] = n;
    j[v]["virtual_best"] = t.virtual_best;
    j[v]["portfolio_over_e"] = vs_e;
    j[v]["portfolio_over_virtual_best"] = vs_vb;
    j[v]["overhead_share"] = overhead;
    j[v]["overhead_read_share"] = share(t.portfolio_read);
    j[v]["overhead_select_share"] = share(t.portfolio_select);
  }
  int bushy = tallies["bushy500"].solved["portfolio"];
  int chainy = tallies["chainy500"].solved["portfolio"];
  double ratio = bushy > 0 ? static_cast<double>(chainy) / bushy : 0;
  std::cout << absl::StrFormat("chainy portfolio / bushy portfolio = %.2f (target >= 0.60)\n",
                               ratio);
  j["chainy_over_bushy"] = ratio;
  std::cout << j.dump() << std::endl;
  return 0;
}
