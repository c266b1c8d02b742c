#include "tests/testing/paths.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "common/env.h"

namespace thor::testing {
namespace {

bool IsDir(const std::string& p) {
  struct stat st;
  return !p.empty() && ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string RealPath(const std::string& p) {
  char buf[PATH_MAX];
  return ::realpath(p.c_str(), buf) != nullptr ? std::string(buf) : std::string();
}

}  // namespace

std::string SourceDir() {
  if (const char* env = std::getenv("THOR_SOURCE_DIR"); env != nullptr && IsDir(env)) {
    return RealPath(env);
  }
  const std::string anchor = "tests/testing/anchor.txt";
  std::string candidates[] = {anchor, "thor/" + anchor};
  if (const char* rf = std::getenv("TEST_SRCDIR")) {
    candidates[1] = std::string(rf) + "/thor/" + anchor;
  }
  for (const std::string& c : candidates) {
    std::string real = RealPath(c);
    if (!real.empty()) return real.substr(0, real.size() - anchor.size() - 1);
  }
  return "";
}

std::string BenchmarksDir() {
  if (const char* env = std::getenv("THOR_BENCHMARKS_DIR"); env != nullptr && IsDir(env)) {
    return RealPath(env);
  }
  std::string src = SourceDir();
  std::string dir = src.empty() ? "" : RealPath(src + "/../shared/benchmarks");
  return IsDir(dir) ? dir : "";
}

std::string TestBinary(const char* env_var, const std::string& runfiles_path,
                       const std::string& compiled_in) {
  auto exists = [](const std::string& p) {
    struct stat st;
    return !p.empty() && ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  };
  if (const char* env = std::getenv(env_var); env != nullptr && *env != '\0') {
    return exists(env) ? std::string(env) : std::string();
  }
  std::string candidates[] = {compiled_in, runfiles_path, ""};
  if (const char* rf = std::getenv("TEST_SRCDIR")) {
    candidates[2] = std::string(rf) + "/thor/" + runfiles_path;
  }
  for (const std::string& c : candidates) {
    if (exists(c)) return c;
  }
  return "";
}

std::string MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string tmpl = (base != nullptr ? std::string(base) : TempDirRoot()) + "/thor_test_XXXXXX";
  char* made = ::mkdtemp(tmpl.data());
  return made != nullptr ? std::string(made) : std::string();
}

}  // namespace thor::testing
