// A real `thor serve` as a child process, and a Prove on it timed event by
// event as the client sees them: for the warm-start tests and
// bench/warm_start.
#ifndef THOR_TESTS_TESTING_SERVE_PROCESS_H_
#define THOR_TESTS_TESTING_SERVE_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/subprocess.h"
#include "proto/thor/v1/thor.grpc.pb.h"

namespace thor::testing {

struct ServeProcess {
  std::unique_ptr<Subprocess> process;
  int port = 0;
  std::unique_ptr<v1::ProofSearch::Stub> stub;
};

// Runs `thor serve --listen=127.0.0.1:0` with `flags` and waits (up to
// `timeout`) for it to print its port. Unavailable with its output if it
// did not.
absl::StatusOr<ServeProcess> StartServe(const std::string& thor,
                                        const std::vector<std::string>& flags,
                                        absl::Duration timeout = absl::Seconds(60));

// The coqtop processes under `root` (not zombies).
std::vector<pid_t> CoqtopsUnder(pid_t root);

// Waits until at least `coqtops` coqtops run under `root` and no process
// under it used any CPU for `quiet` (warm-ups done). False at `timeout`.
bool WaitUntilIdle(pid_t root, int coqtops, absl::Duration quiet, absl::Duration timeout);

// When each kind of event of one Prove reached the client, in seconds from
// the call (-1: never came).
struct ProveTimeline {
  grpc::Status status;
  std::vector<std::string> kinds;   // Every event: "preparing:PHASE", "started", ...
  double first_event_s = -1;
  double started_s = -1;
  double first_step_s = -1;         // The first step's result.
  double hammer_ready_s = -1;       // The "hammer_ready" preparing event.
  double first_hammer_s = -1;       // The first hammer call's result.
  double finished_s = -1;
  v1::ProveResult result;
};

// Streams one Prove and records its timeline.
ProveTimeline TimedProve(v1::ProofSearch::Stub& stub, const v1::ProveRequest& request,
                         absl::Duration timeout);

// The kinds before `started`, joined by " ".
std::string KindsBeforeStarted(const ProveTimeline& t);

}  // namespace thor::testing

#endif  // THOR_TESTS_TESTING_SERVE_PROCESS_H_
