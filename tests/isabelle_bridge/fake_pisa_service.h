// A fake PISA server: package `server`, service `Server`, the exact reply
// strings of PISA's PisaOneStage.scala, driven by a scripted FakeWorld.
// Test-only; runs in-process (StartFakePisa) or as //tests/isabelle_bridge:
// fake_pisa_server.
#ifndef THOR_TESTS_ISABELLE_BRIDGE_FAKE_PISA_SERVICE_H_
#define THOR_TESTS_ISABELLE_BRIDGE_FAKE_PISA_SERVICE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/pisa/server.grpc.pb.h"
#include "tests/isabelle_bridge/fake_pisa_world.h"

namespace thor::isabelle::fake {

class FakePisaService final : public server::Server::Service {
 public:
  explicit FakePisaService(FakeWorld world);

  // What a scripted "die" does; the default exits the process at once.
  void set_die_handler(std::function<void()> handler) { die_ = std::move(handler); }

  // Every IsabelleCommand received, in order.
  std::vector<std::string> commands() const;
  // The session PISA's path rules give for the last IsabelleContext.
  std::string inferred_session() const;
  // Names of the states the server holds.
  std::vector<std::string> state_names() const;

  grpc::Status InitialiseIsabelle(grpc::ServerContext*, const server::IsaPath* request,
                                  server::IsaMessage* reply) override;
  grpc::Status IsabelleWorkingDirectory(grpc::ServerContext*, const server::IsaPath* request,
                                        server::IsaMessage* reply) override;
  grpc::Status IsabelleContext(grpc::ServerContext*, const server::IsaContext* request,
                               server::IsaMessage* reply) override;
  grpc::Status IsabelleCommand(grpc::ServerContext* context, const server::IsaCommand* request,
                               server::IsaState* reply) override;
  grpc::Status IsabelleSetSearchWidth(grpc::ServerContext*, const server::IsaSearchWidth*,
                                      server::IsaMessage* reply) override;
  grpc::Status IsabelleSearchIndexCommand(grpc::ServerContext*,
                                          const server::IsaSearchIndexCommand*,
                                          server::IsaState* reply) override;

 private:
  struct State {
    std::string text;
    int level = 1;
  };
  std::string Apply(grpc::ServerContext* context, const std::string& from,
                    const std::string& action, const std::string& to);
  // Applies a non-hammer step; sets *hang / *die for those outcomes.
  std::string Step(const State& from, const std::string& step, State* out, bool* hang, bool* die)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string Export(const State& from, const std::string& step)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const FakeWorld world_;
  std::function<void()> die_;
  mutable absl::Mutex mu_;
  std::vector<std::string> commands_ ABSL_GUARDED_BY(mu_);
  std::string isa_path_ ABSL_GUARDED_BY(mu_);
  std::string working_dir_ ABSL_GUARDED_BY(mu_);
  std::string file_text_ ABSL_GUARDED_BY(mu_);  // Normalised.
  std::string session_ ABSL_GUARDED_BY(mu_);
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  FakeTheorem theorem_ ABSL_GUARDED_BY(mu_);
  State toplevel_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, State> states_ ABSL_GUARDED_BY(mu_);
  int serial_ ABSL_GUARDED_BY(mu_) = 0;
};

struct RunningFakePisa {
  std::unique_ptr<FakePisaService> service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }
};

// Starts the fake on 127.0.0.1:`port` (0 picks a free port).
absl::StatusOr<RunningFakePisa> StartFakePisa(FakeWorld world, int port = 0);

}  // namespace thor::isabelle::fake

#endif  // THOR_TESTS_ISABELLE_BRIDGE_FAKE_PISA_SERVICE_H_
