// Replays the TPTP reader's fuzz corpus (tests/hammer/fuzz_corpus and the
// hammer test problems) through the fuzz target without libFuzzer, with
// prefixes and single-byte edits every 5 bytes (tests/testing/fuzz_replay.h).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/fuzz_replay.h"

namespace {

using thor::testing::FeedFuzzTarget;

TEST(TptpFuzzReplayTest, CorpusAndMutationsNeverCrash) {
  const std::vector<std::string> files =
      thor::testing::CorpusFiles({"/tests/hammer/fuzz_corpus", "/tests/hammer/data"});
  ASSERT_GT(files.size(), 10u) << "fuzz corpus missing";
  const std::string bytes = "()[],.:!?~&|=\"'%$/*\\\n X1a";
  size_t runs = 0;
  for (const std::string& file : files) {
    int rc = -1;
    runs += thor::testing::ReplayWithMutations(file, bytes, 5, &rc);
    EXPECT_EQ(rc, 0) << file;
  }
  // Deep nesting is rejected, not a stack overflow.
  FeedFuzzTarget("fof(a, axiom, " + std::string(100000, '(') + "p" + std::string(100000, ')') +
                 ").");
  FeedFuzzTarget("fof(a, axiom, " + std::string(100000, '~') + "p).");
  FeedFuzzTarget("fof(a, axiom, p(" + std::string(50000, 'f') + std::string(50000, '(') + ")).");
  EXPECT_GT(runs, 1000u);
}

}  // namespace
