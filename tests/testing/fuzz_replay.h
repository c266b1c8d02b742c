// Replays a libFuzzer target's corpus without libFuzzer (gcc, both builds):
// every corpus file, each of its prefixes, and single-byte edits at a stride.
// The clang libFuzzer run itself is CMake-only (thor_libfuzzer in
// tests/CMakeLists.txt).
#ifndef THOR_TESTS_TESTING_FUZZ_REPLAY_H_
#define THOR_TESTS_TESTING_FUZZ_REPLAY_H_

#include <cstddef>
#include <string>
#include <vector>

namespace thor::testing {

// Regular files under the given folders of the source tree (relative to
// SourceDir(), e.g. "/tests/hammer/fuzz_corpus"), in a stable order.
std::vector<std::string> CorpusFiles(const std::vector<std::string>& source_dirs);

// Feeds `file`'s bytes to LLVMFuzzerTestOneInput, then every prefix, then the
// text with the byte at 0, stride, 2*stride... replaced by each of `bytes`.
// Returns the number of mutated inputs fed; sets *whole_rc to what the
// target returned for the unmodified file.
size_t ReplayWithMutations(const std::string& file, const std::string& bytes, size_t stride,
                           int* whole_rc);

// Feeds one input to the target.
int FeedFuzzTarget(const std::string& input);

}  // namespace thor::testing

#endif  // THOR_TESTS_TESTING_FUZZ_REPLAY_H_
