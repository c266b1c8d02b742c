#include "common/env.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace thor {
namespace {

class PosixEnv : public Env {
 public:
  absl::Time Now() override { return absl::Now(); }
  void SleepFor(absl::Duration d) override { absl::SleepFor(d); }

  absl::StatusOr<RunResult> Run(const SubprocessOptions& options, const std::string& stdin_data,
                                absl::Duration timeout,
                                const std::atomic<bool>* cancel) override {
    return RunSubprocess(options, stdin_data, timeout, cancel);
  }

  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  absl::Status WriteFile(const std::string& path, const std::string& contents) override {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !(out << contents) || !out.flush()) {
      return absl::InternalError(absl::StrCat("cannot write ", path));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> MakeTempDir(const std::string& prefix) override {
    std::string tmpl = absl::StrCat(TempDirRoot(), "/", prefix, "-XXXXXX");
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return absl::InternalError(
          absl::StrCat("mkdtemp under ", TempDirRoot(), " failed: ", std::strerror(errno)));
    }
    return tmpl;
  }
};

}  // namespace

Env* Env::Default() {
  static Env* const env = new PosixEnv();
  return env;
}

std::string TempDirRoot() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && tmp[0] == '/' ? std::string(tmp) : std::string("/tmp");
}

}  // namespace thor
