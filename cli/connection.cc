#include "cli/connection.h"

#include "absl/flags/flag.h"
#include "cli/flag_groups.h"
#include "cli/local_server.h"
#include "cli/model_flags.h"
#include "cli/server_flags.h"
#include "cli/tls_flags.h"
#include "server/security.h"

ABSL_FLAG(std::string, server, "",
          "host:port of a thor server; empty: run an in-process server.");

namespace thor {

const char* const kConnectionFlags = __FILE__;

std::unique_ptr<grpc::ClientContext> Connection::NewContext(absl::Duration timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  AddBearerToken(context.get(), token);
  if (timeout != absl::InfiniteDuration()) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  }
  return context;
}

absl::StatusOr<Connection> ConnectFromFlags(const RegistryFactory& build_registry,
                                            const v1::Theorem& theorem) {
  Connection c;
  absl::StatusOr<std::string> token = TokenFromFlags();
  if (!token.ok()) return token.status();
  c.token = *token;
  if (!absl::GetFlag(FLAGS_server).empty()) {
    if (absl::Status s = CheckNoModelFlags(); !s.ok()) return s;
    ClientOptions options = ClientTlsFromFlags();
    options.address = absl::GetFlag(FLAGS_server);
    options.auth_token = c.token;
    auto channel = MakeClientChannel(options);
    if (!channel.ok()) return channel.status();
    c.channel = *channel;
    return c;
  }
  // In-process only (no port): only this process can call it.
  absl::StatusOr<ServerConfig> config = LocalServerConfig("", c.token, {&theorem}, nullptr);
  if (!config.ok()) return config.status();
  absl::StatusOr<std::shared_ptr<Registry>> registry = build_registry(*config);
  if (!registry.ok()) return registry.status();
  auto local = ThorServer::Start(*config, *registry);
  if (!local.ok()) return local.status();
  c.local = *std::move(local);
  c.channel = c.local->InProcessChannel();
  return c;
}

}  // namespace thor
