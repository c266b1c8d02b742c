#include "cli/server_flags.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/flag_groups.h"
#include "cli/model_flags.h"
#include "provers/provers.h"
#include "server/security.h"

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
ABSL_FLAG(int, max_sessions, 16,
          "Interactive sessions (thor.v1.ProofSession) open at once, each with its own prover "
          "process; 0 refuses sessions.");
ABSL_FLAG(int, max_states_per_session, 10000, "Proof states one session may hold.");
ABSL_FLAG(int, max_session_states, 200000, "Proof states all sessions together may hold.");
ABSL_FLAG(int, max_session_memory_mb, 64,
          "MiB of proof states (goal text, steps) one session may hold.");
ABSL_FLAG(double, session_idle_timeout_s, 600,
          "A session with no call for this long is closed and its prover ended.");
ABSL_FLAG(std::string, premise_db, "",
          "The premise selectors' proof database: loaded at start, every proof the server's "
          "hammer finds (SelectPremises, TPTP Hammer calls) is appended, so k-NN and MeSh rank "
          "with what earlier calls and runs proved. Empty: learned in memory only.");
ABSL_FLAG(std::string, theorem_file_root, "",
          "The only directory whose files requests may name (Theorem.file_path, "
          "working_directory); empty: requests naming a file are refused. Without --server, "
          "the in-process server gets the folder of --theorem_file / --working_directory.");

namespace thor {

const char* const kServerFlags = __FILE__;

namespace {

// True if the flag's value differs from its default: then it overrides the
// configuration file (a flag given with its default value does not, as
// before flags were grouped).
template <typename T>
bool Given(const absl::Flag<T>& flag) {
  const absl::CommandLineFlag& f = absl::GetFlagReflectionHandle(flag);
  return f.CurrentValue() != f.DefaultValue();
}

}  // namespace

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

absl::StatusOr<std::string> TokenFromFlags() {
  return ReadToken(absl::GetFlag(FLAGS_auth_token_file));
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
  if (Given(FLAGS_max_sessions)) {
    if (absl::GetFlag(FLAGS_max_sessions) < 0) {
      return absl::InvalidArgumentError("--max_sessions: must be at least 0");
    }
    c.sessions.max_sessions = absl::GetFlag(FLAGS_max_sessions);
  }
  if (Given(FLAGS_max_states_per_session)) {
    if (absl::GetFlag(FLAGS_max_states_per_session) < 1) {
      return absl::InvalidArgumentError("--max_states_per_session: must be at least 1");
    }
    c.sessions.max_states_per_session = absl::GetFlag(FLAGS_max_states_per_session);
  }
  if (Given(FLAGS_max_session_states)) {
    if (absl::GetFlag(FLAGS_max_session_states) < 1) {
      return absl::InvalidArgumentError("--max_session_states: must be at least 1");
    }
    c.sessions.max_states = absl::GetFlag(FLAGS_max_session_states);
  }
  if (Given(FLAGS_max_session_memory_mb)) {
    const int mb = absl::GetFlag(FLAGS_max_session_memory_mb);
    if (mb < 1 || mb > (1 << 20)) {
      return absl::InvalidArgumentError(
          "--max_session_memory_mb: must be between 1 and 1048576 (MiB)");
    }
    c.sessions.max_session_bytes = int64_t{mb} << 20;
  }
  if (Given(FLAGS_session_idle_timeout_s)) {
    const double s = absl::GetFlag(FLAGS_session_idle_timeout_s);
    if (!(s > 0) || s > 1e7) {
      return absl::InvalidArgumentError(
          "--session_idle_timeout_s: must be a positive number of seconds");
    }
    c.sessions.idle_timeout = absl::Seconds(s);
  }
  if (Given(FLAGS_premise_db)) c.premise_db = absl::GetFlag(FLAGS_premise_db);
  if (Given(FLAGS_theorem_file_root)) {
    c.theorem_file_root = absl::GetFlag(FLAGS_theorem_file_root);
  }
  // --policy and the model flags: the policy they define is the default.
  const std::string default_policy = c.default_policy;
  if (absl::Status s = ApplyModelFlags(c); !s.ok()) return s;
  if (Given(FLAGS_default_policy) && c.default_policy != default_policy) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--default_policy=", default_policy, " and --policy=", c.default_policy,
        ": give one of them"));
  }
  // The provers' own server flags (defined by their bridges; the names are
  // in each Subcommand's module_flags).
  for (auto& [prover, options] : ProverOptionsFromFlags()) c.provers[prover].options = options;
  if (Given(FLAGS_auth_token_file) || c.auth_token.empty()) {
    absl::StatusOr<std::string> token = ReadToken(absl::GetFlag(FLAGS_auth_token_file));
    if (!token.ok()) return token.status();
    if (!token->empty()) c.auth_token = *token;
  }
  return c;
}

}  // namespace thor
