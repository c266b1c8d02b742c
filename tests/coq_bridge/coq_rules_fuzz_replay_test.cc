// Replays the fuzz corpus (tests/coq_bridge/fuzz_corpus) through the Coq
// rules fuzz target without libFuzzer, plus deterministic mutations of each
// file: every prefix, and single-byte edits at every position. Runs under
// gcc in both builds; the clang libFuzzer run is CMake-only.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/paths.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int Feed(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(CoqRulesFuzzReplayTest, CorpusAndMutationsKeepTheInvariants) {
  std::vector<std::string> files;
  const std::string root = thor::testing::SourceDir() + "/tests/coq_bridge/fuzz_corpus";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  ASSERT_GE(files.size(), 10u) << "fuzz corpus missing under " << root;
  // Bytes that matter to the lexer: terminators, comments, strings,
  // bullets, selectors, attributes, a control byte, a non-ASCII lead byte.
  const std::string bytes = std::string(".(*)\"-+{}:#[]A a\n\t\x01\xc2\xa0", 22);
  size_t runs = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    EXPECT_EQ(Feed(text), 0);
    for (size_t cut = 0; cut <= text.size(); ++cut) Feed(text.substr(0, cut));
    for (size_t at = 0; at < text.size(); ++at) {
      for (char b : bytes) {
        std::string mutated = text;
        mutated[at] = b;
        Feed(mutated);
        ++runs;
      }
    }
  }
  // Deep nesting and long input are linear, not a stack overflow.
  Feed("auto " + std::string(100000, '(') + "*" + std::string(100000, ')') + ".");
  Feed("auto (*" + std::string(200000, '(') + "*)");
  Feed(std::string(100000, '-') + " auto.");
  EXPECT_GT(runs, 1000u);
}

}  // namespace
