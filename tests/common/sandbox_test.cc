// ApplySandbox with the real bwrap (Debian package bubblewrap): what the
// wrapped child can and cannot touch.
#include "common/sandbox.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "gtest/gtest.h"

namespace thor {
namespace {

std::string MakeDir(const std::string& parent, const std::string& name) {
  std::string tmpl = parent + "/" + name + "-XXXXXX";
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return std::filesystem::canonical(tmpl).string();
}

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(SandboxAvailable()) << "bwrap is missing: apt-get install bubblewrap "
                                       "(scripts/bootstrap)";
    scratch_ = MakeDir("/tmp", "thor-sandbox-scratch");
    other_tmp_ = MakeDir("/tmp", "thor-sandbox-other");
    // Outside /tmp (which the sandbox replaces by a tmpfs): Bazel's test
    // temporary directory or the working directory (the build tree), which
    // the sandbox maps read-only.
    const char* test_tmp = std::getenv("TEST_TMPDIR");
    std::string parent = test_tmp != nullptr && !absl::StartsWith(test_tmp, "/tmp")
                             ? std::string(test_tmp)
                             : std::filesystem::current_path().string();
    ASSERT_FALSE(absl::StartsWith(parent, "/tmp")) << parent;
    outside_ = MakeDir(parent, "thor-sandbox-outside");
  }
  void TearDown() override {
    for (const std::string& d : {scratch_, other_tmp_, outside_}) {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
  }

  RunResult Run(const std::string& script) {
    SubprocessOptions options;
    options.argv = {"/bin/sh", "-c", script};
    options.cwd = scratch_;
    absl::StatusOr<bool> wrapped = ApplySandbox(SandboxMode::kBwrap, scratch_, &options);
    EXPECT_TRUE(wrapped.ok() && *wrapped) << wrapped.status();
    absl::StatusOr<RunResult> r = RunSubprocess(options, "", absl::Seconds(30));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : RunResult();
  }

  std::string scratch_, other_tmp_, outside_;
};

TEST_F(SandboxTest, OnlyTheScratchDirectoryIsWritable) {
  RunResult r = Run("echo in > in.txt && pwd && echo x > " + outside_ + "/x; echo rc=$?; echo y > " +
                    other_tmp_ + "/y; echo rc=$?");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, scratch_)) << r.out;  // --chdir kept.
  EXPECT_TRUE(std::filesystem::exists(scratch_ + "/in.txt"));
  // Outside /tmp: refused (read-only file system).
  EXPECT_TRUE(absl::StrContains(r.out, "rc=1") || absl::StrContains(r.out, "rc=2")) << r.out;
  EXPECT_FALSE(std::filesystem::exists(outside_ + "/x"));
  // Elsewhere in /tmp: a private tmpfs, nothing reaches the host.
  EXPECT_FALSE(std::filesystem::exists(other_tmp_ + "/y"));
}

TEST_F(SandboxTest, RedirectLikeWriteToHostTmpLeavesNothing) {
  const std::string target = "/tmp/thor-sandbox-probe-" + std::to_string(::getpid());
  std::filesystem::remove(target);
  Run("echo probe > " + target);
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(SandboxTest, NoNetwork) {
  // Only the loopback interface exists in a fresh network namespace.
  RunResult r = Run("cat /proc/net/dev");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "lo:")) << r.out;
  int interfaces = 0;
  for (size_t at = r.out.find(':'); at != std::string::npos; at = r.out.find(':', at + 1)) {
    ++interfaces;
  }
  // Two header lines contain '|' not ':'; each interface line has one ':'.
  EXPECT_EQ(interfaces, 1) << r.out;
}

// True if a live process has `needle` in its command line.
bool ProcessWithArgument(const std::string& needle) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    if (absl::StrContains(cmdline, needle) && !absl::StrContains(cmdline, "sandbox_test")) {
      return true;
    }
  }
  return false;
}

TEST_F(SandboxTest, TimeoutKillsEverythingInside) {
  // Grandchildren in the background, in the sandbox's own session: the
  // watchdog kills bwrap's group, the pid namespace takes the rest.
  const std::string arg = absl::StrCat("4242.", ::getpid() % 1000);
  SubprocessOptions options;
  options.argv = {"/bin/sh", "-c", "sleep " + arg + " & sleep " + arg + " & sleep " + arg};
  ASSERT_TRUE(*ApplySandbox(SandboxMode::kBwrap, scratch_, &options));
  absl::StatusOr<RunResult> r = RunSubprocess(options, "", absl::Milliseconds(500));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  bool left = true;
  for (int i = 0; i < 40 && left; ++i) {
    left = ProcessWithArgument("sleep " + arg);
    if (left) ::usleep(50 * 1000);
  }
  EXPECT_FALSE(left) << "a sleep started in the sandbox outlived it";
}

TEST(SandboxModeTest, ParseAndOff) {
  EXPECT_EQ(*ParseSandboxMode("auto"), SandboxMode::kAuto);
  EXPECT_EQ(*ParseSandboxMode("bwrap"), SandboxMode::kBwrap);
  EXPECT_EQ(*ParseSandboxMode("off"), SandboxMode::kOff);
  EXPECT_FALSE(ParseSandboxMode("firejail").ok());
  SubprocessOptions options;
  options.argv = {"true"};
  absl::StatusOr<bool> wrapped = ApplySandbox(SandboxMode::kOff, "/tmp", &options);
  ASSERT_TRUE(wrapped.ok());
  EXPECT_FALSE(*wrapped);
  EXPECT_EQ(options.argv, std::vector<std::string>{"true"});
  EXPECT_FALSE(ApplySandbox(SandboxMode::kBwrap, "relative", &options).ok());
}

TEST(SandboxModeTest, MissingBwrap) {
  // With an empty PATH bwrap cannot be found: auto runs unwrapped, bwrap
  // is an error naming the package.
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  ::setenv("PATH", "/nonexistent", 1);
  SubprocessOptions options;
  options.argv = {"true"};
  absl::StatusOr<bool> autom = ApplySandbox(SandboxMode::kAuto, "/tmp", &options);
  absl::StatusOr<bool> forced = ApplySandbox(SandboxMode::kBwrap, "/tmp", &options);
  ::setenv("PATH", saved.c_str(), 1);
  ASSERT_TRUE(autom.ok());
  EXPECT_FALSE(*autom);
  EXPECT_EQ(options.argv, std::vector<std::string>{"true"});
  EXPECT_EQ(forced.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(forced.status().message(), "apt-get install bubblewrap"));
}

}  // namespace
}  // namespace thor
