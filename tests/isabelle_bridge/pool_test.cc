// PisaServerPool launching the standalone fake PISA server: readiness, a
// server that dies mid-search (prover lost, replaced), one that hangs
// (deadline, restart), health-check restarts, and no process left behind.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "isabelle_bridge/backend.h"
#include "tests/isabelle_bridge/test_world.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

#ifndef FAKE_PISA_SERVER
#define FAKE_PISA_SERVER ""
#endif

namespace thor::isabelle {
namespace {

std::string FakeBinary() {
  return thor::testing::TestBinary("FAKE_PISA_SERVER", "tests/isabelle_bridge/fake_pisa_server",
                                   FAKE_PISA_SERVER);
}

IsabelleConfig LaunchConfig(int n) {
  IsabelleConfig config;
  config.pool.num_servers = n;
  config.pool.base_port = 0;  // Free ports; the fake takes any.
  config.pool.command = {FakeBinary(), "--port", "{port}"};
  config.pool.startup_timeout = absl::Seconds(20);
  config.pool.health_interval = absl::Milliseconds(200);
  config.startup_timeout = absl::Seconds(20);
  config.rpc_grace = absl::Milliseconds(300);
  config.isabelle_home = "/opt/Isabelle2022";
  config.staging_dir = thor::testing::MakeTempDir() + "/stage";
  return config;
}

bool Alive(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(FakeBinary()))
        << "fake PISA server not built at " << FakeBinary()
        << " (build //tests/isabelle_bridge:fake_pisa_server)";
  }
  void TearDown() override { EXPECT_EQ(thor::testing::LeftoverChildren(), ""); }
};

TEST_F(PoolTest, LaunchesServersAndKillsThemOnShutdown) {
  std::vector<pid_t> pids;
  {
    absl::StatusOr<std::unique_ptr<IsabelleBackend>> backend = IsabelleBackend::Create(LaunchConfig(2));
    ASSERT_TRUE(backend.ok()) << backend.status();
    pids = (*backend)->pool().ServerPids();
    ASSERT_EQ(pids.size(), 2u);
    EXPECT_TRUE(Alive(pids[0]) && Alive(pids[1]));
    auto session = *(*backend)->NewSession();
    absl::StatusOr<ProofState> init = session->Start(testing::MathdAlgebra17(), absl::Seconds(20));
    ASSERT_TRUE(init.ok()) << init.status();
    // The built-in world: "by auto" proves anything.
    EXPECT_EQ(session->Apply(*init, "by auto", absl::Seconds(5)).kind, StepKind::kProofFinished);
  }
  for (pid_t pid : pids) EXPECT_FALSE(Alive(pid)) << pid;
}

// No theory file Thor wrote for PISA outlives its session, and the
// temporary folder Thor chose goes with the backend.
TEST_F(PoolTest, StagedTheoryFilesAndTheDefaultFolderAreRemoved) {
  namespace fs = std::filesystem;
  IsabelleConfig config = LaunchConfig(2);  // A PISA server per session.
  const std::string stage = config.staging_dir;
  auto theories = [&stage] {
    int n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(stage, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      n += it->path().extension() == ".thy";
    }
    return n;
  };
  {
    auto backend = *IsabelleBackend::Create(config);
    auto a = *backend->NewSession();
    auto b = *backend->NewSession();  // The same theorem twice at once.
    ASSERT_TRUE(a->Start(testing::MathdAlgebra17(), absl::Seconds(20)).ok());
    ASSERT_TRUE(b->Start(testing::MathdAlgebra17(), absl::Seconds(20)).ok());
    EXPECT_EQ(theories(), 2);
    a.reset();
    EXPECT_EQ(theories(), 1);  // b's file is still there for b.
    b.reset();
    EXPECT_EQ(theories(), 0);
  }
  EXPECT_TRUE(fs::exists(stage));  // An operator's staging_dir stays.
  config.staging_dir.clear();      // Thor picks /tmp/thor-isabelle-<pid>.
  const std::string own = (fs::temp_directory_path() /
                           ("thor-isabelle-" + std::to_string(::getpid()))).string();
  {
    auto backend = *IsabelleBackend::Create(config);
    auto s = *backend->NewSession();
    ASSERT_TRUE(s->Start(testing::MathdAlgebra17(), absl::Seconds(20)).ok());
    EXPECT_TRUE(fs::exists(own));
  }
  EXPECT_FALSE(fs::exists(own));
}

TEST_F(PoolTest, AServerThatDiesIsReplacedAndTheSearchCarriesOn) {
  auto backend = *IsabelleBackend::Create(LaunchConfig(1));
  pid_t before = backend->pool().ServerPids()[0];
  auto session = *backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(20));
  StepResult mid = session->Apply(init, "apply auto", absl::Seconds(5));
  ASSERT_EQ(mid.kind, StepKind::kNewState) << mid.message;
  StepResult lost = session->Apply(mid.state, "by die", absl::Seconds(5));
  EXPECT_EQ(lost.kind, StepKind::kProverLost) << lost.message;
  // The next step runs on a new server; the source state is replayed there.
  StepResult done = session->Apply(mid.state, "by auto", absl::Seconds(20));
  EXPECT_EQ(done.kind, StepKind::kProofFinished) << done.message;
  pid_t after = backend->pool().ServerPids()[0];
  EXPECT_NE(after, before);
  EXPECT_FALSE(Alive(before));
  EXPECT_GE(backend->pool().restarts(), 1);
}

TEST_F(PoolTest, AHungServerHitsTheDeadlineAndIsRestarted) {
  auto backend = *IsabelleBackend::Create(LaunchConfig(1));
  pid_t before = backend->pool().ServerPids()[0];
  auto session = *backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(20));
  absl::Time t0 = absl::Now();
  StepResult hung = session->Apply(init, "by hang", absl::Milliseconds(500));
  EXPECT_EQ(hung.kind, StepKind::kTimeout) << hung.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(3));
  StepResult done = session->Apply(init, "by auto", absl::Seconds(20));
  EXPECT_EQ(done.kind, StepKind::kProofFinished) << done.message;
  EXPECT_NE(backend->pool().ServerPids()[0], before);
  EXPECT_FALSE(Alive(before));
}

TEST_F(PoolTest, HealthChecksRestartAnIdleServerThatDied) {
  auto backend = *IsabelleBackend::Create(LaunchConfig(1));
  pid_t before = backend->pool().ServerPids()[0];
  ::kill(before, SIGKILL);
  absl::Time give_up = absl::Now() + absl::Seconds(15);
  while (backend->pool().restarts() == 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_GE(backend->pool().restarts(), 1);
  auto session = *backend->NewSession();
  absl::StatusOr<ProofState> init = session->Start(testing::MathdAlgebra17(), absl::Seconds(20));
  ASSERT_TRUE(init.ok()) << init.status();
  EXPECT_NE(backend->pool().ServerPids()[0], before);
}

TEST_F(PoolTest, AServerThatNeverGetsReadyFailsWithItsOutput) {
  IsabelleConfig config = LaunchConfig(1);
  config.pool.command = {"sh", "-c", "echo 'Error: Could not find or load main class'; sleep 30"};
  config.pool.startup_timeout = absl::Seconds(1);
  absl::Status s = IsabelleBackend::Create(config).status();
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_NE(s.message().find("Could not find or load main class"), absl::string_view::npos) << s;
}

// What `thor prove --prover isabelle --pisa host:port` does: JSON options,
// a running server, a bare statement (staged into a theory in session HOL).
TEST_F(PoolTest, ConnectsToARunningServerFromJsonOptions) {
  SubprocessOptions options;
  options.argv = {FakeBinary(), "--port", "0"};
  auto server = *Subprocess::Start(options);
  ASSERT_TRUE(server
                  ->ReadUntil([](const std::string& out, const std::string&) {
                    return out.find("Server is running") != std::string::npos;
                  },
                  absl::Now() + absl::Seconds(20))
                  .ok());
  std::string out = server->out();
  std::string port = out.substr(out.find("port ") + 5, out.find('\n') - out.find("port ") - 5);
  std::string stage = thor::testing::MakeTempDir() + "/stage";
  absl::StatusOr<std::unique_ptr<IsabelleBackend>> backend = MakeIsabelleBackendFromJson(
      absl::StrCat("{\"pisa\": \"127.0.0.1:", port, "\", \"staging_dir\": \"", stage, "\"}"));
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_FALSE((*backend)->pool().launched());
  {
    Theorem t;
    t.prover = "isabelle";
    t.name = "refl";
    t.statement = "lemma refl_test: \"x = x\"";
    auto session = *(*backend)->NewSession();
    absl::StatusOr<ProofState> init = session->Start(t, absl::Seconds(10));
    ASSERT_TRUE(init.ok()) << init.status();
    HammerStepResult h = session->Hammer(*init, absl::Seconds(10));
    EXPECT_EQ(h.step.kind, StepKind::kProofFinished) << h.message;
    EXPECT_EQ(h.step_text, "by auto");
  }
  backend->reset();
  server.reset();
}

TEST_F(PoolTest, MissingJarOrAddressesIsAnActionableError) {
  IsabelleConfig config;
  absl::Status s = IsabelleBackend::Create(config).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_NE(s.message().find("--pisa"), absl::string_view::npos);
}

}  // namespace
}  // namespace thor::isabelle
