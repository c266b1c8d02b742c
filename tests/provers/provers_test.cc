// The prover list: complete entries, sorted and unique names, lookups, and
// the bridges' option errors naming the key under the caller's prefix.
#include "provers/provers.h"

#include <gtest/gtest.h>

#include <set>

namespace thor {
namespace {

TEST(ProversTest, EveryModuleIsCompleteAndNamesAreSortedAndUnique) {
  ASSERT_FALSE(AllProvers().empty());
  std::set<std::string> seen;
  std::string previous;
  for (const ProverModule& m : AllProvers()) {
    EXPECT_FALSE(m.name.empty());
    EXPECT_LT(previous, m.name) << "keep the list sorted by name";
    previous = m.name;
    EXPECT_TRUE(seen.insert(m.name).second) << m.name;
    EXPECT_TRUE(m.make_backend != nullptr) << m.name;
    ASSERT_NE(m.heuristics, nullptr) << m.name;
    EXPECT_FALSE(m.heuristics->CheapSteps("").empty()) << m.name;
    EXPECT_EQ(FindProver(m.name), &m);
  }
  EXPECT_EQ(FindProver("no-such-prover"), nullptr);
  EXPECT_EQ(AllProverHeuristics().size(), AllProvers().size());
}

TEST(ProversTest, NamesJoinedListsTheModules) {
  EXPECT_EQ(ProverNamesJoined(), "coq, isabelle");
}

TEST(ProversTest, BackendOptionErrorsNameTheKeyUnderThePrefix) {
  for (const ProverModule& m : AllProvers()) {
    auto bad = m.make_backend(R"({"nosuchkey": 1})", "config.provers.x");
    ASSERT_FALSE(bad.ok()) << m.name;
    EXPECT_NE(bad.status().message().find("config.provers.x"), std::string::npos)
        << m.name << ": " << bad.status();
    EXPECT_NE(bad.status().message().find("nosuchkey"), std::string::npos)
        << m.name << ": " << bad.status();
  }
}

}  // namespace
}  // namespace thor
