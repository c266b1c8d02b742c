// Helpers for the eval tests: built binaries, fake servers as processes,
// suites and result files on disk.
#ifndef THOR_TESTS_EVAL_EVAL_TESTING_H_
#define THOR_TESTS_EVAL_EVAL_TESTING_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "common/subprocess.h"

namespace thor::testing {

// The fake server binary (THOR_FAKE_SERVER), `thor` (THOR_BIN) and `thor`
// with the simulated prover (THOR_SIM_BIN, tests/eval/thor_sim_main.cc).
std::string FakeServerBinary();
std::string ThorBinary();
std::string ThorSimBinary();

struct FakeServerProcess {
  std::unique_ptr<Subprocess> process;
  int port = 0;
};

// Starts tests/eval/fake_server with `args` and waits for its "PORT n" line.
absl::StatusOr<FakeServerProcess> StartFakeServer(const std::vector<std::string>& args);

// A real `thor_sim serve` process on an ephemeral loopback port (its own
// process group: Subprocess kills the group), its stderr (JSON logs) going to
// `log_path`.
struct ServeProcess {
  std::unique_ptr<Subprocess> process;
  int port = 0;
  int metrics_port = 0;  // 0 unless started with --metrics_listen.
  std::string log_path;
};

// Starts `thor_sim serve --listen=127.0.0.1:0 --default_policy=sim <args>`
// with $THOR_SIM = `sim_json` (latencies, see thor_sim_main.cc) and waits for
// its "listening on port" line.
absl::StatusOr<ServeProcess> StartSimServe(const std::vector<std::string>& args,
                                           const std::string& sim_json,
                                           const std::string& log_path);

// Writes a JSONL suite of `n` simulated theorems "t<i>" (statement
// "sim depth=<depth> id=<i>", prover "coq" = the simulated one in thor_sim).
void WriteSimSuite(const std::string& path, int n, int depth);

// Writes a JSONL suite of `n` coq theorems "t<i>" to `path`; theorem i gets
// the statement directives of `directive(i)`.
void WriteSuite(const std::string& path, int n,
                const std::function<std::string(int)>& directive = nullptr);

// The JSON objects of a JSONL file's complete lines; a line that does not
// parse becomes a null value. Run records ({"record": "run", ...}: the
// configuration line of a results file) are not among them but go to
// `run_records` (if given). `torn` (if given) gets the bytes after the last
// newline.
std::vector<nlohmann::json> ReadJsonLines(const std::string& path, size_t* torn = nullptr,
                                          std::vector<nlohmann::json>* run_records = nullptr);

}  // namespace thor::testing

#endif  // THOR_TESTS_EVAL_EVAL_TESTING_H_
