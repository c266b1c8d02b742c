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

// A fresh, empty directory for this test ($TEST_TMPDIR under Bazel, else
// under $TMPDIR or /tmp).
std::string MakeTempDir();

// A binary a test runs (thor, a fake server): $`env_var` if set (empty if
// that file does not exist, so a mistyped override fails the test instead of
// silently testing another binary); else `compiled_in` (CMake compiles target paths in, since
// CTest keeps only the first ENVIRONMENT entry of a discovered test); else
// `runfiles_path` (e.g. "app/thor") under Bazel's runfiles, for a test
// that lists the binary in `data`. Empty if none exists.
std::string TestBinary(const char* env_var, const std::string& runfiles_path,
                       const std::string& compiled_in);

}  // namespace thor::testing

#endif  // THOR_TESTS_TESTING_PATHS_H_
