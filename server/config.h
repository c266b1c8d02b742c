// Server configuration: listening, security, admission limits, the clamps on
// per-request budgets, and which provers and policies the server offers.
// Filled from defaults, then a JSON file, then command-line flags.
#ifndef THOR_SERVER_CONFIG_H_
#define THOR_SERVER_CONFIG_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "search/types.h"
#include "sessions/session_limits.h"

namespace thor {

// Upper bounds on what one request may ask for. A request asking for more is
// clamped (not refused); SearchStarted.config reports the values used.
struct BudgetClamps {
  int max_queue_size = 1024;
  int max_model_queries = 2000;
  absl::Duration max_wall_time = absl::Seconds(3600);
  absl::Duration max_step_timeout = absl::Seconds(120);
  absl::Duration max_hammer_timeout = absl::Seconds(300);
  int max_samples_per_query = 128;
  int max_inflight_queries = 16;
  int max_inflight_steps = 16;
  absl::Duration max_check_timeout = absl::Seconds(600);
};

struct AdmissionLimits {
  // Requests running at once (searches, suggestions, hammer calls, checks).
  int max_concurrent = 4;
  // Requests waiting for a slot; one more is refused with RESOURCE_EXHAUSTED.
  int max_queued = 16;
  // The retry hint given with RESOURCE_EXHAUSTED.
  absl::Duration retry_after = absl::Seconds(5);
};

// A policy the configuration defines: {"kind": "openai", ...}. `options`
// holds the whole JSON object as text, for lm_client's factory.
struct PolicySpec {
  std::string kind;     // A name of lm_client's PolicyNames(): "heuristic", ...
  std::string options;  // JSON object text.
};

// A prover the server offers, with bridge-specific options as JSON text
// (keys as the bridge's module documents them).
struct ProverSpec {
  bool enabled = true;
  std::string options;  // JSON object text.
};

struct ServerConfig {
  std::string listen = "127.0.0.1:50051";
  // Prometheus metrics over HTTP ("host:port"); empty disables them.
  std::string metrics_listen;
  // TLS: PEM files; both or neither. Required off loopback unless insecure.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Bearer token clients must send ("authorization: Bearer <token>"); empty
  // means none. Required off loopback unless insecure.
  std::string auth_token;
  bool insecure = false;
  int max_message_bytes = 16 << 20;
  AdmissionLimits admission;
  BudgetClamps clamps;
  // The server's defaults for unset request fields (the paper's by default).
  SearchConfig search_defaults;
  std::string default_policy = "heuristic";
  // Period of SearchProgress events.
  absl::Duration progress_interval = absl::Seconds(1);
  // How long SIGTERM waits for running requests before cancelling them.
  absl::Duration drain_timeout = absl::Seconds(10);
  // The only directory whose files (and subdirectories) a request may name in
  // Theorem.file_path / working_directory ("theorem_file_root" in the JSON,
  // --theorem_file_root). Empty (the default): requests naming a file are
  // refused (PERMISSION_DENIED) and clients send the text as the context.
  std::string theorem_file_root;
  // The premise selectors' proof database ("premise_db", --premise_db): the
  // server's one hammer for SelectPremises and TPTP Hammer calls loads it at
  // start and appends every proof it finds, so k-NN and MeSh rank with what
  // earlier calls (and earlier runs) proved. Empty: learned in memory only,
  // for the life of the process.
  std::string premise_db;
  // Interactive sessions (thor.v1.ProofSession): keys max_sessions,
  // max_states_per_session, max_session_states, max_session_memory_mb,
  // session_idle_timeout_s.
  SessionLimits sessions;
  // Prover processes each prover keeps started ahead of need in `thor
  // serve` (ProverBackend::KeepWarm), so a Prove starts at once. One per
  // prover suits a 2-core machine: each warm Coq process took a core for
  // CoqHammer's warm-up and holds its memory while idle.
  int warm_processes = 1;
  std::map<std::string, PolicySpec> policies;
  std::map<std::string, ProverSpec> provers;
};

// Parses a JSON configuration over the defaults of `base`. Unknown keys and
// wrongly typed values are InvalidArgument naming the key.
absl::StatusOr<ServerConfig> ParseServerConfig(const std::string& json_text,
                                               ServerConfig base = {});

// Reads and parses `path`. NotFound if it cannot be read.
absl::StatusOr<ServerConfig> LoadServerConfig(const std::string& path,
                                              ServerConfig base = {});

// True if `address` ("host:port") only listens on the loopback interface.
bool IsLoopbackAddress(const std::string& address);

// OK if the security settings are consistent: TLS cert and key both or
// neither; a non-loopback listen address has TLS and a token, unless insecure.
absl::Status CheckSecurity(const ServerConfig& config);

}  // namespace thor

#endif  // THOR_SERVER_CONFIG_H_
