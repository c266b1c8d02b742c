#include "server/thor_server.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/client_paths.h"
#include "server/grpc_server.h"
#include "server/log.h"
#include "server/security.h"

namespace thor {

absl::StatusOr<std::unique_ptr<ThorServer>> ThorServer::Start(
    const ServerConfig& given, std::shared_ptr<const Registry> registry) {
  // A root that does not exist is a configuration error now, not a refusal
  // of every request naming a file later; requests compare against its
  // canonical form.
  ServerConfig config = given;
  absl::StatusOr<std::string> root = CanonicalRoot(config.theorem_file_root);
  if (!root.ok()) return root.status();
  config.theorem_file_root = *root;
  if (!config.listen.empty()) {
    if (absl::Status s = CheckSecurity(config); !s.ok()) return s;
  }
  auto credentials = MakeServerCredentials(config);
  if (!credentials.ok()) return credentials.status();
  std::unique_ptr<ThorServer> s(new ThorServer());
  s->metrics_ = std::make_unique<Metrics>();
  s->service_ = std::make_unique<ProofSearchService>(config, registry, s->metrics_.get());
  if (!config.premise_db.empty()) {
    if (absl::Status db = s->service_->UsePremiseDb(config.premise_db); !db.ok()) {
      return absl::Status(db.code(), absl::StrCat("premise_db: ", db.message()));
    }
  }
  s->sessions_ =
      std::make_unique<ProofSessionService>(config, std::move(registry), s->metrics_.get());
  const Admission* admission = &s->service_->admission();
  s->metrics_->SetGaugeSources([admission] { return admission->running(); },
                               [admission] { return admission->queued(); });
  GrpcServerOptions options;
  options.address = config.listen;
  options.credentials = *credentials;
  options.max_message_bytes = config.max_message_bytes;
  options.health_services = {v1::ProofSearch::service_full_name(),
                             v1::ProofSession::service_full_name()};
  absl::StatusOr<RunningGrpcServer> running =
      StartGrpcServer(options, {s->service_.get(), s->sessions_.get()});
  if (!running.ok()) return running.status();
  s->grpc_ = std::move(running->server);
  s->port_ = running->port;
  if (!config.metrics_listen.empty()) {
    auto http = MetricsHttpServer::Start(config.metrics_listen, s->metrics_.get());
    if (!http.ok()) return http.status();
    s->metrics_http_ = *std::move(http);
  }
  return s;
}

ThorServer::~ThorServer() { Shutdown(absl::ZeroDuration()); }

std::shared_ptr<grpc::Channel> ThorServer::InProcessChannel() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(service_->config().max_message_bytes);
  args.SetMaxSendMessageSize(service_->config().max_message_bytes);
  return grpc_->InProcessChannel(args);
}

bool ThorServer::Shutdown(absl::Duration drain) {
  if (stopped_) return true;
  stopped_ = true;
  // Start() failed before the gRPC server ran (a bad premise_db, a port in
  // use): nothing to drain or stop.
  if (grpc_ == nullptr) return true;
  // Health checks say NOT_SERVING (for "" and each service) while we drain,
  // so that balancers send new calls elsewhere.
  grpc_->GetHealthCheckService()->SetServingStatus(false);
  // Sessions have no natural end to wait for: they are closed at once.
  sessions_->Shutdown();
  const bool drained = service_->Drain(drain, /*grace=*/absl::Seconds(30));
  // Requests still running were cancelled above; give them a moment to send
  // their final events before the transport closes.
  grpc_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc_->Wait();
  metrics_http_.reset();
  return drained;
}

}  // namespace thor
