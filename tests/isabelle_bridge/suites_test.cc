// Suite loaders on the real benchmark files in BenchmarksDir().
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/match.h"
#include "isabelle_bridge/isabelle_rules.h"
#include "isabelle_bridge/suites.h"
#include "isabelle_bridge/theorem_options.h"
#include "tests/testing/paths.h"

namespace thor::isabelle {
namespace {

std::string Bench() {
  std::string dir = thor::testing::BenchmarksDir();
  EXPECT_FALSE(dir.empty()) << "shared benchmarks not found (../shared/benchmarks or "
                               "$THOR_BENCHMARKS_DIR)";
  return dir;
}

TEST(MiniF2F, LoadsBothCopiesAndBothSplits) {
  for (const char* copy : {"minif2f-isabelle", "minif2f-isabelle-fb"}) {
    for (const char* split : {"valid", "test"}) {
      absl::StatusOr<std::vector<Theorem>> all = LoadMiniF2F(Bench() + "/" + copy, split);
      ASSERT_TRUE(all.ok()) << all.status();
      EXPECT_EQ(all->size(), 244u) << copy << "/" << split;
      for (const Theorem& t : *all) {
        EXPECT_EQ(t.prover, "isabelle");
        EXPECT_TRUE(absl::StartsWith(t.statement, "theorem") || absl::StartsWith(t.statement, "lemma"))
            << t.name << ": " << t.statement;
        EXPECT_NE(t.statement.find(t.name), std::string::npos) << t.name;
        // Cut after the statement: no proof text, no sorry.
        for (const char* word : {"sorry", "\nproof", "\n  proof", "qed", "\nend"}) {
          EXPECT_EQ(t.statement.find(word), std::string::npos) << t.name << " holds " << word;
        }
        EXPECT_FALSE(t.imports.empty()) << t.name;
        EXPECT_FALSE(t.file_path.empty());
      }
    }
  }
}

TEST(MiniF2F, CutsHumanProofsAndTakesTheSessionFromImports) {
  absl::StatusOr<std::vector<Theorem>> test = LoadMiniF2F(Bench() + "/minif2f-isabelle", "test");
  ASSERT_TRUE(test.ok());
  int afp = 0;
  for (const Theorem& t : *test) {
    if (t.name == "aime_1983_p1") {  // Carries a full Isar proof in the file.
      EXPECT_TRUE(absl::EndsWith(t.statement, "shows \"ln w / ln z = 60\"")) << t.statement;
    }
    if (t.name == "mathd_algebra_17") {
      EXPECT_EQ(t.imports, (std::vector<std::string>{
                               "Complex_Main", "HOL-Computational_Algebra.Computational_Algebra",
                               "HOL-Number_Theory.Number_Theory"}));
    }
    if (SessionOf(t) != "HOL") {
      EXPECT_EQ(SessionOf(t), "Symmetric_Polynomials") << t.name;
      ++afp;
    }
  }
  absl::StatusOr<std::vector<Theorem>> valid = LoadMiniF2F(Bench() + "/minif2f-isabelle", "valid");
  for (const Theorem& t : *valid) afp += SessionOf(t) != "HOL";
  EXPECT_EQ(afp, 2);  // The two files that import Symmetric_Polynomials.Vieta.
  EXPECT_EQ(SessionForImports({"Complex_Main", "HOL-Library.Sum_of_Squares"}, "HOL"), "HOL");
  EXPECT_TRUE(absl::IsNotFound(LoadMiniF2F(Bench() + "/minif2f-isabelle", "train").status()));
}

TEST(MiniF2F, ParserCountsFilesWithProofs) {
  int with_proof = 0;
  absl::StatusOr<std::vector<Theorem>> test = LoadMiniF2F(Bench() + "/minif2f-isabelle", "test");
  ASSERT_TRUE(test.ok());
  for (const Theorem& t : *test) {
    std::ifstream in(t.file_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    absl::StatusOr<MiniF2FProblem> p = ParseMiniF2FTheory(text);
    ASSERT_TRUE(p.ok()) << t.name;
    with_proof += p->had_proof;
  }
  EXPECT_EQ(with_proof, 72);  // benchmarks.md: 72 test files carry a proof.
  EXPECT_FALSE(ParseMiniF2FTheory("no theory here").ok());
}

TEST(PisaLists, LoadsTheTestAndQuickListsWithLocalAfp) {
  std::string dir = Bench() + "/pisa/universal_test_theorems";
  absl::StatusOr<std::vector<Theorem>> all = LoadPisaTestList(dir, "test_name", "/srv/afp-2021-02-11");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 3000u);
  absl::StatusOr<std::vector<Theorem>> quick = LoadPisaTestList(dir, "quick_test_name", "/srv/afp-2021-02-11/");
  ASSERT_TRUE(quick.ok());
  ASSERT_EQ(quick->size(), 600u);
  const Theorem& q0 = quick->front();
  EXPECT_EQ(q0.name, "quick_test_name_0");
  EXPECT_EQ(q0.file_path, "/srv/afp-2021-02-11/thys/Valuation/Valuation1.thy");
  EXPECT_EQ(SessionOf(q0), "Valuation");
  EXPECT_EQ(WorkingDirectoryOf(q0), "/srv/afp-2021-02-11/thys/Valuation");
  EXPECT_TRUE(absl::StartsWith(q0.statement, "lemma (in Corps) n_val_surj:"));
  for (const Theorem& t : *all) {
    EXPECT_TRUE(absl::StartsWith(t.file_path, "/srv/afp-2021-02-11/thys/")) << t.file_path;
    EXPECT_FALSE(SessionOf(t).empty());
  }
  EXPECT_EQ(RewriteAfpPath("/home/ywu/afp-2021-02-11/thys/A/B.thy", ""),
            "/home/ywu/afp-2021-02-11/thys/A/B.thy");
  EXPECT_TRUE(absl::IsNotFound(LoadPisaTestList("/nonexistent", "test_name", "").status()));
}

// The allow-lists against the real benchmarks: every MiniF2F problem is a
// valid theorem, every human proof in the files passes the step rules, and
// every PISA test statement parses as one statement.
TEST(Rules, AcceptTheBenchmarks) {
  size_t proofs = 0, steps = 0;
  for (const char* copy : {"minif2f-isabelle", "minif2f-isabelle-fb"}) {
    for (const char* split : {"valid", "test"}) {
      absl::StatusOr<std::vector<Theorem>> all = LoadMiniF2F(Bench() + "/" + copy, split);
      ASSERT_TRUE(all.ok()) << all.status();
      for (const Theorem& t : *all) {
        absl::Status v = ValidateIsabelleTheorem(t);
        EXPECT_TRUE(v.ok()) << t.file_path << ": " << v;
        std::ifstream in(t.file_path);
        std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        size_t at = raw.find(t.statement);
        ASSERT_NE(at, std::string::npos) << t.file_path;
        std::string proof = raw.substr(at + t.statement.size());
        proof = proof.substr(0, proof.rfind("end"));
        if (absl::StrContains(proof, "sorry")) continue;
        absl::StatusOr<std::vector<std::string>> parsed = ParseIsabelleProofText(proof);
        EXPECT_TRUE(parsed.ok()) << t.file_path << ": " << parsed.status();
        if (parsed.ok()) {
          ++proofs;
          steps += parsed->size();
        }
      }
    }
  }
  EXPECT_GT(proofs, 50u);
  EXPECT_GT(steps, proofs);
  absl::StatusOr<std::vector<Theorem>> pisa =
      LoadPisaTestList(Bench() + "/pisa/universal_test_theorems", "test_name", "/srv/afp");
  ASSERT_TRUE(pisa.ok()) << pisa.status();
  size_t refused = 0;
  for (const Theorem& t : *pisa) {
    absl::StatusOr<IsabelleStatement> s = ParseIsabelleStatement(t.statement);
    if (!s.ok()) {
      ++refused;
      ADD_FAILURE() << t.name << ": " << s.status();
    }
  }
  EXPECT_EQ(refused, 0u);
}

}  // namespace
}  // namespace thor::isabelle
