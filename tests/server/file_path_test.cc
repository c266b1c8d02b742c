// No client decides which server file is read: Theorem.file_path and
// working_directory are refused by every RPC that takes a theorem unless the
// operator configured a theorem_file_root and the path resolves inside it
// (symlinks and ".." followed), and no refusal ever shows file content.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "server/client_paths.h"
#include "server/config.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/paths.h"

namespace thor::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kSecret[] = "THOR-SECRET-MARKER-7f3a";

// A temp tree: root/ holds the allowed theorem file and a symlink that
// leads out; outside/ holds a secret next to it.
struct Tree {
  std::string root, inside_file, secret_file, escaping_link, dotdot;
  Tree() {
    const std::string base = MakeTempDir();
    root = base + "/root";
    fs::create_directories(root + "/sub");
    fs::create_directories(base + "/outside");
    inside_file = root + "/sub/T.v";
    std::ofstream(inside_file) << "Definition d := 0.\nLemma t : True.\n";
    secret_file = base + "/outside/secret.v";
    std::ofstream(secret_file) << kSecret << "\nLemma t : True.\n";
    escaping_link = root + "/link.v";
    fs::create_symlink(secret_file, escaping_link);
    dotdot = root + "/../outside/secret.v";
  }
};

// One RPC that carries a theorem; returns its status.
using Call = std::function<grpc::Status(v1::ProofSearch::Stub*, const v1::Theorem&)>;

std::vector<std::pair<std::string, Call>> AllRpcs() {
  return {
      {"Prove",
       [](v1::ProofSearch::Stub* stub, const v1::Theorem& t) {
         v1::ProveRequest req;
         *req.mutable_theorem() = t;
         req.mutable_config()->set_wall_time_s(20);
         auto ctx = ContextWithTimeout(absl::Seconds(30));
         auto reader = stub->Prove(ctx.get(), req);
         v1::SearchEvent e;
         while (reader->Read(&e)) {
           // Nothing may come back that holds the secret either.
           EXPECT_EQ(e.DebugString().find(kSecret), std::string::npos);
         }
         return reader->Finish();
       }},
      {"SuggestSteps",
       [](v1::ProofSearch::Stub* stub, const v1::Theorem& t) {
         v1::SuggestStepsRequest req;
         *req.mutable_theorem() = t;
         v1::SuggestStepsResponse resp;
         auto ctx = ContextWithTimeout(absl::Seconds(30));
         grpc::Status s = stub->SuggestSteps(ctx.get(), req, &resp);
         EXPECT_EQ(resp.DebugString().find(kSecret), std::string::npos);
         return s;
       }},
      {"Hammer(state)",
       [](v1::ProofSearch::Stub* stub, const v1::Theorem& t) {
         v1::HammerRequest req;
         *req.mutable_state()->mutable_theorem() = t;
         v1::HammerResponse resp;
         auto ctx = ContextWithTimeout(absl::Seconds(30));
         grpc::Status s = stub->Hammer(ctx.get(), req, &resp);
         EXPECT_EQ(resp.DebugString().find(kSecret), std::string::npos);
         return s;
       }},
      {"CheckProof",
       [](v1::ProofSearch::Stub* stub, const v1::Theorem& t) {
         v1::CheckProofRequest req;
         *req.mutable_theorem() = t;
         req.add_steps("close");
         v1::CheckProofResponse resp;
         auto ctx = ContextWithTimeout(absl::Seconds(30));
         grpc::Status s = stub->CheckProof(ctx.get(), req, &resp);
         EXPECT_EQ(resp.DebugString().find(kSecret), std::string::npos);
         return s;
       }},
  };
}

void ExpectRefused(const grpc::Status& s, const std::string& what, const std::string& field) {
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what << ": "
                                                                  << s.error_message();
  EXPECT_NE(s.error_message().find(field), std::string::npos) << what << ": "
                                                              << s.error_message();
  EXPECT_EQ(s.error_message().find(kSecret), std::string::npos) << what;
}

TEST(FilePathTest, WithoutARootEveryRpcRefusesEveryClientNamedFile) {
  Tree tree;
  auto server = TestServer::Start();
  ASSERT_NE(server, nullptr);
  for (const auto& [rpc, call] : AllRpcs()) {
    for (const std::string& path :
         {std::string("/etc/passwd"), tree.secret_file, tree.inside_file, std::string("T.v")}) {
      v1::Theorem t = FakeTheorem();
      t.set_file_path(path);
      ExpectRefused(call(server->stub.get(), t), rpc + " " + path, "theorem.file_path");
    }
    v1::Theorem t = FakeTheorem();
    t.set_working_directory(tree.root);
    ExpectRefused(call(server->stub.get(), t), rpc + " working_directory",
                  "theorem.working_directory");
  }
  EXPECT_EQ(server->backend->sessions_started(), 0);
}

TEST(FilePathTest, WithARootOnlyFilesInsideItPass) {
  Tree tree;
  ServerConfig config;
  config.theorem_file_root = tree.root;
  auto server = TestServer::Start(config);
  ASSERT_NE(server, nullptr);
  for (const auto& [rpc, call] : AllRpcs()) {
    for (const std::string& path : {std::string("/etc/passwd"), tree.secret_file,
                                    tree.escaping_link, tree.dotdot,
                                    std::string("../outside/secret.v"),
                                    std::string("link.v")}) {
      v1::Theorem t = FakeTheorem();
      t.set_file_path(path);
      ExpectRefused(call(server->stub.get(), t), rpc + " " + path, "theorem.file_path");
    }
    v1::Theorem outside_dir = FakeTheorem();
    outside_dir.set_working_directory(tree.root + "/..");
    ExpectRefused(call(server->stub.get(), outside_dir), rpc + " working_directory",
                  "theorem.working_directory");

    // Inside: absolute, or relative to the root; the backend gets the
    // canonical path.
    for (const std::string& path : {tree.inside_file, std::string("sub/T.v"),
                                    std::string("sub/../sub/T.v")}) {
      v1::Theorem t = FakeTheorem();
      t.set_file_path(path);
      t.set_working_directory("sub");
      grpc::Status s = call(server->stub.get(), t);
      EXPECT_TRUE(s.ok()) << rpc << " " << path << ": " << s.error_message();
      EXPECT_EQ(server->backend->last_theorem().file_path,
                fs::canonical(tree.inside_file).string())
          << rpc;
      EXPECT_EQ(server->backend->last_theorem().options.Get("working_directory"),
                fs::canonical(tree.root + "/sub").string())
          << rpc;
    }
    // Inside the root but not a regular file: NOT_FOUND, still no content.
    for (const std::string& path : {std::string("sub"), std::string("missing.v")}) {
      v1::Theorem t = FakeTheorem();
      t.set_file_path(path);
      grpc::Status s = call(server->stub.get(), t);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << rpc << " " << path;
      EXPECT_NE(s.error_message().find("theorem.file_path"), std::string::npos);
    }
  }
}

TEST(FilePathTest, ARootThatIsNoDirectoryStopsTheServerFromStarting) {
  ServerConfig config;
  config.theorem_file_root = MakeTempDir() + "/does-not-exist";
  config.listen = "";
  auto server = ThorServer::Start(config, std::make_shared<Registry>());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(server.status().message().find("theorem_file_root"), std::string::npos);
}

TEST(FilePathTest, ConfigurationKey) {
  auto c = ParseServerConfig(R"({"theorem_file_root": "/srv/theorems"})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->theorem_file_root, "/srv/theorems");
  EXPECT_TRUE(ServerConfig().theorem_file_root.empty());  // Off by default.
  EXPECT_FALSE(ParseServerConfig(R"({"theorem_file_root": 3})").ok());
}

TEST(ResolveClientPathTest, PrefixIsByComponentNotByCharacter) {
  const std::string base = MakeTempDir();
  fs::create_directories(base + "/theorems");
  fs::create_directories(base + "/theorems-other");
  std::ofstream(base + "/theorems-other/x.v") << "x";
  auto r = ResolveClientPath(base + "/theorems-other/x.v", base + "/theorems",
                             PathKind::kRegularFile, "f");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied) << r.status();
  // Whether a path outside exists is not told: same code and message.
  auto missing = ResolveClientPath(base + "/theorems-other/none.v", base + "/theorems",
                                   PathKind::kRegularFile, "f");
  EXPECT_EQ(missing.status(), r.status());
}

}  // namespace
}  // namespace thor::testing
