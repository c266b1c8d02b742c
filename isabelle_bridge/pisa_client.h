// A client of one PISA server (proto/pisa/server.proto), with per-call
// deadlines, PISA's raised message-size limits, and typed replies.
#ifndef THOR_ISABELLE_BRIDGE_PISA_CLIENT_H_
#define THOR_ISABELLE_BRIDGE_PISA_CLIENT_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "isabelle_bridge/pisa_protocol.h"
#include "proto/pisa/server.grpc.pb.h"

namespace thor::isabelle {

// PISA's Python client raises gRPC's limits to 100 MB (pisa_client.py).
inline constexpr int kPisaMaxMessageBytes = 10485760 * 10;

// An insecure channel to `address` ("host:port") with the limits above.
std::shared_ptr<grpc::Channel> MakePisaChannel(const std::string& address);

// Thread-compatible for calls (one call at a time, as PISA expects);
// Cancel() may be called from any thread. Every call maps gRPC failures to:
// DeadlineExceeded (the deadline passed), Unavailable (server gone or not
// reachable), Cancelled (Cancel() was called), Internal (PISA raised an
// exception; the message quotes it).
class PisaClient {
 public:
  explicit PisaClient(const std::string& address);

  const std::string& address() const { return address_; }

  // The three set-up RPCs, in PisaEnv.reset's order. Context starts Isabelle
  // on `theory_file` and may take minutes.
  absl::Status InitialiseIsabelle(const std::string& isabelle_home, absl::Time deadline);
  absl::Status WorkingDirectory(const std::string& dir, absl::Time deadline);
  absl::Status Context(const std::string& theory_file, absl::Time deadline);

  // `<proceed after>`: runs the file up to and including the transition
  // whose normalised text equals `statement`; returns the state string.
  // NotFound if PISA returned no proof state (statement not in the file).
  absl::StatusOr<std::string> ProceedAfter(const std::string& statement, absl::Time deadline);
  // `<initialise>`: registers the current state as "default".
  absl::Status Initialise(absl::Time deadline);

  // `<apply to top level state>`; `hammer` marks PISA's hammer keyword.
  absl::StatusOr<ApplyReply> Apply(const std::string& from, const std::string& step,
                                   const std::string& to, bool hammer, absl::Time deadline);
  // `<is finished>`: NotFound if `name` is unknown.
  absl::StatusOr<bool> IsFinished(const std::string& name, absl::Time deadline);
  // `<get state>`: NotFound if `name` is unknown.
  absl::StatusOr<std::string> GetState(const std::string& name, absl::Time deadline);
  absl::Status Clone(const std::string& from, const std::string& to, absl::Time deadline);
  absl::Status Delete(const std::string& name, absl::Time deadline);
  // `exit`: destroys the server's Isabelle process.
  absl::Status Exit(absl::Time deadline);

  // A cheap liveness probe that does not touch Isabelle
  // (IsabelleSetSearchWidth, a stub on every PISA branch).
  absl::Status Ping(absl::Time deadline);

  // Raw IsabelleCommand, for commands this class does not wrap.
  absl::StatusOr<std::string> Command(const std::string& command, absl::Time deadline);

  // Cancels the call in flight, if any. Safe from any thread.
  void Cancel();

 private:
  template <typename Request, typename Reply, typename Method>
  absl::Status Call(Method method, const Request& request, Reply* reply, absl::Time deadline,
                    const char* what);

  std::string address_;
  std::unique_ptr<server::Server::Stub> stub_;
  absl::Mutex mu_;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

// Maps a gRPC status of a PISA call to absl (see PisaClient).
absl::Status FromPisaStatus(const grpc::Status& status, const char* what,
                            const std::string& address);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_PISA_CLIENT_H_
