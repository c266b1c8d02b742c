// The results file: append, reopen, torn-line repair, configuration check, lock.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "eval/results.h"
#include "tests/eval/eval_testing.h"
#include "tests/testing/paths.h"

namespace thor::eval {
namespace {

EvalRecord Make(const std::string& id, bool solved) {
  EvalRecord r;
  r.id = id;
  r.suite = "s";
  r.status = solved ? "PROVED" : "EXHAUSTED";
  r.solved = solved;
  r.config_hash = "h1";
  r.proof_steps = {"intros", "auto"};
  r.stats = {{"wall_s", 1.5}};
  return r;
}

TEST(ResultsTest, AppendThenReopenRoundTrips) {
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  {
    auto w = ResultWriter::Open(path, "h1");
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_TRUE((*w)->existing().records.empty());
    ASSERT_TRUE((*w)->Append(Make("a", true)).ok());
    ASSERT_TRUE((*w)->Append(Make("b", false)).ok());
  }
  auto w = ResultWriter::Open(path, "h1");
  ASSERT_TRUE(w.ok()) << w.status();
  const auto& recs = (*w)->existing().records;
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].id, "a");
  EXPECT_TRUE(recs[0].solved);
  EXPECT_EQ(recs[0].proof_steps, (std::vector<std::string>{"intros", "auto"}));
  EXPECT_DOUBLE_EQ(recs[0].stats["wall_s"].get<double>(), 1.5);
  EXPECT_EQ(recs[1].status, "EXHAUSTED");
}

TEST(ResultsTest, AxiomsAndCheckersRoundTrip) {
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  EvalRecord r = Make("a", true);
  r.axioms = {"Coq.Logic.Classical_Prop.classic"};
  r.checkers = {"coqc", "print_assumptions", "coqchk"};
  {
    auto w = ResultWriter::Open(path, "h1");
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE((*w)->Append(r).ok());
  }
  auto read = ReadResultFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->records.size(), 1u);
  EXPECT_EQ(read->records[0].axioms, r.axioms);
  EXPECT_EQ(read->records[0].checkers, r.checkers);
  const nlohmann::json j = RecordToJson(r);
  EXPECT_EQ(j["checkers"].size(), 3u);
  EXPECT_EQ(j["axioms"][0], "Coq.Logic.Classical_Prop.classic");
}

// "solved" is the status's word, never the file's: a record claiming solved
// for a proof that was not re-checked (or was rejected) does not count.
TEST(ResultsTest, SolvedMeansStatusProvedWhateverTheFileSays) {
  struct Case {
    const char* status;
    bool claimed, solved;
  } cases[] = {{"PROVED", false, true},
               {"PROVED_UNCHECKED", true, false},
               {"RECHECK_REJECTED", true, false},
               {"EXHAUSTED", true, false},
               {"RPC_PERMISSION_DENIED", true, false}};
  for (const Case& c : cases) {
    auto r = RecordFromJson({{"id", "a"}, {"status", c.status}, {"solved", c.claimed}});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->solved, c.solved) << c.status;
    EXPECT_EQ(IsSolvedStatus(c.status), c.solved) << c.status;
  }
}

TEST(ResultsTest, TornLastLineIsCutOffOnOpen) {
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  {
    auto w = ResultWriter::Open(path, "h1");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(Make("a", true)).ok());
  }
  const std::string torn = R"({"id": "b", "status": "PRO)";
  { std::ofstream(path, std::ios::app) << torn; }
  auto read = ReadResultFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->records.size(), 1u);
  EXPECT_EQ(read->torn_tail_bytes, torn.size());
  {
    auto w = ResultWriter::Open(path, "h1");
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ((*w)->existing().torn_tail_bytes, torn.size());
    ASSERT_TRUE((*w)->Append(Make("b", false)).ok());
  }
  size_t tail = 1;
  auto lines = thor::testing::ReadJsonLines(path, &tail);
  EXPECT_EQ(tail, 0u);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["id"], "b");
  EXPECT_FALSE(lines[1].is_null());
}

TEST(ResultsTest, BadCompleteLinesAreCountedAndSkipped) {
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  {
    std::ofstream out(path);
    out << R"({"id":"a","status":"PROVED","solved":true,"config_hash":"h1"})" << "\n"
        << "garbage\n"
        << R"({"no_id": 1})" << "\n";
  }
  auto w = ResultWriter::Open(path, "h1");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ((*w)->existing().records.size(), 1u);
  EXPECT_EQ((*w)->existing().bad_lines, 2);
}

TEST(ResultsTest, OtherConfigurationIsRefused) {
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  {
    auto w = ResultWriter::Open(path, "h1");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(Make("a", true)).ok());
  }
  auto w = ResultWriter::Open(path, "h2");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(w.status().message().find("--out"), std::string::npos);
}

// flock locks an open file description, so a second Open in the same process
// is refused like a second process would be (tests/eval/eval_cli_test.cc has
// the two-process case).
TEST(ResultsTest, SecondWriterIsRefusedNamingTheHolderUntilTheFirstCloses) {
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  auto first = ResultWriter::Open(path, "h1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE((*first)->Append(Make("a", true)).ok());
  auto second = ResultWriter::Open(path, "h1");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(absl::StrCat("pid ", ::getpid(), " on host ")),
            std::string::npos)
      << second.status();
  EXPECT_NE(second.status().message().find(" since 20"), std::string::npos) << second.status();
  // The refused open changed nothing.
  EXPECT_EQ(ReadResultFile(path)->records.size(), 1u);
  first->reset();
  EXPECT_FALSE(std::filesystem::exists(LockInfoPath(path))) << "the holder file stays behind";
  auto third = ResultWriter::Open(path, "h1");
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ((*third)->existing().records.size(), 1u);
}

// The run record (eval/run_info.h) is kept apart from the results: read
// back as such, never a bad line or a result, and the file resumes.
TEST(ResultsTest, RunRecordIsReadBackApartFromResults) {
  const std::string path = thor::testing::MakeTempDir() + "/r.jsonl";
  const nlohmann::json run = {{"record", "run"}, {"suite", "s"}, {"theorems", 2}};
  {
    auto w = ResultWriter::Open(path, "h1");
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_TRUE((*w)->existing().runs.empty());
    ASSERT_TRUE((*w)->AppendRun(run).ok());
    ASSERT_TRUE((*w)->Append(Make("a", true)).ok());
    EXPECT_TRUE(absl::IsInvalidArgument((*w)->AppendRun({{"id", "x"}})));
  }
  auto w = ResultWriter::Open(path, "h1");  // Resumes: the record has no configuration clash.
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ((*w)->existing().records.size(), 1u);
  EXPECT_EQ((*w)->existing().bad_lines, 0);
  ASSERT_EQ((*w)->existing().runs.size(), 1u);
  EXPECT_EQ((*w)->existing().runs[0], run);
  auto read = ReadResultFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->runs.size(), 1u);
  EXPECT_EQ(read->records.size(), 1u);
  EXPECT_TRUE(IsRunRecord(run));
  EXPECT_FALSE(IsRunRecord(nlohmann::json{{"id", "a"}, {"record", 1}}));
  EXPECT_FALSE(IsRunRecord(nlohmann::json::array()));
}

TEST(ResultsTest, UnwritablePathIsAnError) {
  auto w = ResultWriter::Open("/nonexistent-dir/x/r.jsonl", "h");
  EXPECT_FALSE(w.ok());
}

}  // namespace
}  // namespace thor::eval
