#include "tests/eval/eval_testing.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/testing/paths.h"

namespace thor::testing {

// CMake compiles the binaries' paths in (CTest loses all but the first of a
// test's ENVIRONMENT entries when gtest_discover_tests registers it).
#ifndef THOR_TEST_THOR_BIN
#define THOR_TEST_THOR_BIN ""
#endif
#ifndef THOR_TEST_FAKE_SERVER
#define THOR_TEST_FAKE_SERVER ""
#endif
#ifndef THOR_TEST_THOR_SIM
#define THOR_TEST_THOR_SIM ""
#endif

std::string FakeServerBinary() {
  return TestBinary("THOR_FAKE_SERVER", "tests/eval/fake_server", THOR_TEST_FAKE_SERVER);
}

std::string ThorBinary() { return TestBinary("THOR_BIN", "app/thor", THOR_TEST_THOR_BIN); }

std::string ThorSimBinary() {
  return TestBinary("THOR_SIM_BIN", "tests/eval/thor_sim", THOR_TEST_THOR_SIM);
}

absl::StatusOr<ServeProcess> StartSimServe(const std::vector<std::string>& args,
                                           const std::string& sim_json,
                                           const std::string& log_path) {
  std::string bin = ThorSimBinary();
  if (bin.empty()) {
    return absl::NotFoundError(
        "thor_sim binary not found: set THOR_SIM_BIN or run under bazel test");
  }
  // sh execs the server (same pid and process group) with stderr in a file,
  // so a long run never blocks on a full pipe.
  SubprocessOptions opts;
  opts.argv = {"/bin/sh", "-c", "exec \"$@\" 2>>\"$0\"", log_path, bin, "serve",
               "--listen=127.0.0.1:0", "--default_policy=sim"};
  opts.argv.insert(opts.argv.end(), args.begin(), args.end());
  opts.env = {"THOR_SIM=" + sim_json};
  auto proc = Subprocess::Start(opts);
  if (!proc.ok()) return proc.status();
  absl::Status s = (*proc)->ReadUntil(
      [](const std::string& out, const std::string&) { return absl::StrContains(out, "\n"); },
      absl::Now() + absl::Seconds(30));
  ServeProcess out;
  out.log_path = log_path;
  std::string line = (*proc)->ConsumeOut();
  // "thor serve: listening on port N[; metrics on port M]"
  const std::string kPort = "listening on port ", kMetrics = "metrics on port ";
  size_t at = line.find(kPort);
  if (!s.ok() || at == std::string::npos) {
    std::ifstream log(log_path);
    std::stringstream err;
    err << log.rdbuf();
    return absl::UnavailableError(absl::StrCat("thor_sim serve did not start: ", s.message(),
                                               " '", line, "' ", err.str()));
  }
  std::string rest = line.substr(at + kPort.size());
  if (!absl::SimpleAtoi(rest.substr(0, rest.find_first_not_of("0123456789")), &out.port)) {
    return absl::InternalError(absl::StrCat("thor_sim serve said '", line, "'"));
  }
  if (size_t m = line.find(kMetrics); m != std::string::npos) {
    std::string mp = line.substr(m + kMetrics.size());
    if (!absl::SimpleAtoi(mp.substr(0, mp.find_first_not_of("0123456789")), &out.metrics_port)) {
      return absl::InternalError(absl::StrCat("thor_sim serve said '", line, "'"));
    }
  }
  out.process = *std::move(proc);
  return out;
}

void WriteSimSuite(const std::string& path, int n, int depth) {
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) {
    nlohmann::json j = {{"id", absl::StrCat("t", i)},
                        {"prover", "coq"},
                        {"statement", absl::StrCat("sim depth=", depth, " id=", i)}};
    out << j.dump() << "\n";
  }
}

absl::StatusOr<FakeServerProcess> StartFakeServer(const std::vector<std::string>& args) {
  std::string bin = FakeServerBinary();
  if (bin.empty()) {
    return absl::NotFoundError(
        "fake_server binary not found: set THOR_FAKE_SERVER or run under bazel test");
  }
  SubprocessOptions opts;
  opts.argv = {bin};
  opts.argv.insert(opts.argv.end(), args.begin(), args.end());
  auto proc = Subprocess::Start(opts);
  if (!proc.ok()) return proc.status();
  absl::Status s = (*proc)->ReadUntil(
      [](const std::string& out, const std::string&) {
        return absl::StrContains(out, "\n");
      },
      absl::Now() + absl::Seconds(20));
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("fake_server did not start: ", s.message(), " ", (*proc)->err()));
  }
  FakeServerProcess out;
  std::string line = (*proc)->ConsumeOut();
  if (!absl::StartsWith(line, "PORT ") ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(5)), &out.port)) {
    return absl::InternalError(absl::StrCat("fake_server said '", line, "'"));
  }
  out.process = *std::move(proc);
  return out;
}

void WriteSuite(const std::string& path, int n,
                const std::function<std::string(int)>& directive) {
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) {
    nlohmann::json j = {{"id", absl::StrCat("t", i)},
                        {"prover", "coq"},
                        {"statement", absl::StrCat("Lemma t", i, " : True. ",
                                                   directive ? directive(i) : "")}};
    out << j.dump() << "\n";
  }
}

std::vector<nlohmann::json> ReadJsonLines(const std::string& path, size_t* torn,
                                          std::vector<nlohmann::json>* run_records) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  size_t end = text.rfind('\n');
  size_t complete = end == std::string::npos ? 0 : end + 1;
  if (torn != nullptr) *torn = text.size() - complete;
  std::vector<nlohmann::json> out;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text).substr(0, complete), '\n', absl::SkipEmpty())) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.value("record", "") == "run") {
      if (run_records != nullptr) run_records->push_back(std::move(j));
      continue;
    }
    out.push_back(j.is_discarded() ? nlohmann::json() : j);
  }
  return out;
}

}  // namespace thor::testing
