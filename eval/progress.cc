#include "eval/progress.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace thor::eval {

std::string HumanDuration(absl::Duration d) {
  int64_t s = absl::ToInt64Seconds(d);
  if (s < 0) s = 0;
  if (s >= 3600) return absl::StrFormat("%dh%02dm", s / 3600, (s % 3600) / 60);
  if (s >= 60) return absl::StrFormat("%dm%02ds", s / 60, s % 60);
  return absl::StrFormat("%ds", s);
}

std::string ShellCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& word : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !word.empty();
    for (char c : word) {
      plain &= absl::ascii_isalnum(c) || absl::StrContains("_./:=,@%+-", c);
    }
    // In single quotes everything is literal but the quote itself: '\''.
    out += plain ? word : "'" + absl::StrReplaceAll(word, {{"'", "'\\''"}}) + "'";
  }
  return out;
}

std::string FormatProgress(const ProgressSnapshot& s) {
  double rate_pct = s.done > 0 ? 100.0 * s.solved / s.done : 0.0;
  double minutes = absl::ToDoubleMinutes(s.elapsed);
  std::string per_min = "--", eta = "--";
  if (s.done_this_run > 0 && minutes > 0) {
    double rate = s.done_this_run / minutes;
    per_min = absl::StrFormat("%.1f", rate);
    eta = HumanDuration(absl::Minutes(std::max(0, s.total - s.done) / rate));
  }
  return absl::StrFormat("%d/%d done | %d solved (%.1f%%) | %s/min | ETA %s | %d in flight",
                         s.done, s.total, s.solved, rate_pct, per_min, eta, s.in_flight);
}

}  // namespace thor::eval
