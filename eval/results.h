// The results file of `thor eval`: JSON Lines, one record per theorem,
// appended and flushed as each result is made, so a run can be killed at any
// moment and resumed. A torn last line (a kill in the middle of a write) is
// detected and cut off when the file is reopened.
#ifndef THOR_EVAL_RESULTS_H_
#define THOR_EVAL_RESULTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace thor::eval {

// One theorem's result. `status` is a thor.v1.SearchStatus name (PROVED,
// EXHAUSTED, ...) or "RPC_<CODE>" when the server refused the call.
struct EvalRecord {
  std::string id;
  std::string suite;
  std::string suite_version;    // e.g. "minif2f-openai"; "" if the suite has one version.
  std::string prover;
  std::string status;
  // status == "PROVED" (the kernel re-checked the proof and it rests on no
  // axiom outside Theorem.allowed_axioms). Derived from `status` when a
  // record is made or read, never taken from a file: a PROVED_UNCHECKED or
  // RECHECK_REJECTED proof is not solved, whatever a record claims.
  bool solved = false;
  bool used_hammer = false;     // Some proof step came from the hammer.
  std::string recheck;          // thor.v1.RecheckVerdict name.
  std::string proof;            // Proof.text.
  std::vector<std::string> proof_steps;
  // What the proof rests on as the kernel reported it (ProveResult.axioms)
  // and the checkers that accepted it (ProveResult.checkers).
  std::vector<std::string> axioms;
  std::vector<std::string> checkers;
  std::string message;
  nlohmann::json stats = nlohmann::json::object();  // thor.v1.SearchStats as JSON.
  double wall_s = 0;            // Client-side time of the call that answered.
  std::string config_hash;
  uint64_t seed = 0;
  std::string search_id;
  std::string server;           // The peer that answered.
  int attempts = 1;             // Calls made (retries after UNAVAILABLE + 1).
};

// The one rule for "solved": a record whose status is PROVED.
bool IsSolvedStatus(const std::string& status);

nlohmann::json RecordToJson(const EvalRecord& record);
// InvalidArgument if a required field (id, status) is missing or mistyped.
absl::StatusOr<EvalRecord> RecordFromJson(const nlohmann::json& j);

// What a results file holds.
struct ResultFileContents {
  std::vector<EvalRecord> records;
  // Bytes after the last newline (a torn write), ignored.
  size_t torn_tail_bytes = 0;
  // Complete lines that did not parse as records, ignored.
  int bad_lines = 0;
  // The run records ({"record": "run", ...}: a run's configuration, written
  // once when `thor eval` starts on the file; eval/run_info.h), in file
  // order. Files written before they existed have none.
  std::vector<nlohmann::json> runs;
};

// Whether a JSON line of a results file is a run record, not a result.
bool IsRunRecord(const nlohmann::json& j);

// Reads a results file without changing it. NotFound if it does not exist.
absl::StatusOr<ResultFileContents> ReadResultFile(const std::string& path);

// The file beside a results file naming the run that holds it.
std::string LockInfoPath(const std::string& results_path);

// A results file open for appending. Thread-safe.
class ResultWriter {
 public:
  // Opens (creating if needed) `path`, locks it, cuts off a torn last line,
  // and loads the records already there. FailedPrecondition if those records
  // were made with another configuration hash than `config_hash` (use
  // another --out), or if another writer (this process or another one) holds
  // the file: the message names it (pid, host, since when) from `path`.lock.
  //
  // The lock is flock(2) on the results file itself, so the kernel drops it
  // when its holder dies however it dies (kill -9 included) and a stale lock
  // never blocks a run; `path`.lock only says who holds it, for the message,
  // and is removed when the writer closes.
  static absl::StatusOr<std::unique_ptr<ResultWriter>> Open(const std::string& path,
                                                            const std::string& config_hash);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // The records the file held when opened (one per id: the first wins).
  const ResultFileContents& existing() const { return existing_; }

  // Appends one record as a single write of one line, then fdatasync. A
  // process killed at any point leaves either the whole line or a torn tail
  // that the next Open removes.
  absl::Status Append(const EvalRecord& record);
  // Appends a run record (IsRunRecord(run) must hold) the same way.
  absl::Status AppendRun(const nlohmann::json& run);

 private:
  absl::Status AppendLine(const nlohmann::json& j);
  ResultWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  const std::string path_;
  bool wrote_holder_ = false;  // `path_`.lock is ours to remove.
  absl::Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_);
  ResultFileContents existing_;
};

}  // namespace thor::eval

#endif  // THOR_EVAL_RESULTS_H_
