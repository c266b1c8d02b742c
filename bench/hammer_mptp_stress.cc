// bench/hammer_mptp_stress: N hammer calls in a row (default 1,000) on
// problems that time out (Robbins, and a chainy MPTP problem no prover solves
// quickly), each with a short budget. Checks the process table after every
// 100 calls and at the end: zero ATP processes may be left, and the resident
// memory must stay flat. Ends with one JSON line.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "hammer/hammer.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

ABSL_FLAG(int, calls, 1000, "Hammer calls to make.");
ABSL_FLAG(double, timeout, 0.3, "Budget per call, seconds.");

namespace {

long RssKb() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, rss = 0;
  in >> pages >> rss;
  return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

int AtpsLeft() {
  int n = 0;
  for (const auto& p : thor::testing::Descendants(getpid())) {
    (void)p;
    ++n;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string src = thor::testing::SourceDir();
  std::string bench = thor::testing::BenchmarksDir();
  if (src.empty()) src = ".";
  std::vector<std::string> paths = {src + "/tests/hammer/data/p4_hard.p"};
  if (!bench.empty()) paths.push_back(bench + "/mptp2078/chainy500/filter_1__t61_filter_1.p");
  std::vector<thor::hammer::Problem> problems;
  for (const auto& p : paths) {
    auto problem = thor::hammer::ReadProblemFile(p);
    if (!problem.ok()) {
      std::cerr << "hammer_mptp_stress: " << problem.status().message()
                << " (run from the repository root or set THOR_SOURCE_DIR)\n";
      return 2;
    }
    problems.push_back(*problem);
  }
  thor::hammer::HammerOptions options;
  options.timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout));
  thor::hammer::Hammer hammer(options);
  const int calls = absl::GetFlag(FLAGS_calls);
  long rss_start = 0, rss_peak = 0;
  int proved = 0, errors = 0, worst_left = 0;
  absl::Duration worst = absl::ZeroDuration();
  absl::Time start = absl::Now();
  for (int i = 0; i < calls; ++i) {
    absl::Time t0 = absl::Now();
    auto r = hammer.Solve(problems[i % problems.size()]);
    worst = std::max(worst, absl::Now() - t0);
    if (!r.ok()) ++errors;
    else proved += r->status == thor::hammer::AtpStatus::kProved;
    if (i == 49) rss_start = RssKb();
    rss_peak = std::max(rss_peak, RssKb());
    if ((i + 1) % 100 == 0) {
      int left = AtpsLeft();
      worst_left = std::max(worst_left, left);
      std::cout << absl::StrFormat("%5d calls: %d processes left, rss %ld KiB\n", i + 1, left,
                                   RssKb())
                << std::flush;
    }
  }
  absl::Duration total = absl::Now() - start;
  std::string left = thor::testing::LeftoverChildren(3000);
  long rss_end = RssKb();
  std::cout << absl::StrFormat(
      "%d calls of %.2f s in %.1f s (worst call %.2f s); proved %d, errors %d; "
      "leftover processes at end: %s; rss after 50 calls %ld KiB, end %ld KiB, peak %ld KiB\n",
      calls, absl::ToDoubleSeconds(options.timeout), absl::ToDoubleSeconds(total),
      absl::ToDoubleSeconds(worst), proved, errors, left.empty() ? "none" : left.c_str(),
      rss_start, rss_end, rss_peak);
  nlohmann::json j = {{"bench", "hammer_mptp_stress"},
                      {"calls", calls},
                      {"timeout_s", absl::ToDoubleSeconds(options.timeout)},
                      {"total_s", absl::ToDoubleSeconds(total)},
                      {"worst_call_s", absl::ToDoubleSeconds(worst)},
                      {"proved", proved},
                      {"errors", errors},
                      {"max_left_at_checkpoints", worst_left},
                      {"left_at_end", left.empty() ? 0 : 1},
                      {"live_children", thor::LiveChildren()},
                      {"rss_kib_after_50", rss_start},
                      {"rss_kib_end", rss_end},
                      {"rss_growth_kib", rss_end - rss_start}};
  std::cout << j.dump() << std::endl;
  return left.empty() && errors == 0 && proved == 0 ? 0 : 1;
}
