// The prover list: complete entries, sorted and unique names, lookups, the
// bridges' option errors naming the key under the caller's prefix, the flags
// and suites the modules bring, and the theorem options map.
#include "provers/provers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "search/types.h"

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
    auto bad = m.make_backend(R"({"nosuchkey": 1})", "config.provers.x", BackendContext());
    ASSERT_FALSE(bad.ok()) << m.name;
    EXPECT_NE(bad.status().message().find("config.provers.x"), std::string::npos)
        << m.name << ": " << bad.status();
    EXPECT_NE(bad.status().message().find("nosuchkey"), std::string::npos)
        << m.name << ": " << bad.status();
  }
}

TEST(ProversTest, ModulesDefineTheFlagsTheyName) {
  std::set<std::string> suites;
  for (const ProverModule& m : AllProvers()) {
    for (const ProverServerFlag& f : m.server_flags) {
      EXPECT_NE(absl::FindCommandLineFlag(f.flag), nullptr) << m.name << ": --" << f.flag;
      EXPECT_FALSE(f.key.empty()) << m.name << ": --" << f.flag;
    }
    for (const ProverSuite& suite : m.suites) {
      EXPECT_TRUE(suites.insert(suite.name).second) << "two suites named " << suite.name;
      EXPECT_FALSE(suite.description.empty()) << suite.name;
      EXPECT_TRUE(suite.load != nullptr) << suite.name;
      for (const std::string& flag : suite.flags) {
        EXPECT_NE(absl::FindCommandLineFlag(flag), nullptr) << suite.name << ": --" << flag;
      }
    }
    for (const std::string& flag : m.extractor.flags) {
      EXPECT_NE(absl::FindCommandLineFlag(flag), nullptr) << m.name << " extract: --" << flag;
    }
    if (m.extractor.make) {
      EXPECT_FALSE(m.extractor.extension.empty()) << m.name;
    }
  }
  EXPECT_FALSE(suites.empty());
}

TEST(ProversTest, ServerFlagsSetTheirKeysOnlyWhenGiven) {
  EXPECT_TRUE(ProverOptionsFromFlags().empty());  // Nothing given.
  std::vector<std::string> names = ProverServerFlagNames();
  ASSERT_FALSE(names.empty());
  for (const ProverModule& m : AllProvers()) {
    for (const ProverServerFlag& f : m.server_flags) {
      absl::CommandLineFlag* flag = absl::FindCommandLineFlag(f.flag);
      ASSERT_NE(flag, nullptr) << f.flag;
      EXPECT_NE(std::find(names.begin(), names.end(), f.flag), names.end()) << f.flag;
      const std::string before = flag->CurrentValue();
      std::string error;
      ASSERT_TRUE(flag->ParseFrom("127.0.0.1:9", &error)) << f.flag << ": " << error;
      std::map<std::string, std::string> options = ProverOptionsFromFlags();
      ASSERT_EQ(options.count(m.name), 1u) << f.flag;
      nlohmann::json j = nlohmann::json::parse(options[m.name]);
      EXPECT_EQ(j, (nlohmann::json{{f.key, "127.0.0.1:9"}})) << options[m.name];
      ASSERT_TRUE(flag->ParseFrom(before, &error)) << error;
    }
  }
  EXPECT_TRUE(ProverOptionsFromFlags().empty());
}

TEST(TheoremOptionsTest, GetSetAndUnset) {
  TheoremOptions o;
  EXPECT_TRUE(o.empty());
  EXPECT_EQ(o.Get("session"), "");
  o.Set("session", "HOL");
  o.Set("b", "2");
  EXPECT_EQ(o.Get("session"), "HOL");
  EXPECT_EQ(o.values(), (std::map<std::string, std::string, std::less<>>{{"b", "2"},
                                                                          {"session", "HOL"}}));
  o.Set("session", "");  // Empty unsets.
  EXPECT_EQ(o.Get("session"), "");
  EXPECT_EQ(o.values().size(), 1u);
  o.Set("b", "");
  EXPECT_TRUE(o.empty());
}

}  // namespace
}  // namespace thor
