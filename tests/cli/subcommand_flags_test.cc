// Which flags each subcommand accepts, now that they come from the files it
// names (cli/flag_groups.h) rather than from lists of names: exactly the
// flags `thor` has always accepted there, so users' scripts keep working
// and a flag of one subcommand stays an error in another.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "cli/cli.h"
#include "cli/flag_groups.h"

namespace thor {
namespace {

using Names = std::set<std::string>;

Names Union(std::initializer_list<Names> parts) {
  Names out;
  for (const Names& p : parts) out.insert(p.begin(), p.end());
  return out;
}

TEST(SubcommandFlagsTest, EachSubcommandAcceptsItsFlagsAndNoOthers) {
  const Names server = {"config",         "listen",         "metrics_listen", "tls_cert",
                        "tls_key",        "auth_token_file", "insecure",      "max_concurrent",
                        "max_queued",     "default_policy", "pisa",           "theorem_file_root",
                        "max_sessions",   "max_states_per_session", "max_session_states",
                        "max_session_memory_mb",
                        "session_idle_timeout_s", "premise_db"};
  const Names theorem = {"prover",       "statement",    "context", "context_file",
                         "name",         "imports",      "theorem_file", "session",
                         "working_directory", "allowed_axioms"};
  const Names connection = Union({{"server", "tls_ca", "tls_server_name"}, server});
  // --policy, and the model backend it names (serve: its default policy).
  const Names model = {"policy",          "lm_url",         "model",
                       "lm_api_key_file", "lm_api_key_env", "lm_ca_file", "knn_model"};
  const std::map<std::string, Names> want = {
      {"serve", Union({server, model, {"warm_processes"}})},
      {"prove", Union({theorem, connection, model,
                       {"wall_time", "max_queries", "queue_size", "samples",
                        "temperature", "step_timeout", "hammer_timeout", "sequential",
                        "search_seed", "reproducible", "skip_recheck", "trace", "json"}})},
      {"suggest", Union({theorem, connection, model,
                         {"steps", "n", "temperature", "try_steps", "step_timeout",
                          "json"}})},
      {"hammer", {"json", "hammer_timeout", "provers", "max_premises", "minimize",
                  "parallelism", "schedule", "deps"}},
      {"check", Union({theorem, connection, {"steps", "proof_file", "check_timeout", "json"}})},
      {"eval", Union({server, model,
                      {"suite", "minif2f_dir", "minif2f_version", "pisa_dir", "afp_dir",
                       "jsonl_prover", "servers", "concurrency", "budget", "out", "shard",
                       "limit", "seed", "max_attempts", "progress", "progress_every_s",
                       "compare", "plots", "plot_dir", "png", "log_time", "format", "tls_ca",
                       "tls_server_name"}})},
      {"extract", {"prover", "out", "jobs", "coq_project", "coq_file_timeout", "coq_constants"}},
      {"train", {"in", "out", "hold_out", "own_file_only"}},
  };
  std::set<std::string> seen;
  for (const Subcommand& c : AllSubcommands()) {
    seen.insert(c.name);
    ASSERT_TRUE(want.count(c.name)) << "a new subcommand: " << c.name;
    Names got;
    for (const absl::CommandLineFlag* f : FlagsOf(c)) {
      EXPECT_TRUE(got.insert(std::string(f->Name())).second) << c.name << ": --" << f->Name() << " twice";
    }
    EXPECT_EQ(got, want.at(c.name)) << c.name;
  }
  EXPECT_EQ(seen.size(), want.size());
}

}  // namespace
}  // namespace thor
