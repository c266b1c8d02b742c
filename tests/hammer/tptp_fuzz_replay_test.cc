// Replays the fuzz corpus (tests/hammer/fuzz_corpus and the hammer test
// problems) through the fuzz target without libFuzzer, plus deterministic
// mutations of each file: every prefix, and single-byte edits at a stride.
// Runs under gcc in both builds; the clang libFuzzer run is CMake-only.
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

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> out;
  for (const char* dir : {"/tests/hammer/fuzz_corpus", "/tests/hammer/data"}) {
    std::string root = thor::testing::SourceDir() + dir;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (e.is_regular_file()) out.push_back(e.path().string());
    }
  }
  return out;
}

TEST(TptpFuzzReplayTest, CorpusAndMutationsNeverCrash) {
  std::vector<std::string> files = CorpusFiles();
  ASSERT_GT(files.size(), 10u) << "fuzz corpus missing";
  const std::string bytes = "()[],.:!?~&|=\"'%$/*\\\n X1a";
  size_t runs = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    EXPECT_EQ(Feed(text), 0);
    for (size_t cut = 0; cut <= text.size(); ++cut) Feed(text.substr(0, cut));
    for (size_t at = 0; at < text.size(); at += 5) {
      for (char b : bytes) {
        std::string mutated = text;
        mutated[at] = b;
        Feed(mutated);
        ++runs;
      }
    }
  }
  // Deep nesting is rejected, not a stack overflow.
  Feed("fof(a, axiom, " + std::string(100000, '(') + "p" + std::string(100000, ')') + ").");
  Feed("fof(a, axiom, " + std::string(100000, '~') + "p).");
  Feed("fof(a, axiom, p(" + std::string(50000, 'f') + std::string(50000, '(') + ")).");
  EXPECT_GT(runs, 1000u);
}

}  // namespace
