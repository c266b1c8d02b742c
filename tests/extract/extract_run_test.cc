// extract/: the JSONL records and the driver (file lists, resume, parallel
// runs), with a scripted tracer in place of a prover.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "extract/records.h"
#include "extract/run.h"
#include "gtest/gtest.h"
#include "tests/testing/paths.h"

namespace thor::extract {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void Write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<nlohmann::json> Lines(const std::string& path) {
  std::vector<nlohmann::json> out;
  for (absl::string_view line : absl::StrSplit(ReadAll(path), '\n', absl::SkipEmpty())) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

// One theorem with two steps per file; files whose name holds "bad" fail.
FileTrace Scripted(const std::string& path) {
  FileTrace t;
  TheoremTrace th;
  th.theorem.file = path;
  th.theorem.theorem = "t";
  th.theorem.statement = "Lemma t : True.";
  th.theorem.end = "Qed";
  th.theorem.steps = 2;
  th.theorem.dependencies = {"Coq.Init.Logic.True"};
  for (int i = 0; i < 2; ++i) {
    StepRecord s;
    s.file = path;
    s.theorem = "t";
    s.index = i;
    s.tactic = i == 0 ? "idtac." : "exact I.";
    s.before.text = "1 goal\n  ============================\n  True";
    s.before.goals = {StructuredGoal{{GoalHypothesis{{"H"}, "nat", ""}}, "True"}};
    s.finished = i == 1;
    th.steps.push_back(s);
  }
  t.theorems.push_back(th);
  t.file.theorems = 1;
  t.file.steps = 2;
  if (path.find("bad") != std::string::npos) {
    t.file.status = absl::InvalidArgumentError("line 3: Coq rejected the sentence: nope");
  }
  return t;
}

TEST(ExtractRecordsTest, StepLineHoldsEveryField) {
  FileTrace t = Scripted("/x/a.v");
  const nlohmann::json j = nlohmann::json::parse(ToJsonLine(t.theorems[0].steps[1]));
  EXPECT_EQ(j["kind"], "step");
  EXPECT_EQ(j["file"], "/x/a.v");
  EXPECT_EQ(j["theorem"], "t");
  EXPECT_EQ(j["index"], 1);
  EXPECT_EQ(j["tactic"], "exact I.");
  EXPECT_EQ(j["before"]["text"], "1 goal\n  ============================\n  True");
  EXPECT_EQ(j["before"]["goals"][0]["hypotheses"][0]["names"][0], "H");
  EXPECT_EQ(j["before"]["goals"][0]["hypotheses"][0]["type"], "nat");
  EXPECT_FALSE(j["before"]["goals"][0]["hypotheses"][0].contains("body"));
  EXPECT_EQ(j["before"]["goals"][0]["conclusion"], "True");
  EXPECT_EQ(j["after"]["goals"].size(), 0u);
  EXPECT_EQ(j["finished"], true);
  EXPECT_TRUE(j["constants"].is_array());
  // "kind" comes first, for people reading the file.
  EXPECT_EQ(ToJsonLine(t.theorems[0].steps[1]).rfind("{\"kind\":\"step\"", 0), 0u);
}

TEST(ExtractRecordsTest, ErrorFileRecordIsTypedAndParsesBack) {
  FileRecord r;
  r.file = "/x/bad.v";
  r.status = absl::DeadlineExceededError("too slow");
  const std::string line = ToJsonLine(r);
  const nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["status"], "error");
  EXPECT_EQ(j["error_code"], "DEADLINE_EXCEEDED");
  EXPECT_EQ(j["error"], "too slow");
  std::string file;
  ASSERT_TRUE(ParseFileRecord(line, &file));
  EXPECT_EQ(file, "/x/bad.v");
  EXPECT_FALSE(ParseFileRecord(ToJsonLine(Scripted("/x/a.v").theorems[0].theorem), &file));
}

TEST(ExtractRecordsTest, InvalidUtf8IsReplacedNotThrown) {
  StepRecord s;
  s.tactic = "exact \xff.";
  const nlohmann::json j = nlohmann::json::parse(ToJsonLine(s));
  EXPECT_EQ(j["tactic"], "exact \xEF\xBF\xBD.");
}

TEST(ExtractRunTest, CollectsFilesOfFoldersSortedAndOnce) {
  const std::string dir = testing::MakeTempDir();
  Write(dir + "/src/b.v", "");
  Write(dir + "/src/a.v", "");
  Write(dir + "/src/sub/c.v", "");
  Write(dir + "/src/notes.txt", "");
  auto files = CollectSourceFiles({dir + "/src", dir + "/src/a.v"}, ".v");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files, (std::vector<std::string>{dir + "/src/a.v", dir + "/src/b.v",
                                              dir + "/src/sub/c.v"}));
  EXPECT_EQ(CollectSourceFiles({dir + "/missing"}, ".v").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CollectSourceFiles({}, ".v").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ExtractRunTest, WritesEveryFileOnceInParallelAndKeepsGoingAfterAFailure) {
  const std::string dir = testing::MakeTempDir();
  std::vector<std::string> files;
  for (const char* name : {"a.v", "bad.v", "c.v", "d.v", "e.v"}) files.push_back(dir + "/" + name);
  RunOptions options;
  options.out_path = dir + "/out.jsonl";
  options.jobs = 3;
  std::ostringstream progress;
  options.progress = &progress;
  auto summary = RunExtraction(files, Scripted, options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->traced, 5);
  EXPECT_EQ(summary->failed, 1);
  EXPECT_EQ(summary->steps, 10);
  std::map<std::string, int> file_records;
  std::map<std::string, int> steps;
  for (const nlohmann::json& j : Lines(options.out_path)) {
    if (j["kind"] == "file") ++file_records[j["file"]];
    if (j["kind"] == "step") ++steps[j["file"]];
    if (j["kind"] == "file" && j["file"] == dir + "/bad.v") {
      EXPECT_EQ(j["status"], "error");
      EXPECT_EQ(j["error_code"], "INVALID_ARGUMENT");
    }
  }
  for (const std::string& f : files) {
    EXPECT_EQ(file_records[f], 1) << f;
    EXPECT_EQ(steps[f], 2) << f;
  }
  EXPECT_NE(progress.str().find("[5/5]"), std::string::npos) << progress.str();
  EXPECT_NE(progress.str().find("ERROR INVALID_ARGUMENT"), std::string::npos);
}

TEST(ExtractRunTest, ResumeSkipsFinishedFilesAndCutsAPartialBlock) {
  const std::string dir = testing::MakeTempDir();
  const std::vector<std::string> files = {dir + "/a.v", dir + "/b.v", dir + "/c.v"};
  RunOptions options;
  options.out_path = dir + "/out.jsonl";
  ASSERT_TRUE(RunExtraction({files[0], files[1]}, Scripted, options).ok());
  // A run killed while writing c.v's block: its records without the file
  // record, the last line cut short.
  const std::string before = ReadAll(options.out_path);
  const std::string partial = ToJsonLines(Scripted(files[2]));
  std::ofstream(options.out_path, std::ios::app | std::ios::binary)
      << partial.substr(0, partial.size() / 2);
  std::atomic<int> calls{0};
  std::vector<std::string> traced;
  absl::Mutex mu;
  auto counting = [&](const std::string& path) {
    ++calls;
    absl::MutexLock lock(&mu);
    traced.push_back(path);
    return Scripted(path);
  };
  auto summary = RunExtraction(files, counting, options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->skipped, 2);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(traced, std::vector<std::string>{files[2]});
  // The partial block is gone; c.v's complete block follows a.v's and b.v's.
  FileTrace c = Scripted(files[2]);
  c.file.file = files[2];
  EXPECT_EQ(ReadAll(options.out_path), before + ToJsonLines(c));
  // Everything done: a third run traces nothing and changes nothing.
  const std::string done = ReadAll(options.out_path);
  auto again = RunExtraction(files, counting, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->skipped, 3);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(ReadAll(options.out_path), done);
}

}  // namespace
}  // namespace thor::extract
