#include "server/cli_options.h"

#include <cstdlib>
#include <iostream>

#include <google/protobuf/util/json_util.h>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "provers/provers.h"
#include "server/local_theorem.h"
#include "server/rpc_util.h"
#include "server/security.h"
#include "server/wiring.h"

// Server settings (serve, and the in-process server of prove/suggest/check).
ABSL_FLAG(std::string, config, "", "Server configuration file (JSON); flags override it.");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to listen on; host:0 picks a free port (printed on start). Off loopback, "
          "TLS and a token are required unless --insecure.");
ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics at http://HOST:PORT/metrics; empty: no metrics.");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain of the server (with --tls_key).");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of the server (with --tls_cert).");
ABSL_FLAG(std::string, auth_token_file, "",
          "File whose first line is the bearer token (server: required of clients; client: "
          "sent). Default: $THOR_AUTH_TOKEN.");
ABSL_FLAG(bool, insecure, false, "Allow a non-loopback address without TLS or token.");
ABSL_FLAG(int, max_concurrent, 4, "Requests running at once.");
ABSL_FLAG(int, max_queued, 16, "Requests waiting for a slot before RESOURCE_EXHAUSTED.");
ABSL_FLAG(std::string, default_policy, "heuristic", "Policy for requests that name none.");
ABSL_FLAG(std::string, theorem_file_root, "",
          "The only directory whose files requests may name (Theorem.file_path, "
          "working_directory); empty: requests naming a file are refused. Without --server, "
          "the in-process server gets the folder of --theorem_file / --working_directory.");

// Connection.
ABSL_FLAG(std::string, server, "",
          "host:port of a thor server; empty: run an in-process server.");
ABSL_FLAG(std::string, tls_ca, "", "PEM root certificates: connect with TLS.");
ABSL_FLAG(std::string, tls_server_name, "", "Name expected in the server's certificate.");

// Theorem.
ABSL_FLAG(std::string, prover, thor::kDefaultProver,
          "Prover, a name of provers/provers.cc (an unknown one is answered with the list).");
ABSL_FLAG(std::string, statement, "",
          "The statement, as the prover reads it (e.g. 'Lemma t : forall n : nat, n + 0 = n.').");
ABSL_FLAG(std::string, context, "", "Text before the statement (definitions, lemmas).");
ABSL_FLAG(std::string, context_file, "", "File holding the context.");
ABSL_FLAG(std::string, name, "", "Name of the theorem for logs and results.");
ABSL_FLAG(std::vector<std::string>, imports, {},
          "Libraries to load (the prover's import lines or theory names).");
ABSL_FLAG(std::string, theorem_file, "", "File holding the theorem (a theory or source file).");
ABSL_FLAG(std::string, session, "",
          "Theorem.session: the logic to load, for provers that have sessions (e.g. HOL).");
ABSL_FLAG(std::string, working_directory, "",
          "Theorem.working_directory: the folder the prover works in, for provers that need one.");
ABSL_FLAG(std::vector<std::string>, allowed_axioms, {},
          "Axioms the proof may rest on, fully qualified as the prover's kernel names them; "
          "default none.");

namespace thor {
namespace {

// True if the flag's value differs from its default (then it overrides the
// configuration file).
template <typename T>
bool Given(const absl::Flag<T>& flag) {
  const absl::CommandLineFlag& f = absl::GetFlagReflectionHandle(flag);
  return f.CurrentValue() != f.DefaultValue();
}

}  // namespace

std::vector<std::string> MergeFlagNames(std::vector<std::string> a,
                                        const std::vector<std::string>& b) {
  for (const std::string& name : b) {
    if (std::find(a.begin(), a.end(), name) == a.end()) a.push_back(name);
  }
  return a;
}

absl::StatusOr<std::string> ReadToken(const std::string& file) {
  if (file.empty()) {
    const char* env = std::getenv("THOR_AUTH_TOKEN");
    return std::string(env != nullptr ? env : "");
  }
  absl::StatusOr<std::string> text = ReadTextFile(file);
  if (!text.ok()) return text.status();
  std::string token(absl::StripAsciiWhitespace(text->substr(0, text->find('\n'))));
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat(file, ": empty token"));
  return token;
}

absl::StatusOr<ServerConfig> ServerConfigFromFlags() {
  ServerConfig c;
  if (!absl::GetFlag(FLAGS_config).empty()) {
    absl::StatusOr<ServerConfig> loaded = LoadServerConfig(absl::GetFlag(FLAGS_config));
    if (!loaded.ok()) return loaded.status();
    c = *std::move(loaded);
  }
  if (Given(FLAGS_listen)) c.listen = absl::GetFlag(FLAGS_listen);
  if (Given(FLAGS_metrics_listen)) c.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  if (Given(FLAGS_tls_cert)) c.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  if (Given(FLAGS_tls_key)) c.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  if (Given(FLAGS_insecure)) c.insecure = absl::GetFlag(FLAGS_insecure);
  if (Given(FLAGS_default_policy)) c.default_policy = absl::GetFlag(FLAGS_default_policy);
  if (Given(FLAGS_max_concurrent)) {
    if (absl::GetFlag(FLAGS_max_concurrent) < 1) {
      return absl::InvalidArgumentError("--max_concurrent: must be at least 1");
    }
    c.admission.max_concurrent = absl::GetFlag(FLAGS_max_concurrent);
  }
  if (Given(FLAGS_max_queued)) {
    if (absl::GetFlag(FLAGS_max_queued) < 0) {
      return absl::InvalidArgumentError("--max_queued: must be at least 0");
    }
    c.admission.max_queued = absl::GetFlag(FLAGS_max_queued);
  }
  if (Given(FLAGS_theorem_file_root)) {
    c.theorem_file_root = absl::GetFlag(FLAGS_theorem_file_root);
  }
  for (auto& [prover, options] : ProverOptionsFromFlags()) c.provers[prover].options = options;
  if (Given(FLAGS_auth_token_file) || c.auth_token.empty()) {
    absl::StatusOr<std::string> token = ReadToken(absl::GetFlag(FLAGS_auth_token_file));
    if (!token.ok()) return token.status();
    if (!token->empty()) c.auth_token = *token;
  }
  return c;
}

std::vector<std::string> ServerConfigFlagNames() {
  return MergeFlagNames({"config", "listen", "metrics_listen", "tls_cert", "tls_key",
                         "auth_token_file", "insecure", "max_concurrent", "max_queued",
                         "default_policy", "theorem_file_root"},
                        ProverServerFlagNames());
}

absl::StatusOr<v1::Theorem> TheoremFromFlags() {
  v1::Theorem t;
  t.set_prover(absl::GetFlag(FLAGS_prover));
  t.set_statement(absl::GetFlag(FLAGS_statement));
  t.set_name(absl::GetFlag(FLAGS_name));
  std::string context = absl::GetFlag(FLAGS_context);
  if (!absl::GetFlag(FLAGS_context_file).empty()) {
    absl::StatusOr<std::string> text = ReadTextFile(absl::GetFlag(FLAGS_context_file));
    if (!text.ok()) return text.status();
    context = *text + context;
  }
  t.set_context(context);
  for (const std::string& i : absl::GetFlag(FLAGS_imports)) t.add_imports(i);
  t.set_file_path(absl::GetFlag(FLAGS_theorem_file));
  t.set_session(absl::GetFlag(FLAGS_session));
  t.set_working_directory(absl::GetFlag(FLAGS_working_directory));
  for (const std::string& a : absl::GetFlag(FLAGS_allowed_axioms)) t.add_allowed_axioms(a);
  if (t.statement().empty()) {
    return absl::InvalidArgumentError("--statement: required (the statement to work on)");
  }
  // The user's own file is read here, in the user's process, for provers
  // whose module asks for it; the server (in-process or remote) gets its
  // text, not its path.
  if (absl::Status s = InlineTheoremFile(&t); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("--theorem_file: ", s.message()));
  }
  return t;
}

std::vector<std::string> TheoremFlagNames() {
  return {"prover",       "statement", "context",           "context_file",  "name",
          "imports",      "theorem_file", "session", "working_directory", "allowed_axioms"};
}

std::unique_ptr<grpc::ClientContext> Connection::NewContext(absl::Duration timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  AddBearerToken(context.get(), token);
  if (timeout != absl::InfiniteDuration()) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  }
  return context;
}

absl::StatusOr<Connection> ConnectFromFlags() {
  Connection c;
  absl::StatusOr<std::string> token = ReadToken(absl::GetFlag(FLAGS_auth_token_file));
  if (!token.ok()) return token.status();
  c.token = *token;
  if (!absl::GetFlag(FLAGS_server).empty()) {
    ClientOptions options;
    options.address = absl::GetFlag(FLAGS_server);
    options.tls_ca_file = absl::GetFlag(FLAGS_tls_ca);
    options.tls_server_name = absl::GetFlag(FLAGS_tls_server_name);
    options.auth_token = c.token;
    auto channel = MakeClientChannel(options);
    if (!channel.ok()) return channel.status();
    c.channel = *channel;
    return c;
  }
  absl::StatusOr<ServerConfig> config = ServerConfigFromFlags();
  if (!config.ok()) return config.status();
  config->listen = "";  // In-process only.
  config->auth_token = c.token;
  if (config->theorem_file_root.empty()) {
    // Only this process can call the in-process server, and the paths are
    // the user's own: let it read the folder they name (a theory file and a
    // working directory; a file read on the client by TheoremFromFlags is
    // not named).
    v1::Theorem named;
    if (!ReadsTheoremFileLocally(absl::GetFlag(FLAGS_prover))) {
      named.set_file_path(absl::GetFlag(FLAGS_theorem_file));
    }
    named.set_working_directory(absl::GetFlag(FLAGS_working_directory));
    absl::StatusOr<std::string> root = RootCovering({&named});
    if (!root.ok()) return root.status();
    config->theorem_file_root = *root;
  }
  auto registry = BuildRegistry(*config);
  if (!registry.ok()) return registry.status();
  auto local = ThorServer::Start(*config, *registry);
  if (!local.ok()) return local.status();
  c.local = *std::move(local);
  c.channel = c.local->InProcessChannel();
  return c;
}

std::vector<std::string> ConnectionFlagNames() {
  return MergeFlagNames({"server", "tls_ca", "tls_server_name"}, ServerConfigFlagNames());
}

int ReportRpcError(const std::string& command, const grpc::Status& status) {
  std::cerr << "thor " << command << ": " << GrpcCodeName(status.error_code()) << ": "
            << status.error_message() << "\n";
  return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ? 2 : 1;
}

}  // namespace thor

namespace thor {

std::string CheckedByLine(const google::protobuf::RepeatedPtrField<std::string>& checkers,
                          const google::protobuf::RepeatedPtrField<std::string>& axioms) {
  return absl::StrCat("checked by: ", checkers.empty() ? "nothing" : absl::StrJoin(checkers, ", "),
                      "; rests on: ", axioms.empty() ? "nothing" : absl::StrJoin(axioms, ", "));
}

std::string ToJsonLine(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

}  // namespace thor
