// Where tests find the source tree and the shared benchmarks, under both
// Bazel (runfiles) and CMake/CTest.
#ifndef THOR_TESTS_TESTING_PATHS_H_
#define THOR_TESTS_TESTING_PATHS_H_

#include <string>

namespace thor::testing {

// The source tree's root: $THOR_SOURCE_DIR if set, else found through the
// runfiles symlink of tests/testing/anchor.txt (Bazel). Empty if neither.
std::string SourceDir();

// The shared benchmarks: $THOR_BENCHMARKS_DIR if set, else
// SourceDir()/../shared/benchmarks. Empty if it does not exist.
std::string BenchmarksDir();

// A fresh, empty directory for this test ($TEST_TMPDIR under Bazel).
std::string MakeTempDir();

}  // namespace thor::testing

#endif  // THOR_TESTS_TESTING_PATHS_H_
