// The records `thor extract` writes, one JSON object per line (JSONL), the
// same for every prover: a step record per proof step, a theorem record per
// theorem, and one file record per source file, written last, which marks the
// file as done (a resumed run skips it). The README's "Extracted proof steps"
// section documents the fields.
#ifndef THOR_EXTRACT_RECORDS_H_
#define THOR_EXTRACT_RECORDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "search/prover.h"

namespace thor::extract {

// A proof state as the prover displayed it, and read into goals.
struct StateRecord {
  std::string text;  // Exactly the display a policy's {state} receives.
  std::vector<StructuredGoal> goals;
};

struct StepRecord {
  std::string file;
  std::string theorem;
  int index = 0;        // 0 for the proof's first step.
  int line = 0;         // 1-based line of the step in the file.
  StateRecord before;
  std::string tactic;   // As written in the file (the final '.' included).
  StateRecord after;
  bool finished = false;  // No goal is left after the step.
  // Global constants named in the tactic (fully qualified), in order of
  // first mention.
  std::vector<std::string> constants;
};

struct TheoremRecord {
  std::string file;
  std::string theorem;
  int line = 0;
  std::string statement;     // As written in the file.
  std::string end;           // The sentence that closed the proof: "Qed", "Defined", ...
  int steps = 0;             // Step records written for it.
  // Global constants its proof term (and statement) name, fully qualified.
  std::vector<std::string> dependencies;
};

// A file that could not be traced to its end says so here: `status` is not
// OK and names where it stopped; the records of its theorems finished before
// are kept.
struct FileRecord {
  std::string file;
  absl::Status status;
  int theorems = 0;
  int steps = 0;
  absl::Duration elapsed;
};

struct TheoremTrace {
  TheoremRecord theorem;
  std::vector<StepRecord> steps;
};

// Everything traced from one file; `file.status` is the outcome.
struct FileTrace {
  std::vector<TheoremTrace> theorems;
  FileRecord file;
};

// One JSON line each (no trailing newline); "kind" is "step", "theorem" or
// "file".
std::string ToJsonLine(const StepRecord& r);
std::string ToJsonLine(const TheoremRecord& r);
std::string ToJsonLine(const FileRecord& r);

// The lines of a whole trace: each theorem's record followed by its steps,
// in file order, then the file record; every line ends in '\n'.
std::string ToJsonLines(const FileTrace& trace);

// If `line` is a file record, sets *file and returns true.
bool ParseFileRecord(absl::string_view line, std::string* file);

}  // namespace thor::extract

#endif  // THOR_EXTRACT_RECORDS_H_
