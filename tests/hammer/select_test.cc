// Premise selection: MePo, k-NN (with honest exclusion) and MeSh.
#include "hammer/select.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hammer/encode.h"
#include "hammer/hammer.h"
#include "tests/testing/paths.h"

namespace thor::hammer {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

Problem Load(const std::string& name) {
  auto p = ReadProblemFile(thor::testing::SourceDir() + "/tests/hammer/data/" + name);
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

std::vector<std::string> Top(const Problem& p, const Ranking& r, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n && i < r.order.size(); ++i) out.push_back(p.formulas[r.order[i]].name);
  return out;
}

TEST(SelectTest, MePoRanksTheNeededFactsFirst) {
  Problem p = Load("p1_prov.p");
  Ranking r = RankMePo(p);
  ASSERT_EQ(r.order.size(), 10u);
  EXPECT_THAT(Top(p, r, 2), UnorderedElementsAre("a02_human_mortal", "a07_socrates_human"));
  // Every premise appears exactly once, scores are non-increasing.
  std::vector<int> sorted = r.order;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, p.PremiseIndices());
  for (size_t i = 1; i < r.score.size(); ++i) EXPECT_GE(r.score[i - 1], r.score[i]);
}

TEST(SelectTest, MePoOnEquationalProblem) {
  Problem p = Load("p2_eq.p");
  Ranking r = RankMePo(p);
  std::vector<std::string> top = Top(p, r, 5);
  for (const char* needed : {"app_nil", "app_cons", "len_nil", "len_cons"}) {
    EXPECT_THAT(top, ::testing::Contains(needed));
  }
}

TEST(SelectTest, KnnLearnsFromRecordedProofsButNeverFromTheGoalsOwn) {
  Problem p = Load("p1_prov.p");
  ProofDb db;
  // A similar earlier goal (mortal, socrates) whose proof used a05 and a09.
  db["earlier"] = {{"mortal", "socrates"}, {"a05_animal_alive", "a09_tom_cat"}};
  Ranking r = RankKnn(p, db, "goal");
  EXPECT_THAT(Top(p, r, 2), UnorderedElementsAre("a05_animal_alive", "a09_tom_cat"));
  // The same proof filed under the problem's own goal name is ignored.
  ProofDb own;
  own["goal"] = {{"mortal", "socrates"}, {"a05_animal_alive", "a09_tom_cat"}};
  Ranking honest = RankKnn(p, own, "goal");
  EXPECT_THAT(Top(p, honest, 2), ::testing::Not(::testing::Contains("a09_tom_cat")));
}

TEST(SelectTest, KnnUsesDependenciesOfPremisesByName) {
  // atpproved-style record without features: a02's own proof used a03.
  Problem p = Load("p1_prov.p");
  ProofDb db;
  db["a02_human_mortal"] = {{}, {"a03_cat_animal"}};
  Ranking r = RankKnn(p, db, "goal");
  std::vector<std::string> top = Top(p, r, 3);
  EXPECT_THAT(top, ::testing::Contains("a03_cat_animal"));
  EXPECT_THAT(top, ::testing::Contains("a02_human_mortal"));
}

TEST(SelectTest, MeShCombinesBoth) {
  Problem p = Load("p1_prov.p");
  ProofDb db;
  db["earlier"] = {{"mortal", "socrates"}, {"a05_animal_alive"}};
  Ranking r = RankMeSh(p, db, "goal");
  std::vector<std::string> top = Top(p, r, 4);
  EXPECT_THAT(top, ::testing::Contains("a02_human_mortal"));
  EXPECT_THAT(top, ::testing::Contains("a05_animal_alive"));
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SelectTest, APersistedProofDatabaseOutlivesTheHammerThatLearnedIt) {
  const std::string path = ::testing::TempDir() + "/premise_db_test.jsonl";
  std::filesystem::remove(path);
  Problem p = Load("p1_prov.p");
  const Expr& goal = p.formulas[p.GoalIndices()[0]].formula;  // mortal(socrates)
  const auto knn_top2 = [&p](Hammer& h) {
    auto ranked = h.SelectPremises(p, "knn", 2);
    EXPECT_TRUE(ranked.ok()) << ranked.status();
    std::vector<std::string> names;
    for (const RankedPremise& r : *ranked) names.push_back(r.name);
    return names;
  };
  Hammer fresh;
  EXPECT_THAT(knn_top2(fresh), ::testing::Not(::testing::Contains("a09_tom_cat")));
  {
    Hammer learner;
    ASSERT_TRUE(learner.PersistProofs(path).ok());  // No file yet: starts empty.
    EXPECT_EQ(learner.proof_count(), 0u);
    // A similar earlier goal whose proof used a05 and a09 (as in
    // KnnLearnsFromRecordedProofsButNeverFromTheGoalsOwn), and a quoted
    // TPTP name with a colon and blanks, which the file holds as well.
    learner.RecordProof("earlier", goal, {"a05_animal_alive", "a09_tom_cat"});
    learner.RecordProof("'odd: name'", goal, {"a01"});
    EXPECT_EQ(learner.proof_count(), 2u);
    EXPECT_THAT(knn_top2(learner), UnorderedElementsAre("a05_animal_alive", "a09_tom_cat"));
  }
  const std::string written = ReadAll(path);
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), 2) << written;
  EXPECT_THAT(written, ::testing::HasSubstr("\"'odd: name'\""));
  Hammer restarted;
  ASSERT_TRUE(restarted.PersistProofs(path).ok());
  EXPECT_EQ(restarted.proof_count(), 2u);
  // The goal's features came back with the proof: it ranks by similarity.
  EXPECT_THAT(knn_top2(restarted), UnorderedElementsAre("a05_animal_alive", "a09_tom_cat"));
  // It goes on appending to the same file.
  restarted.RecordProof("later", goal, {"a02_human_mortal"});
  const std::string appended = ReadAll(path);
  EXPECT_EQ(appended.substr(0, written.size()), written);
  EXPECT_EQ(std::count(appended.begin(), appended.end(), '\n'), 3);
}

TEST(SelectTest, ABrokenOrUnwritableProofDatabaseIsATypedError) {
  const std::string path = ::testing::TempDir() + "/premise_db_broken.jsonl";
  // The second line was cut short (a killed writer).
  std::ofstream(path) << R"({"goal": "g", "features": ["p"], "premises": ["a"]})" << "\n"
                      << R"({"goal": "h", "feat)" << "\n";
  Hammer hammer;
  absl::Status broken = hammer.PersistProofs(path);
  EXPECT_EQ(broken.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(broken.message()), ::testing::HasSubstr(path + ":2:"));
  Hammer other;
  absl::Status unwritable = other.PersistProofs("/nonexistent-dir/premise_db.jsonl");
  EXPECT_EQ(unwritable.code(), absl::StatusCode::kPermissionDenied) << unwritable;
  EXPECT_THAT(std::string(unwritable.message()), ::testing::HasSubstr("/nonexistent-dir"));
}

TEST(SelectTest, RankRejectsUnknownMethodAndGoallessProblems) {
  Problem p = Load("p1_prov.p");
  EXPECT_EQ(Rank(p, "bogus", {}, "").status().code(), absl::StatusCode::kInvalidArgument);
  Problem none = Load("no_conjecture.p");
  EXPECT_EQ(Rank(none, "mepo", {}, "").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SelectTest, SelectionOverThousandsOfFactsTakesMilliseconds) {
  std::string dir = thor::testing::BenchmarksDir();
  ASSERT_FALSE(dir.empty()) << "shared benchmarks missing";
  auto p = ReadProblemFile(dir + "/mptp2078/chainy500/tmap_1__t150_tmap_1.p");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_GT(p->formulas.size(), 1000u);
  Hammer hammer;
  ASSERT_TRUE(hammer.LoadDependencies(dir + "/mptp2078/atpproved").ok());
  for (const char* method : {"mepo", "knn", "mesh"}) {
    absl::Time start = absl::Now();
    auto r = hammer.SelectPremises(*p, method, 64);
    absl::Duration took = absl::Now() - start;
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->size(), 64u);
    std::cout << method << " over " << p->formulas.size() << " facts: " << took << "\n";
    // Tens of milliseconds unloaded; the bound leaves room for a busy CI box.
    EXPECT_LT(took, absl::Milliseconds(1000)) << method;
  }
  absl::Time start = absl::Now();
  std::string text = EncodeTptp(*p, p->PremiseIndices());
  std::cout << "encode all: " << absl::Now() - start << ", " << text.size() << " bytes\n";
}

TEST(SelectTest, BushyPremisesRankHighInChainy) {
  // The human proof's premises (bushy) should mostly be in chainy's top 128.
  std::string dir = thor::testing::BenchmarksDir();
  ASSERT_FALSE(dir.empty()) << "shared benchmarks missing";
  Hammer hammer;
  ASSERT_TRUE(hammer.LoadDependencies(dir + "/mptp2078/atpproved").ok());
  std::map<std::string, int> found;
  int total = 0;
  for (const char* name : {"relat_1__t32_relat_1.p", "funct_2__t9_funct_2.p",
                           "tops_1__t110_tops_1.p", "tmap_1__t150_tmap_1.p",
                           "compts_1__t20_compts_1.p", "tex_2__t33_tex_2.p"}) {
    auto bushy = ReadProblemFile(dir + "/mptp2078/bushy500/" + name);
    auto chainy = ReadProblemFile(dir + "/mptp2078/chainy500/" + name);
    ASSERT_TRUE(bushy.ok() && chainy.ok()) << name;
    total += bushy->PremiseIndices().size();
    for (const char* method : {"mepo", "knn", "mesh"}) {
      auto top = hammer.SelectPremises(*chainy, method, 128);
      ASSERT_TRUE(top.ok());
      for (int i : bushy->PremiseIndices()) {
        for (const auto& r : *top) found[method] += r.name == bushy->formulas[i].name;
      }
    }
  }
  for (const auto& [method, n] : found) {
    std::cout << method << ": " << n << " of " << total << " bushy premises in chainy's top 128\n";
  }
  // Bushy also holds background facts (dt_*, t6_boole) no selector ranks
  // high; a random 128 of ~2000 would find about 6%.
  EXPECT_GT(found["mesh"], total * 3 / 10);
}

}  // namespace
}  // namespace thor::hammer
