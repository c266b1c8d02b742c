// bench/context_reuse: how long a session takes to load a coq-stdlib theorem
// (imports, the file's text before the statement, the statement) when the
// theorems come one after another as `thor eval` and bench/coq_suite take
// them, with a process keeping its loaded context for the next theorem of the
// same file (CoqConfig::reuse_context, the default; Coqtop::Park) and without
// (every load replays the file's text from the base state). Both run side by
// side in one process, alternating which goes first theorem by theorem, each
// on its own backend with one coqtop. Each load's first goal is compared
// between the two (Coq's "(ID n)" goal numbers aside): a mismatch is printed
// and counted. Ends with ONE JSON line.
//
//   context_reuse [--selection=heldout] [--sample=60] [--sample_offset=0] [--warm_hammer]
//   context_reuse --selection=classic --consecutive --sample=20 --sample_offset=560
//   context_reuse --selection=classic --consecutive --sample=2 --sample_offset=600 --repeat=5
#include <algorithm>
#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/stdlib_suite.h"

ABSL_FLAG(std::string, selection, "heldout", "classic, wide, heldout or training");
ABSL_FLAG(int, sample, 60, "theorems spread evenly over the selection (0: all)");
ABSL_FLAG(int, sample_offset, 0, "the sample's offset (StdlibSuiteOptions::sample_offset)");
ABSL_FLAG(bool, consecutive, false,
          "--sample consecutive theorems of the selection from --sample_offset on (a user "
          "going through a file) instead of a sample spread evenly");
ABSL_FLAG(int, repeat, 1,
          "load each theorem this many times in a row (as stateless SuggestSteps calls on "
          "one theorem do)");
ABSL_FLAG(bool, warm_hammer, false,
          "processes as bench/coq_suite's: CoqHammer's warm-up (with Arith, List and Bool) "
          "when a process starts");

namespace thor::coq {
namespace {

struct Load {
  double seconds = 0;
  bool ok = false;
  std::string goal;  // The first goal, "(ID n)" removed; the error if !ok.
};

Load LoadOnce(CoqBackend& backend, const Theorem& thm) {
  Load load;
  auto session = backend.NewSession();
  if (!session.ok()) {
    load.goal = std::string(session.status().message());
    return load;
  }
  const absl::Time t0 = absl::Now();
  absl::StatusOr<ProofState> s0 = (*session)->Start(thm, absl::Seconds(120));
  load.seconds = absl::ToDoubleSeconds(absl::Now() - t0);
  load.ok = s0.ok();
  static const std::regex kGoalId(R"( ?\(ID [0-9]+\))");
  load.goal = s0.ok() ? std::regex_replace(s0->text, kGoalId, "")
                      : std::string(s0.status().message());
  return load;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

double Sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

int Main() {
  StdlibSuiteOptions options;
  const std::string selection = absl::GetFlag(FLAGS_selection);
  absl::StatusOr<StdlibSelection> parsed = ParseStdlibSelection(selection);
  if (!parsed.ok()) {
    std::fprintf(stderr, "context_reuse: --selection: %s\n",
                 std::string(parsed.status().message()).c_str());
    return 2;
  }
  options.selection = *parsed;
  const bool consecutive = absl::GetFlag(FLAGS_consecutive);
  const int sample = absl::GetFlag(FLAGS_sample), offset = absl::GetFlag(FLAGS_sample_offset);
  options.sample = consecutive ? 0 : sample;
  options.sample_offset = consecutive ? 0 : offset;
  absl::StatusOr<std::vector<Theorem>> suite = StdlibSuite(options);
  if (!suite.ok()) {
    std::fprintf(stderr, "context_reuse: %s\n", std::string(suite.status().message()).c_str());
    return 1;
  }
  if (consecutive) {
    const size_t begin = std::min(suite->size(), static_cast<size_t>(std::max(0, offset)));
    const size_t end = sample > 0 ? std::min(suite->size(), begin + sample) : suite->size();
    suite->assign(suite->begin() + begin, suite->begin() + end);
  }
  // One process each, no spare; by default no CoqHammer warm-up (loading
  // does not use it; the import after each theorem's context is loaded as
  // usual).
  CoqConfig reuse;
  reuse.warm_hammer = absl::GetFlag(FLAGS_warm_hammer);
  reuse.warmup_imports = "Require Import Arith List Bool.";
  reuse.light_start = false;
  reuse.max_idle_processes = 1;
  reuse.spare_processes = 0;
  CoqConfig whole = reuse;
  whole.reuse_context = false;
  CoqBackend reuse_backend(reuse);
  CoqBackend whole_backend(whole);
  for (CoqBackend* b : {&reuse_backend, &whole_backend}) {
    absl::Status s = b->Prewarm(1, absl::Seconds(600));
    if (!s.ok()) {
      std::fprintf(stderr, "context_reuse: %s\n", std::string(s.message()).c_str());
      return 1;
    }
  }
  std::printf("context_reuse: %s selection, %zu theorems in the sample%s\n", selection.c_str(),
              suite->size(), consecutive ? " (consecutive)" : "");
  std::vector<double> with, without;
  int mismatches = 0, failed_with = 0, failed_without = 0;
  const int repeat = std::max(1, absl::GetFlag(FLAGS_repeat));
  for (size_t k = 0; k < suite->size() * repeat; ++k) {
    const size_t i = k / repeat;
    const Theorem& thm = (*suite)[i];
    Load a, b;  // a: reuse, b: whole.
    if (k % 2 == 0) {
      a = LoadOnce(reuse_backend, thm);
      b = LoadOnce(whole_backend, thm);
    } else {
      b = LoadOnce(whole_backend, thm);
      a = LoadOnce(reuse_backend, thm);
    }
    with.push_back(a.seconds);
    without.push_back(b.seconds);
    failed_with += a.ok ? 0 : 1;
    failed_without += b.ok ? 0 : 1;
    const bool same = a.ok == b.ok && a.goal == b.goal;
    mismatches += same ? 0 : 1;
    std::printf("%3zu %-48s whole %6.3f s  reused %6.3f s%s\n", i + 1, thm.name.c_str(), b.seconds,
                a.seconds, same ? "" : "  MISMATCH");
    if (!same) {
      std::printf("    whole:  %s\n    reused: %s\n", b.goal.substr(0, 300).c_str(),
                  a.goal.substr(0, 300).c_str());
    }
  }
  const double total_with = Sum(with), total_without = Sum(without);
  const double speedup = total_with > 0 ? total_without / total_with : 0;
  std::printf(
      "\nload time over %zu loads: whole %.2f s (median %.3f, p90 %.3f), reused %.2f s "
      "(median %.3f, p90 %.3f): %.2fx; %d loads continued a parked context (%d of them the "
      "whole preamble of the load before); %d goal mismatches; failed loads %d / %d\n",
      with.size(), total_without, Quantile(without, 0.5), Quantile(without, 0.9), total_with,
      Quantile(with, 0.5), Quantile(with, 0.9), speedup, reuse_backend.pool().parked_reuses(),
      reuse_backend.pool().whole_reuses(), mismatches, failed_without, failed_with);
  nlohmann::json j = {{"bench", "context_reuse"},
                      {"selection", selection},
                      {"consecutive", consecutive},
                      {"repeat", repeat},
                      {"warm_hammer", reuse.warm_hammer},
                      {"loads", with.size()},
                      {"whole_total_s", total_without},
                      {"whole_median_s", Quantile(without, 0.5)},
                      {"whole_p90_s", Quantile(without, 0.9)},
                      {"reused_total_s", total_with},
                      {"reused_median_s", Quantile(with, 0.5)},
                      {"reused_p90_s", Quantile(with, 0.9)},
                      {"speedup", speedup},
                      {"parked_reuses", reuse_backend.pool().parked_reuses()},
                      {"whole_reuses", reuse_backend.pool().whole_reuses()},
                      {"goal_mismatches", mismatches},
                      {"failed_whole", failed_without},
                      {"failed_reused", failed_with}};
  std::printf("%s\n", j.dump().c_str());
  return mismatches == 0 ? 0 : 1;
}

}  // namespace
}  // namespace thor::coq

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thor::coq::Main();
}
