#include "search/search_tree.h"

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "search/candidates.h"
#include "search/search_engine.h"

namespace thor {
namespace {

ProofState State(const std::string& text) { return {"", {}, text}; }

TEST(SearchTreeTest, QueuePopsBestAndDropsWorstPastCap) {
  SearchTree tree(2, true);
  tree.AddRoot(State("r"), absl::ZeroDuration());
  EXPECT_EQ(tree.Pop(), 0);
  int a = tree.AddNode(0, "a", -1.0, false, "", State("A"), absl::ZeroDuration());
  int b = tree.AddNode(0, "b", -0.5, false, "", State("B"), absl::ZeroDuration());
  int c = tree.AddNode(0, "c", -2.0, false, "", State("C"), absl::ZeroDuration());
  tree.Push(a);
  tree.Push(b);
  tree.Push(c);  // Worst; dropped.
  EXPECT_EQ(tree.QueueLength(), 2);
  EXPECT_DOUBLE_EQ(tree.BestScore(), -0.5);
  EXPECT_EQ(tree.Pop(), b);
  EXPECT_EQ(tree.Pop(), a);
  EXPECT_TRUE(tree.QueueEmpty());
}

TEST(SearchTreeTest, SeenTracksFirstNode) {
  SearchTree tree(4, false);
  tree.AddRoot(State("r"), absl::ZeroDuration());
  EXPECT_EQ(tree.SeenAs(SearchTree::StateKey("r")), 0);
  EXPECT_EQ(tree.SeenAs(SearchTree::StateKey("x")), -1);
  tree.MarkSeen(SearchTree::StateKey("x"), 3);
  EXPECT_EQ(tree.SeenAs(SearchTree::StateKey("x")), 3);
}

TEST(SearchTreeTest, JobsComeBestFirstThenInOrder) {
  SearchTree tree(4, false);
  tree.AddJob({0, "x", -1, -1, false, 0});
  tree.AddJob({0, "y", -0.5, -0.5, false, 0});
  tree.AddJob({0, "z", -0.5, -0.5, false, 0});
  tree.AddJob({0, "h", -0.1, -0.1, true, 0});
  EXPECT_EQ(tree.PendingJobs(), 4u);
  EXPECT_EQ(tree.PopStep().step, "y");
  EXPECT_EQ(tree.PopStep().step, "z");
  EXPECT_EQ(tree.PopStep().step, "x");
  EXPECT_EQ(tree.PopHammer().step, "h");
}

TEST(SearchTreeTest, PathAndTraceJson) {
  SearchTree tree(4, true);
  tree.AddRoot(State("r"), absl::ZeroDuration());
  int a = tree.AddNode(0, "a", -1.0, false, "", State("A"), absl::Seconds(1));
  int b = tree.AddNode(a, "by metis", -0.5, true, "e/16", State(""), absl::Seconds(2));
  std::vector<FoundStep> path = tree.PathTo(b);
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[0].text, "a");
  EXPECT_TRUE(path[1].from_hammer);
  EXPECT_EQ(path[1].hammer_prover, "e/16");
  tree.RecordTry({0, a, -1, "a", -1.0, StepKind::kNewState, false, "", "",
                  absl::Seconds(1), absl::Milliseconds(5)});
  Theorem t;
  t.name = "thm";
  t.prover = "coq";
  auto j = nlohmann::json::parse(
      tree.TraceJson(t, "sim", 5, SearchStatus::kProvedUnchecked));
  EXPECT_EQ(j["status"], "proved_unchecked");
  EXPECT_EQ(j["nodes"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["nodes"][2]["score"].get<double>(), -1.5);
  EXPECT_EQ(j["tries"][0]["outcome"], "new_state");
  EXPECT_DOUBLE_EQ(j["tries"][0]["elapsed_s"].get<double>(), 0.005);
}

TEST(CandidatesTest, MergeKeepsBestAndSorts) {
  std::vector<Candidate> m = MergeCandidates(
      {{"a", -2, false}, {"b", -1, false}, {"a", -0.5, false}, {"h", -3, true}});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].step, "a");
  EXPECT_DOUBLE_EQ(m[0].logprob, -0.5);
  EXPECT_EQ(m[2].step, "h");
  EXPECT_TRUE(m[2].is_hammer);
}

TEST(QuerySeedTest, DependsOnSeedAndText) {
  EXPECT_EQ(QuerySeed(1, "x"), QuerySeed(1, "x"));
  EXPECT_NE(QuerySeed(1, "x"), QuerySeed(2, "x"));
  EXPECT_NE(QuerySeed(1, "x"), QuerySeed(1, "y"));
}

}  // namespace
}  // namespace thor
