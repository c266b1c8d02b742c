#include "tests/testing/fuzz_replay.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/testing/paths.h"

// Defined by the fuzz target the test links with.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace thor::testing {

std::vector<std::string> CorpusFiles(const std::vector<std::string>& source_dirs) {
  std::vector<std::string> out;
  for (const std::string& dir : source_dirs) {
    const std::string root = SourceDir() + dir;
    if (!std::filesystem::is_directory(root)) continue;  // The caller asserts a count.
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (e.is_regular_file()) out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int FeedFuzzTarget(const std::string& input) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

size_t ReplayWithMutations(const std::string& file, const std::string& bytes, size_t stride,
                           int* whole_rc) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  *whole_rc = FeedFuzzTarget(text);
  for (size_t cut = 0; cut <= text.size(); ++cut) FeedFuzzTarget(text.substr(0, cut));
  size_t runs = 0;
  for (size_t at = 0; at < text.size(); at += std::max<size_t>(stride, 1)) {
    for (char b : bytes) {
      std::string mutated = text;
      mutated[at] = b;
      FeedFuzzTarget(mutated);
      ++runs;
    }
  }
  return runs;
}

}  // namespace thor::testing
