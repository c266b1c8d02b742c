// The client side of the CLI in-process: what the theorem flags put in a
// request (--allowed_axioms; a Coq --theorem_file read locally and sent as
// the context), the root an in-process server gets for Isabelle paths, and
// the "checked by / rests on" line of `thor prove` and `thor check`.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "app/wiring.h"
#include "cli/connection.h"
#include "cli/local_theorem.h"
#include "cli/output.h"
#include "cli/theorem_flags.h"
#include "server/log.h"
#include "tests/testing/paths.h"

ABSL_DECLARE_FLAG(std::string, config);
ABSL_DECLARE_FLAG(std::string, prover);
ABSL_DECLARE_FLAG(std::string, statement);
ABSL_DECLARE_FLAG(std::string, theorem_file);
ABSL_DECLARE_FLAG(std::string, working_directory);
ABSL_DECLARE_FLAG(std::vector<std::string>, allowed_axioms);

namespace thor {
namespace {

namespace fs = std::filesystem;

class CliFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogStream(nullptr);
    // In-process servers here start no coqtop (no spare kept warm).
    const std::string config = testing::MakeTempDir() + "/config.json";
    std::ofstream(config)
        << R"({"provers": {"coq": {"max_idle_processes": 0, "spare_processes": 0}}})";
    absl::SetFlag(&FLAGS_config, config);
  }
  absl::FlagSaver saver_;  // Each test's flags are undone after it.
};

TEST_F(CliFlagsTest, AllowedAxiomsReachTheRequest) {
  absl::SetFlag(&FLAGS_statement, "Lemma t : True.");
  absl::SetFlag(&FLAGS_allowed_axioms,
                std::vector<std::string>{"Coq.Logic.Classical_Prop.classic", "ax"});
  absl::StatusOr<v1::Theorem> t = TheoremFromFlags();
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->allowed_axioms_size(), 2);
  EXPECT_EQ(t->allowed_axioms(0), "Coq.Logic.Classical_Prop.classic");
  EXPECT_EQ(t->allowed_axioms(1), "ax");

  absl::SetFlag(&FLAGS_allowed_axioms, std::vector<std::string>{});
  t = TheoremFromFlags();
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->allowed_axioms_size(), 0);  // Default: the proof may rest on nothing.
}

TEST_F(CliFlagsTest, CoqTheoremFileIsReadHereAndSentAsTheContext) {
  const std::string file = testing::MakeTempDir() + "/T.v";
  std::ofstream(file) << "Definition d := 0.\nLemma t : d = 0.\nProof. reflexivity. Qed.\n";
  absl::SetFlag(&FLAGS_prover, "coq");
  absl::SetFlag(&FLAGS_statement, "Lemma t : d = 0.");
  absl::SetFlag(&FLAGS_theorem_file, file);
  absl::StatusOr<v1::Theorem> t = TheoremFromFlags();
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->context(), "Definition d := 0.\n");
  EXPECT_TRUE(t->file_path().empty());  // The server is not asked to read anything.

  absl::SetFlag(&FLAGS_statement, "Lemma other : True.");
  t = TheoremFromFlags();
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("--theorem_file"), std::string::npos) << t.status();
}

TEST_F(CliFlagsTest, IsabelleTheoryFileStaysAndTheInProcessServerMayReadItsFolder) {
  const std::string dir = testing::MakeTempDir();
  fs::create_directories(dir + "/thys/A");
  const std::string file = dir + "/thys/A/T.thy";
  std::ofstream(file) << "theory T imports Main begin\nlemma t: True\n";
  absl::SetFlag(&FLAGS_prover, "isabelle");
  absl::SetFlag(&FLAGS_statement, "lemma t: True");
  absl::SetFlag(&FLAGS_theorem_file, file);
  absl::StatusOr<v1::Theorem> t = TheoremFromFlags();
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->file_path(), file);  // PISA loads the theory itself.

  absl::StatusOr<Connection> c = ConnectFromFlags(BuildRegistry, *t);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_NE(c->local, nullptr);
  EXPECT_EQ(c->local->service().config().theorem_file_root,
            fs::canonical(dir + "/thys/A").string());

  // With a working directory above it, the root covers both.
  absl::SetFlag(&FLAGS_working_directory, dir + "/thys");
  t = TheoremFromFlags();
  ASSERT_TRUE(t.ok()) << t.status();
  c = ConnectFromFlags(BuildRegistry, *t);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->local->service().config().theorem_file_root,
            fs::canonical(dir + "/thys").string());
}

TEST_F(CliFlagsTest, CoqInProcessServerReadsNoFile) {
  absl::SetFlag(&FLAGS_prover, "coq");
  absl::SetFlag(&FLAGS_statement, "Lemma t : True.");
  absl::StatusOr<v1::Theorem> t = TheoremFromFlags();
  ASSERT_TRUE(t.ok()) << t.status();
  absl::StatusOr<Connection> c = ConnectFromFlags(BuildRegistry, *t);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->local->service().config().theorem_file_root, "");
}

TEST(RootCoveringTest, DeepestCommonFolder) {
  const std::string dir = fs::canonical(testing::MakeTempDir()).string();
  fs::create_directories(dir + "/a/b");
  fs::create_directories(dir + "/a/c");
  std::ofstream(dir + "/a/b/x.thy") << "x";
  std::ofstream(dir + "/a/c/y.thy") << "y";
  v1::Theorem x, y, none;
  x.set_file_path(dir + "/a/b/x.thy");
  y.set_file_path(dir + "/a/c/y.thy");
  EXPECT_EQ(*RootCovering({&x}), dir + "/a/b");
  EXPECT_EQ(*RootCovering({&x, &y}), dir + "/a");
  EXPECT_EQ(*RootCovering({&none}), "");
  v1::Theorem missing;
  missing.set_file_path(dir + "/nope.thy");
  EXPECT_EQ(RootCovering({&missing}).status().code(), absl::StatusCode::kNotFound);
}

TEST(CheckedByLineTest, SaysWhatTheResultRestsOn) {
  v1::CheckProofResponse r;
  EXPECT_EQ(CheckedByLine(r.checkers(), r.axioms()),
            "checked by: nothing; rests on: nothing");
  for (const char* c : {"coqc", "print_assumptions", "coqchk"}) r.add_checkers(c);
  EXPECT_EQ(CheckedByLine(r.checkers(), r.axioms()),
            "checked by: coqc, print_assumptions, coqchk; rests on: nothing");
  r.add_axioms("Coq.Logic.Classical_Prop.classic");
  r.add_axioms("ax");
  EXPECT_EQ(CheckedByLine(r.checkers(), r.axioms()),
            "checked by: coqc, print_assumptions, coqchk; rests on: "
            "Coq.Logic.Classical_Prop.classic, ax");
}

}  // namespace
}  // namespace thor
