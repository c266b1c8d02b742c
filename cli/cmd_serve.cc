// `thor serve`: runs the thor.v1.ProofSearch server until SIGTERM or SIGINT,
// then shuts down gracefully (stop admitting, drain, cancel, kill children).
#include <csignal>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/flag_groups.h"
#include "cli/server_flags.h"
#include "common/subprocess.h"
#include "provers/provers.h"
#include "server/log.h"
#include "server/thor_server.h"

ABSL_FLAG(int, warm_processes, 1,
          "Prover processes each prover keeps started ahead of need (refilled in the "
          "background), so a search starts at once; 0: none. Overrides the config's "
          "warm_processes.");

namespace thor {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int RunServe(const CommandContext& context) {
  if (!context.args.empty()) {
    std::cerr << "thor serve: unexpected argument '" << context.args[0] << "'\n";
    return 2;
  }
  absl::StatusOr<ServerConfig> config = ServerConfigFromFlags();
  if (!config.ok()) {
    std::cerr << "thor serve: " << config.status().message() << "\n";
    return 2;
  }
  if (context.Given(FLAGS_warm_processes)) {
    if (absl::GetFlag(FLAGS_warm_processes) < 0) {
      std::cerr << "thor serve: --warm_processes: must be at least 0\n";
      return 2;
    }
    config->warm_processes = absl::GetFlag(FLAGS_warm_processes);
  }
  absl::StatusOr<std::shared_ptr<Registry>> registry = context.build_registry(*config);
  if (!registry.ok()) {
    std::cerr << "thor serve: " << registry.status().message() << "\n";
    return 2;
  }
  // Warm processes start in the background; requests take them as they
  // become ready.
  for (const std::string& name : (*registry)->BackendNames()) {
    auto backend = (*registry)->Backend(name, "provers");
    if (backend.ok()) (*backend)->KeepWarm(config->warm_processes);
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  auto server = ThorServer::Start(*config, *registry);
  if (!server.ok()) {
    std::cerr << "thor serve: " << server.status().message() << "\n";
    return server.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  std::cout << "thor serve: listening on port " << (*server)->port();
  if ((*server)->metrics_port() != 0) {
    std::cout << "; metrics on port " << (*server)->metrics_port();
  }
  std::cout << std::endl;
  LogEvent("info", "serving",
           {{"listen", config->listen}, {"port", (*server)->port()},
            {"metrics_port", (*server)->metrics_port()},
            {"tls", !config->tls_cert_file.empty()}, {"token", !config->auth_token.empty()},
            {"theorem_file_root", (*server)->service().config().theorem_file_root},
            {"provers", (*registry)->BackendNames()}, {"policies", (*registry)->PolicyNames()}});
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  LogEvent("info", "shutting_down",
           {{"running", (*server)->service().admission().running()},
            {"drain_timeout_s", absl::ToDoubleSeconds(config->drain_timeout)}});
  const bool drained = (*server)->Shutdown(config->drain_timeout);
  server->reset();
  // The backends own the warm processes: stop them before counting.
  registry->reset();
  LogEvent("info", "stopped", {{"drained", drained}, {"children_alive", LiveChildren()}});
  return 0;
}

}  // namespace

Subcommand ServeCommand() {
  return {"serve",
          "thor serve [--listen=HOST:PORT] [--config=FILE] [flags]",
          "Run the gRPC server (thor.v1.ProofSearch and thor.v1.ProofSession).",
          "ProofSearch: proof search, suggestions, the hammer, re-checks. ProofSession:\n"
          "interactive sessions on a tree of proof states. Also grpc.health.v1 and\n"
          "reflection.\n"
          "Listens on loopback by default; any other address needs --tls_cert, --tls_key\n"
          "and a bearer token (--auth_token_file or $THOR_AUTH_TOKEN), or --insecure.\n"
          "Settings come from --config (JSON: listen, metrics_listen, admission, clamps,\n"
          "search_defaults, policies, provers, theorem_file_root, ...) and flags, flags\n"
          "winning. --policy with the model flags (--lm_url, --model, --lm_api_key_file or\n"
          "--lm_api_key_env, --lm_ca_file) defines the default policy without a config\n"
          "file, e.g. --policy=openai --lm_url=http://127.0.0.1:8000/v1 --model=NAME.\n"
          "Requests may name theorem files (Theorem.file_path) only inside\n"
          "theorem_file_root; without one, they send the text as the context.\n"
          "Sessions are bounded by --max_sessions, --max_states_per_session,\n"
          "--max_session_states, --max_session_memory_mb and --session_idle_timeout_s.\n"
          "Each prover keeps --warm_processes processes (config warm_processes, default 1)\n"
          "started ahead of need, so a search finds its prover ready.\n"
          "SIGTERM or SIGINT: stop admitting, let running requests finish for\n"
          "drain_timeout_s (default 10), cancel the rest, kill their children, exit 0.",
          {kServerFlags, __FILE__, kModelFlags},
          ProverServerFlagNames(),
          RunServe};
}

}  // namespace thor
