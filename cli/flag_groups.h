// The flags of `thor`'s subcommands, in groups. A group is every flag defined
// in one source file, named by that file's __FILE__; a Subcommand lists the
// files whose flags it accepts (its own and the groups below), and RunCli
// finds the flags there by reflection. So a flag joins a subcommand by being
// defined in a file that subcommand takes, never by a list of names kept by
// hand; a flag several subcommands share lives in a group file of its own.
// The provers' own flags (e.g. a server address, a suite's data folder) are
// defined by their bridges, next to their modules; a subcommand takes them
// by the names the modules list (Subcommand::module_flags, cli.h), so no
// file here names a prover.
#ifndef THOR_CLI_FLAG_GROUPS_H_
#define THOR_CLI_FLAG_GROUPS_H_

#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"

// Groups whose flags a few subcommands read directly; the larger groups
// declare theirs in their own headers (theorem_flags.h, server_flags.h,
// connection.h, tls_flags.h).
ABSL_DECLARE_FLAG(bool, json);                       // json_flag.cc
ABSL_DECLARE_FLAG(std::string, policy);              // model_flags.cc
ABSL_DECLARE_FLAG(double, temperature);              // policy_flags.cc
ABSL_DECLARE_FLAG(double, step_timeout);             // policy_flags.cc
ABSL_DECLARE_FLAG(std::vector<std::string>, steps);  // steps_flag.cc
ABSL_DECLARE_FLAG(double, hammer_timeout);           // hammer_timeout_flag.cc

namespace thor {

extern const char* const kTheoremFlags;        // prove, suggest, check
extern const char* const kServerFlags;         // serve, eval, and in-process servers
extern const char* const kConnectionFlags;     // prove, suggest, check: --server
extern const char* const kTlsFlags;            // prove, suggest, check, eval
extern const char* const kJsonFlag;            // prove, suggest, check, hammer
extern const char* const kPolicyFlags;         // prove, suggest
extern const char* const kModelFlags;          // prove, suggest, serve, eval: --policy, --lm_url, ...
extern const char* const kStepsFlag;           // suggest, check
extern const char* const kHammerTimeoutFlag;   // prove, hammer

// The flags defined in `files`: file by file in the given order, by name
// within a file.
std::vector<const absl::CommandLineFlag*> FlagsDefinedIn(const std::vector<const char*>& files);

}  // namespace thor

#endif  // THOR_CLI_FLAG_GROUPS_H_
