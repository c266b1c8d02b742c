// `thor prove` sends only the budgets the user set: a server's
// search_defaults apply to the rest, and a flag the user gives wins. Runs the
// real subcommand (RunCli, in this process) against a server with the fake
// prover and reads the configuration the search got (SearchStarted.config).
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/cli.h"
#include "tests/server/server_fixture.h"

namespace thor::testing {
namespace {

// Runs `thor prove ARGS` here; returns the configuration of its
// SearchStarted event (--json output) and sets `code` to the exit code.
v1::SearchConfig ProveAndReadConfig(std::vector<std::string> args, int* code) {
  args.insert(args.begin(), {"thor", "prove"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  // No in-process server here: every call goes to --server.
  RegistryFactory no_local = [](const ServerConfig&) -> absl::StatusOr<std::shared_ptr<Registry>> {
    return absl::InternalError("the test expected no in-process server");
  };
  ::testing::internal::CaptureStdout();
  *code = RunCli(static_cast<int>(argv.size()), argv.data(), no_local);
  const std::string out = ::testing::internal::GetCapturedStdout();
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    v1::SearchEvent event;
    if (google::protobuf::util::JsonStringToMessage(std::string(line), &event).ok() &&
        event.has_started()) {
      return event.started().config();
    }
  }
  ADD_FAILURE() << "no 'started' event in: " << out;
  return {};
}

TEST(ProveDefaultsTest, ServerDefaultsApplyUnlessTheUserSetsTheFlag) {
  absl::FlagSaver saver;
  ServerConfig config;
  config.search_defaults.max_model_queries = 7;
  config.search_defaults.queue_size = 5;
  config.search_defaults.samples_per_query = 3;
  config.search_defaults.temperature = 0.5;
  config.search_defaults.wall_time = absl::Seconds(42);
  config.search_defaults.step_timeout = absl::Seconds(4);
  config.search_defaults.hammer_timeout = absl::Seconds(9);
  FakeProverOptions prover;
  prover.spawn_child = false;
  auto server = TestServer::Start(config, prover);
  ASSERT_NE(server, nullptr);
  const std::vector<std::string> common = {
      absl::StrCat("--server=127.0.0.1:", server->server->port()), "--prover=coq",
      "--statement=Lemma t : True.", "--json"};

  // The user sets no budget: every one is the server's, none the CLI's
  // defaults (300 queries, queue 32, 32 samples, 1.2, 500 s, 10 s, 30 s).
  int code = -1;
  v1::SearchConfig got = ProveAndReadConfig(common, &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(got.max_model_queries(), 7u);
  EXPECT_EQ(got.queue_size(), 5u);
  EXPECT_EQ(got.samples_per_query(), 3u);
  EXPECT_DOUBLE_EQ(got.temperature(), 0.5);
  EXPECT_DOUBLE_EQ(got.wall_time_s(), 42);
  EXPECT_DOUBLE_EQ(got.step_timeout_s(), 4);
  EXPECT_DOUBLE_EQ(got.hammer_timeout_s(), 9);

  // The flags the user gives win, even when they spell the CLI's own
  // defaults; the rest stay the server's. (Run second: Abseil keeps a flag
  // marked as given on the command line for the rest of the process.)
  std::vector<std::string> args = common;
  for (const char* flag : {"--max_queries=5", "--wall_time=30", "--temperature=1.2",
                           "--hammer_timeout=30"}) {
    args.push_back(flag);
  }
  got = ProveAndReadConfig(args, &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(got.max_model_queries(), 5u);
  EXPECT_DOUBLE_EQ(got.wall_time_s(), 30);
  EXPECT_DOUBLE_EQ(got.temperature(), 1.2);
  EXPECT_DOUBLE_EQ(got.hammer_timeout_s(), 30);
  EXPECT_EQ(got.queue_size(), 5u);
  EXPECT_EQ(got.samples_per_query(), 3u);
  EXPECT_DOUBLE_EQ(got.step_timeout_s(), 4);
}

}  // namespace
}  // namespace thor::testing
