// The run record (eval/run_info.h) `thor eval` writes to its results file.
#ifndef THOR_CLI_EVAL_RUN_RECORD_H_
#define THOR_CLI_EVAL_RUN_RECORD_H_

#include <vector>

#include "absl/status/status.h"
#include "eval/results.h"
#include "eval/runner.h"
#include "eval/suite.h"
#include "proto/thor/v1/thor.pb.h"
#include "server/config.h"

namespace thor {

// Appends the run record of this `thor eval` (its flags, `config`,
// `options`, `theorems`) to `writer` unless the file has one already.
// `local_server` is the in-process server's configuration (null for remote
// servers): its policies give the model, its search_defaults the unset
// budget fields.
absl::Status RecordRunIfNew(eval::ResultWriter* writer, const v1::SearchConfig& config,
                            const eval::RunnerOptions& options,
                            const std::vector<eval::SuiteTheorem>& theorems,
                            const ServerConfig* local_server);

}  // namespace thor

#endif  // THOR_CLI_EVAL_RUN_RECORD_H_
