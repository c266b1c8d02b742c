#include "search/search_tree.h"

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "search/candidates.h"
#include "search/search_core.h"

namespace thor {
namespace {

ProofState State(const std::string& text) { return {"", {}, text}; }

TEST(SearchTreeTest, QueuePopsBestAndDropsWorstPastCap) {
  SearchTree tree(2, true);
  tree.AddRoot(State("r"), absl::ZeroDuration());
  EXPECT_EQ(tree.Pop(), 0);
  int a = tree.AddNode(0, tree.Intern("a"), -1.0, false, 0, "", "A", absl::ZeroDuration());
  int b = tree.AddNode(0, tree.Intern("b"), -0.5, false, 0, "", "B", absl::ZeroDuration());
  int c = tree.AddNode(0, tree.Intern("c"), -2.0, false, 0, "", "C", absl::ZeroDuration());
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
  tree.AddRoot(State("r"), absl::ZeroDuration());
  tree.AddJob({0, tree.Intern("x"), -1, -1, false, 0});
  tree.AddJob({0, tree.Intern("y"), -0.5, -0.5, false, 0});
  tree.AddJob({0, tree.Intern("z"), -0.5, -0.5, false, 0});
  tree.AddJob({0, tree.Intern("h"), -0.1, -0.1, true, 0});
  EXPECT_EQ(tree.PendingJobs(), 4u);
  EXPECT_EQ(tree.Text(tree.PopStep().step), "y");
  EXPECT_EQ(tree.Text(tree.PopStep().step), "z");
  EXPECT_EQ(tree.Text(tree.PopStep().step), "x");
  EXPECT_EQ(tree.Text(tree.PopHammer().step), "h");
}

TEST(SearchTreeTest, PathAndTraceJson) {
  SearchTree tree(4, true);
  tree.AddRoot(State("r"), absl::ZeroDuration());
  int a = tree.AddNode(0, tree.Intern("a"), -1.0, false, 0, "", "A", absl::Seconds(1));
  int b = tree.AddNode(a, tree.Intern("by metis"), -0.5, true, tree.Intern("e/16"), "", "",
                       absl::Seconds(2));
  std::vector<FoundStep> path = tree.PathTo(b);
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[0].text, "a");
  EXPECT_TRUE(path[1].from_hammer);
  EXPECT_EQ(path[1].hammer_prover, "e/16");
  tree.RecordTry(0, a, false, tree.Intern("a"), -1.0, StepKind::kNewState, false, 0, "",
                 absl::Seconds(1), absl::Milliseconds(5));
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

TEST(SearchTreeTest, TraceJsonEscapesAndKeepsValues) {
  SearchTree tree(4, true);
  tree.AddRoot(State("\xE2\x88\x80 x, \"P\" x\n\tQ\\x \x01"), absl::Microseconds(1500001));
  const uint32_t step = tree.Intern("rewrite \"H\"\xFF");
  const int a = tree.AddNode(0, step, -0.25, false, 0, "", "goal", absl::Seconds(3));
  const std::string long_message(300, 'm');
  tree.RecordTry(0, a, false, step, -0.25, StepKind::kNewState, false, 0, "",
                 absl::Seconds(3), absl::Microseconds(20));
  tree.RecordTry(a, 0, true, step, -1e-300, StepKind::kNewState, false, 0,
                 long_message, absl::Seconds(4), absl::ZeroDuration());
  tree.RecordTry(a, -1, false, tree.Intern("<hammer>"), -0.5, StepKind::kStepError,
                 true, tree.Intern("cvc5/64"), "no proof", absl::Seconds(5),
                 absl::Seconds(2));
  tree.RecordQuery(0, 2, absl::ZeroDuration(), absl::Milliseconds(300), "");
  tree.RecordQuery(a, 0, absl::Seconds(3), absl::Seconds(1), "down");
  Theorem t;
  t.name = "th\"m";
  t.prover = "coq";
  const std::string text = tree.TraceJson(t, "sim", 18446744073709551615ull,
                                          SearchStatus::kExhausted);
  auto j = nlohmann::json::parse(text);  // Throws on invalid JSON or UTF-8.
  EXPECT_EQ(j["theorem"], "th\"m");
  EXPECT_EQ(j["seed"].get<uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(j["nodes"][0]["state"], "\xE2\x88\x80 x, \"P\" x\n\tQ\\x \x01");
  EXPECT_DOUBLE_EQ(j["nodes"][0]["t_s"].get<double>(), 1.500001);
  EXPECT_EQ(j["nodes"][1]["step"], "rewrite \"H\"\xEF\xBF\xBD");  // Invalid byte replaced.
  EXPECT_DOUBLE_EQ(j["nodes"][1]["score"].get<double>(), -0.25);
  EXPECT_EQ(j["nodes"][1]["parent"], 0);
  ASSERT_EQ(j["tries"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["tries"][0]["elapsed_s"].get<double>(), 0.00002);
  EXPECT_FALSE(j["tries"][0].contains("message"));
  EXPECT_EQ(j["tries"][1]["to"], -1);
  EXPECT_EQ(j["tries"][1]["duplicate_of"], 0);
  EXPECT_DOUBLE_EQ(j["tries"][1]["logprob"].get<double>(), -1e-300);
  EXPECT_EQ(j["tries"][1]["message"], std::string(240, 'm') + "...");
  EXPECT_EQ(j["tries"][2]["hammer"], true);
  EXPECT_EQ(j["tries"][2]["hammer_prover"], "cvc5/64");
  EXPECT_EQ(j["tries"][2]["outcome"], "step_error");
  EXPECT_EQ(j["tries"][2]["message"], "no proof");
  EXPECT_EQ(j["queries"][1]["error"], "down");
  EXPECT_DOUBLE_EQ(j["queries"][0]["elapsed_s"].get<double>(), 0.3);
  EXPECT_FALSE(j["queries"][0].contains("error"));
}

TEST(SearchTreeTest, TextIsReleasedWithoutTraceOnlyWhenNodeIsDone) {
  SearchTree tree(1, false);
  tree.AddRoot(State("r"), absl::ZeroDuration());
  EXPECT_EQ(tree.Pop(), 0);
  const int a = tree.AddNode(0, tree.Intern("a"), -1, false, 0, "id-a", "A", absl::ZeroDuration());
  const int b = tree.AddNode(0, tree.Intern("b"), -2, false, 0, "id-b", "B", absl::ZeroDuration());
  tree.Push(a);
  tree.Push(b);  // Worse: dropped at once, so released.
  EXPECT_EQ(tree.node(b).text, "");
  EXPECT_EQ(tree.node(b).live, nullptr);
  EXPECT_EQ(tree.node(a).text, "A");
  tree.AddJob({a, tree.Intern("c"), -1, -2, false, 0});
  EXPECT_EQ(tree.Pop(), a);
  tree.MarkExpanded(a);  // A job is pending: kept.
  EXPECT_EQ(tree.StateFor(a)->id, "id-a");
  EXPECT_EQ(tree.StateFor(a)->steps, std::vector<std::string>{"a"});
  tree.PopStep();
  tree.JobDone(a);
  EXPECT_EQ(tree.node(a).text, "");
  EXPECT_EQ(tree.node(a).live, nullptr);
}

TEST(CandidatesTest, MergeKeepsBestAndSorts) {
  std::vector<Candidate> m = MergeCandidates(
      {{"a", -2, false, 3}, {"b", -1, false}, {"a", -0.5, false}, {"h", -3, true}});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].step, "a");
  EXPECT_DOUBLE_EQ(m[0].logprob, -0.5);
  EXPECT_EQ(m[0].time_units, 3);  // The most any copy had.
  EXPECT_EQ(m[1].time_units, 1);
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
