// A scriptable thor.v1.ProofSearch for testing `thor eval` over real gRPC.
// Outcomes come from directives in the theorem's statement, else from a hash
// of its name:
//   #solve / #fail (EXHAUSTED) / #error (status ERROR) / #hammer (proof step
//   from the hammer) / #sleep=MS / #unavailable (UNAVAILABLE) / #invalid
//   (INVALID_ARGUMENT).
// Latency is simulated by sleeping (so many calls overlap on few cores), and
// `capacity` bounds the searches run at once, as a server's prover pool does.
#ifndef THOR_TESTS_EVAL_FAKE_SERVER_H_
#define THOR_TESTS_EVAL_FAKE_SERVER_H_

#include <atomic>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "proto/thor/v1/thor.grpc.pb.h"

namespace thor::testing {

struct FakeServerOptions {
  std::string name = "fake";   // Prefix of search ids: "<name>-<n>".
  int latency_ms = 0;          // Simulated search time.
  int capacity = 0;            // Searches at once; more wait. 0: unlimited.
  int solve_percent = 50;      // Share solved when no directive says.
  // Called with the 1-based number of each Prove call as it starts.
  std::function<void(int)> on_call;
};

class FakeProofSearch final : public thor::v1::ProofSearch::Service {
 public:
  explicit FakeProofSearch(FakeServerOptions options) : options_(std::move(options)) {}

  grpc::Status Prove(grpc::ServerContext* context, const v1::ProveRequest* request,
                     grpc::ServerWriter<v1::SearchEvent>* writer) override;

  // Prove calls started so far.
  int calls() const { return calls_.load(); }
  // The most searches that ran at once.
  int peak_running() const;

 private:
  const FakeServerOptions options_;
  std::atomic<int> calls_{0};
  mutable absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  int peak_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_EVAL_FAKE_SERVER_H_
