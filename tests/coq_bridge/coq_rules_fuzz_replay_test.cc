// Replays the Coq rules' fuzz corpus (tests/coq_bridge/fuzz_corpus) through
// the fuzz target without libFuzzer, with prefixes and single-byte edits at
// every position (tests/testing/fuzz_replay.h).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/fuzz_replay.h"

namespace {

using thor::testing::FeedFuzzTarget;

TEST(CoqRulesFuzzReplayTest, CorpusAndMutationsKeepTheInvariants) {
  const std::vector<std::string> files =
      thor::testing::CorpusFiles({"/tests/coq_bridge/fuzz_corpus"});
  ASSERT_GE(files.size(), 10u) << "fuzz corpus missing under tests/coq_bridge/fuzz_corpus";
  // Bytes that matter to the lexer: terminators, comments, strings,
  // bullets, selectors, attributes, a control byte, a non-ASCII lead byte.
  const std::string bytes = std::string(".(*)\"-+{}:#[]A a\n\t\x01\xc2\xa0", 22);
  size_t runs = 0;
  for (const std::string& file : files) {
    int rc = -1;
    runs += thor::testing::ReplayWithMutations(file, bytes, 1, &rc);
    EXPECT_EQ(rc, 0) << file;
  }
  // Deep nesting and long input are linear, not a stack overflow.
  FeedFuzzTarget("auto " + std::string(100000, '(') + "*" + std::string(100000, ')') + ".");
  FeedFuzzTarget("auto (*" + std::string(200000, '(') + "*)");
  FeedFuzzTarget(std::string(100000, '-') + " auto.");
  EXPECT_GT(runs, 1000u);
}

}  // namespace
