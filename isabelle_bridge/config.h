// Configuration of the Isabelle bridge: a struct with PISA's and Thor's
// defaults, and a parser from flag-like "key=value" settings so the CLI
// (`thor prove --prover isabelle --pisa host:port`, `thor eval`) can pass
// its flags through unchanged.
#ifndef THOR_ISABELLE_BRIDGE_CONFIG_H_
#define THOR_ISABELLE_BRIDGE_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hammer/mode.h"
#include "isabelle_bridge/pisa_pool.h"
#include "isabelle_bridge/pisa_protocol.h"

namespace thor::isabelle {

// Native: Sledgehammer inside Isabelle (PISA's normalhammer / sledgehammer).
// External: Sledgehammer's TPTP export solved by Thor's hammer/ portfolio.
// (kBoth is not supported here: ParseIsabelleSettings rejects it.)
using hammer::HammerMode;

struct ExternalHammerConfig {
  // Sledgehammer export parameters (sledgehammer_export.md §0).
  std::string export_prover = "dummy_tfx";
  std::string type_enc = "mono_native";
  std::string lam_trans = "lifting";
  int max_facts = 256;
  // Where Isabelle writes problem files; must be visible to both PISA and
  // Thor (the same machine or a shared file system). Default: a temp dir.
  std::string problem_dir;
  // Portfolio provers (hammer/ names); empty: the portfolio's default.
  std::vector<std::string> provers;
  // Time limit of each reconstruction attempt (metis, smt, ...).
  absl::Duration replay_timeout = absl::Seconds(5);
};

struct IsabelleServerConfig {
  // A running `isabelle server`: host:port and its password.
  std::string address;
  std::string password;
  // Or the command that starts one (e.g. {"isabelle", "server", "-n", "thor"});
  // Thor reads its `server "NAME" = HOST:PORT (password "PW")` line.
  std::vector<std::string> command;
  std::vector<std::string> dirs;  // session_start "dirs" (e.g. <afp>/thys).
};

struct IsabelleConfig {
  PisaPoolConfig pool;
  PisaVersion version = PisaVersion::kIsabelle2022;
  std::string isabelle_home;  // InitialiseIsabelle's path, e.g. /opt/Isabelle2022.
  std::string afp_dir;        // A local AFP (contains thys/); optional.
  std::string staging_dir;    // Theory files Thor writes; default a temp dir.
  std::string default_session = "HOL";  // For theorems that name none.
  // Limits: PISA's own per-step limit is 10 s and its hammer's 40 s; the
  // client adds `rpc_grace` before it declares a server hung. They become
  // deadlines of gRPC calls and socket polls, which keep the real clock
  // (absl::Now, not an Env's).
  absl::Duration rpc_grace = absl::Seconds(5);
  absl::Duration startup_timeout = absl::Minutes(5);  // IsabelleContext loads heaps.
  absl::Duration acquire_timeout = absl::Minutes(10);
  absl::Duration replay_step_timeout = absl::Seconds(10);
  absl::Duration native_hammer_timeout = absl::Seconds(40);  // PISA's Scala Await.
  // The hammer.
  HammerMode hammer = HammerMode::kNative;
  bool heuristics_first = false;  // DSP: try cheap methods before Sledgehammer.
  std::vector<std::string> heuristics = {
      "by auto",       "by simp", "by blast", "by fastforce", "by force",
      "by eval",       "by presburger", "by sos", "by arith", "by linarith",
      "by (auto simp: field_simps)"};
  absl::Duration heuristic_timeout = absl::Seconds(10);
  ExternalHammerConfig external;
  IsabelleServerConfig recheck;
};

// Builds a configuration from settings named like the CLI flags, without
// the leading dashes:
//   pisa=host:port[,host:port...]   connect to running PISA servers ('_' reads as '-')
//   pisa-jar=PATH, pisa-servers=N, pisa-base-port=P, pisa-command="cmd {port} ..."
//   pisa-version=2021|2022, isabelle-home=DIR, afp-dir=DIR, staging-dir=DIR,
//   session=NAME, hammer=native|external, hammer-heuristics=true|false,
//   hammer-provers=e,cvc5,..., hammer-timeout=40s, problem-dir=DIR,
//   rpc-grace=5s, startup-timeout=300s, isabelle-server=host:port,
//   isabelle-server-password=PW, isabelle-server-command="isabelle server -n thor",
//   isabelle-server-dirs=D1,D2
// InvalidArgument names an unknown key or a bad value.
absl::StatusOr<IsabelleConfig> ParseIsabelleSettings(
    const std::map<std::string, std::string>& settings);

// The same settings as a JSON object text (the server's per-prover
// "options"), e.g. {"pisa": "127.0.0.1:8000", "pisa_servers": 2}: values may
// be strings, numbers or booleans; '_' in keys reads as '-'. "" means none.
absl::StatusOr<IsabelleConfig> ParseIsabelleSettingsJson(const std::string& json_text);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_CONFIG_H_
