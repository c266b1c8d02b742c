// The live progress line of `thor eval`.
#ifndef THOR_EVAL_PROGRESS_H_
#define THOR_EVAL_PROGRESS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace thor::eval {

struct ProgressSnapshot {
  int total = 0;          // Theorems in this run (shard, limit applied).
  int done = 0;           // With a result, including ones from earlier runs.
  int solved = 0;         // Solved among `done`.
  int done_this_run = 0;  // Results made by this process.
  int in_flight = 0;
  absl::Duration elapsed;  // Since this process started the run.
};

// "17/244 done | 5 solved (29.4%) | 3.2/min | ETA 1h10m | 4 in flight".
// The rate and ETA count only this run's results ("--" before the first).
std::string FormatProgress(const ProgressSnapshot& s);

// `argv` as one line a POSIX shell runs as it is: each word that holds
// anything but [A-Za-z0-9_./:=,@%+-] in single quotes. For the command that
// resumes an interrupted run.
std::string ShellCommand(const std::vector<std::string>& argv);

// "1h10m", "3m05s", "42s".
std::string HumanDuration(absl::Duration d);

}  // namespace thor::eval

#endif  // THOR_EVAL_PROGRESS_H_
