// Training, querying, saving and loading the k-NN model, and the leakage
// rule (learn/knn_model.h).
#include "learn/knn_model.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace thor::learn {
namespace {

std::string Display(const std::string& hyps, const std::string& goal) {
  return "1 goal (ID 7)\n  \n" + hyps + "  ============================\n  " + goal;
}

TrainingStep Step(const std::string& file, const std::string& theorem, int ordinal,
                  const std::string& state, const std::string& tactic) {
  TrainingStep s;
  s.file = file;
  s.theorem = theorem;
  s.theorem_ordinal = ordinal;
  s.state_text = state;
  s.tactic = tactic;
  return s;
}

// Two files in dependency order: a.v (two theorems), then b.v (one).
TrainingData Data() {
  TrainingData d;
  d.files = {"/lib/a.v", "/lib/b.v"};
  d.steps = {
      Step("/lib/a.v", "plus_0", 0, Display("  n : nat\n", "n + 0 = n"), "induction n."),
      Step("/lib/a.v", "app_nil", 1, Display("  A : Type\n  l : list A\n", "l ++ nil = l"),
           "induction l."),
      Step("/lib/a.v", "app_nil", 1, Display("  A : Type\n  l : list A\n", "nil ++ l = l"),
           "reflexivity."),
      Step("/lib/b.v", "le_refl", 0, Display("  n : nat\n", "n <= n"), "apply le_n."),
  };
  return d;
}

std::string TempPath(const std::string& name) { return ::testing::TempDir() + "/" + name; }

TEST(KnnModelTest, NearestFindsTheSameShapeFirstThroughTheIndex) {
  TrainStats stats;
  KnnModel m = KnnModel::Train(Data(), &stats);
  EXPECT_EQ(stats.steps, 4);
  EXPECT_EQ(stats.theorems, 3);
  EXPECT_EQ(stats.files, 2);
  EXPECT_EQ(stats.templates, 4);
  EXPECT_GT(stats.features, 10);
  // The same goal under other names.
  std::vector<Neighbor> near =
      m.Nearest(StateFeatures(Display("  B : Type\n  xs : list B\n", "xs ++ nil = xs")), 4);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0].step, 1u);
  EXPECT_GT(near[0].similarity, 0.8);  // Only the names' shapes differ.
  EXPECT_LE(near[0].similarity, 1.0 + 1e-5);
  for (size_t i = 1; i < near.size(); ++i) EXPECT_LE(near[i].similarity, near[i - 1].similarity);
  EXPECT_EQ(m.TemplateOf(near[0].step).text, "induction $h0.");
  // k bounds the answer; a state sharing no feature meets no step.
  EXPECT_EQ(m.Nearest(StateFeatures(Display("  n : nat\n", "n + 0 = n")), 1).size(), 1u);
  EXPECT_TRUE(m.Nearest({{12345u, 1.0f}}, 5).empty());
}

TEST(KnnModelTest, LeakageRuleExcludesItsOwnTheoremAndEverythingAfter) {
  KnnModel m = KnnModel::Train(Data());
  const FeatureCounts q = StateFeatures(Display("  A : Type\n  l : list A\n", "l ++ nil = l"));
  // app_nil (a.v, second theorem) sees only plus_0: not its own steps, not b.v.
  std::optional<Cutoff> cut = m.CutoffFor("a.v", "lib/a.v:app_nil");
  ASSERT_TRUE(cut.has_value());
  for (const Neighbor& n : m.Nearest(q, 10, cut)) {
    EXPECT_EQ(m.TheoremOf(n.step), "plus_0");
  }
  // The first theorem of the first file sees nothing at all.
  EXPECT_TRUE(m.Nearest(q, 10, m.CutoffFor("/lib/a.v", "plus_0")).empty());
  // A theorem of b.v sees all of a.v but not itself.
  std::vector<Neighbor> from_b = m.Nearest(q, 10, m.CutoffFor("/lib/b.v", "le_refl"));
  for (const Neighbor& n : from_b) EXPECT_EQ(m.FileOf(n.step), "/lib/a.v");
  EXPECT_FALSE(from_b.empty());
  // A theorem the file's records lack excludes its whole file onward; a file
  // the model never saw excludes nothing.
  EXPECT_EQ(m.CutoffFor("/lib/b.v", "unknown")->ordinal, 0u);
  EXPECT_FALSE(m.CutoffFor("/other/c.v", "x").has_value());
  EXPECT_FALSE(m.CutoffFor("ib/a.v", "plus_0").has_value());  // Not at a '/'.
}

// a.v marked own-file-only (a held-out file kept for bootstrapping): only
// a.v's own later theorems see its steps; b.v and unknown files do not.
TEST(KnnModelTest, OwnFileOnlyFilesAreSeenOnlyByTheirOwnLaterTheorems) {
  TrainingData d = Data();
  d.own_file_only = {"/lib/a.v", "/lib/not-in-the-data.v"};
  KnnModel m = KnnModel::Train(d);
  EXPECT_TRUE(m.OwnFileOnly(0));
  EXPECT_FALSE(m.OwnFileOnly(1));
  const FeatureCounts q = StateFeatures(Display("  A : Type\n  l : list A\n", "l ++ nil = l"));
  // Within a.v, bootstrapping as before: app_nil sees plus_0.
  std::vector<Neighbor> in_a = m.Nearest(q, 10, m.CutoffFor("/lib/a.v", "app_nil"));
  ASSERT_FALSE(in_a.empty());
  for (const Neighbor& n : in_a) EXPECT_EQ(m.TheoremOf(n.step), "plus_0");
  // b.v comes later in the order but no longer sees a.v.
  EXPECT_TRUE(m.Nearest(q, 10, m.CutoffFor("/lib/b.v", "le_refl")).empty());
  // A file the model never saw: a cutoff past every file, excluding a.v only.
  std::optional<Cutoff> other = m.CutoffFor("/other/c.v", "x");
  ASSERT_TRUE(other.has_value());
  std::vector<Neighbor> from_other =
      m.Nearest(StateFeatures(Display("  n : nat\n", "n <= n")), 10, other);
  ASSERT_FALSE(from_other.empty());
  for (const Neighbor& n : from_other) EXPECT_EQ(m.FileOf(n.step), "/lib/b.v");
  // Without a cutoff every step is there, but the part of the rule that
  // always holds keeps a.v's steps from other files and from its own later
  // theorems: b.v and an unnamed query see only b.v; app_nil sees plus_0.
  EXPECT_EQ(m.Nearest(q, 10).size(), 4u);
  EXPECT_TRUE(m.HasOwnFileOnly());
  for (const char* file : {"/lib/b.v", ""}) {
    std::vector<Neighbor> seen = m.Nearest(q, 10, m.OwnFileOnlyCutoff(file, "le_refl"));
    ASSERT_FALSE(seen.empty()) << file;
    for (const Neighbor& n : seen) EXPECT_EQ(m.FileOf(n.step), "/lib/b.v") << file;
  }
  std::vector<Neighbor> own = m.Nearest(q, 10, m.OwnFileOnlyCutoff("/lib/a.v", "app_nil"));
  ASSERT_FALSE(own.empty());
  for (const Neighbor& n : own) EXPECT_EQ(m.TheoremOf(n.step), "plus_0");
  EXPECT_FALSE(KnnModel::Train(Data()).OwnFileOnlyCutoff("/lib/a.v", "app_nil").has_value());
  // The marks survive a save and load.
  const std::string path = TempPath("own-only.knn");
  ASSERT_TRUE(m.Save(path).ok());
  absl::StatusOr<KnnModel> loaded = KnnModel::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->OwnFileOnly(0));
  EXPECT_FALSE(loaded->OwnFileOnly(1));
  EXPECT_TRUE(loaded->Nearest(q, 10, loaded->CutoffFor("/lib/b.v", "le_refl")).empty());
}

TEST(KnnModelTest, SaveAndLoadGiveTheSameModel) {
  KnnModel m = KnnModel::Train(Data());
  const std::string path = TempPath("roundtrip.knn");
  ASSERT_TRUE(m.Save(path).ok());
  absl::StatusOr<KnnModel> loaded = KnnModel::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->num_steps(), m.num_steps());
  EXPECT_EQ(loaded->num_features(), m.num_features());
  const FeatureCounts q = StateFeatures(Display("  n : nat\n", "n + 0 = n"));
  std::vector<Neighbor> a = m.Nearest(q, 4), b = loaded->Nearest(q, 4);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].step, b[i].step);
    EXPECT_EQ(a[i].similarity, b[i].similarity);
    EXPECT_EQ(loaded->TemplateOf(b[i].step).text, m.TemplateOf(a[i].step).text);
    EXPECT_EQ(loaded->TemplateOf(b[i].step).hypothesis_types,
              m.TemplateOf(a[i].step).hypothesis_types);
  }
  EXPECT_EQ(loaded->CutoffFor("a.v", "app_nil")->ordinal, 1u);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(KnnModelTest, MissingOrCorruptFilesGiveClearErrors) {
  absl::StatusOr<KnnModel> missing = KnnModel::Load(TempPath("no-such.knn"));
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("thor train --in="), std::string::npos)
      << missing.status();

  const std::string path = TempPath("corrupt.knn");
  ASSERT_TRUE(KnnModel::Train(Data()).Save(path).ok());
  const std::string good = ReadFile(path);
  struct Case {
    std::string bytes;
    std::string says;
  };
  std::string flipped = good;
  flipped[flipped.size() - 3] ^= 0x40;
  std::string version = good;
  version[8] = 9;
  const std::vector<Case> cases = {
      {"", "no THORKNN header"},
      {"{\"kind\":\"step\"}\n", "no THORKNN header"},
      {good.substr(0, good.size() - 10), "truncated"},
      {flipped, "checksum"},
      {version, "format version 9"},
  };
  for (const Case& c : cases) {
    WriteFile(path, c.bytes);
    absl::StatusOr<KnnModel> m = KnnModel::Load(path);
    ASSERT_EQ(m.status().code(), absl::StatusCode::kDataLoss) << c.says;
    EXPECT_NE(m.status().message().find(c.says), std::string::npos) << m.status();
    EXPECT_NE(m.status().message().find(path), std::string::npos) << m.status();
  }
}

// A model written by format 1 (before own-file-only marks) still loads:
// the same file with the marks' array taken out and the header redone.
TEST(KnnModelTest, ReadsFormatVersionOne) {
  const std::string path = TempPath("v1.knn");
  KnnModel m = KnnModel::Train(Data());
  ASSERT_TRUE(m.Save(path).ok());
  std::string bytes = ReadFile(path);
  constexpr size_t kHeader = 8 + 4 + 4 + 8 + 8;
  std::string payload = bytes.substr(kHeader);
  // Files: u64 count, then per file a u32 length and the bytes.
  size_t pos = 8;
  for (int i = 0; i < 2; ++i) {
    uint32_t n = 0;
    std::memcpy(&n, payload.data() + pos, 4);
    pos += 4 + n;
  }
  payload.erase(pos, 8 + 2);  // u64 count 2, two mark bytes.
  uint64_t h = 1469598103934665603ull;
  for (char c : payload) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  std::string v1 = bytes.substr(0, 8);
  const uint32_t version = 1, reserved = 0;
  const uint64_t size = payload.size();
  v1.append(reinterpret_cast<const char*>(&version), 4);
  v1.append(reinterpret_cast<const char*>(&reserved), 4);
  v1.append(reinterpret_cast<const char*>(&size), 8);
  v1.append(reinterpret_cast<const char*>(&h), 8);
  WriteFile(path, v1 + payload);
  absl::StatusOr<KnnModel> loaded = KnnModel::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->num_steps(), m.num_steps());
  EXPECT_FALSE(loaded->OwnFileOnly(0));
  EXPECT_EQ(loaded->CutoffFor("a.v", "app_nil")->ordinal, 1u);
}

TEST(KnnModelTest, SaveReplacesAtomicallyAndReportsAnUnwritablePath) {
  const std::string path = TempPath("atomic.knn");
  WriteFile(path, "old");
  ASSERT_TRUE(KnnModel::Train(Data()).Save(path).ok());
  EXPECT_TRUE(KnnModel::Load(path).ok());
  absl::Status s = KnnModel::Train(Data()).Save("/nonexistent-dir/m.knn");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent-dir/m.knn"), std::string::npos) << s;
}

TEST(TrainingDataTest, ReadsStepRecordsInFileOrderWithTheoremOrdinals) {
  const std::string path = TempPath("steps.jsonl");
  WriteFile(path,
            "{\"kind\":\"theorem\",\"file\":\"x.v\",\"theorem\":\"t1\"}\n"
            "{\"kind\":\"step\",\"file\":\"x.v\",\"theorem\":\"t1\",\"index\":0,"
            "\"before\":{\"text\":\"s0\",\"goals\":[]},\"tactic\":\"auto.\"}\n"
            "{\"kind\":\"step\",\"file\":\"x.v\",\"theorem\":\"t2\",\"index\":0,"
            "\"before\":{\"text\":\"s1\",\"goals\":[]},\"tactic\":\"easy.\"}\n"
            "{\"kind\":\"step\",\"file\":\"y.v\",\"theorem\":\"t1\",\"index\":0,"
            "\"before\":{\"text\":\"s2\",\"goals\":[]},\"tactic\":\"trivial.\"}\n"
            "{\"kind\":\"step\",\"file\":\"y.v\",\"thm");  // Cut off by a crash.
  absl::StatusOr<TrainingData> d = ReadTrainingData({path});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->files, (std::vector<std::string>{"x.v", "y.v"}));
  ASSERT_EQ(d->steps.size(), 3u);
  EXPECT_EQ(d->steps[1].theorem_ordinal, 1);
  EXPECT_EQ(d->steps[2].theorem_ordinal, 0);
  EXPECT_EQ(d->steps[1].state_text, "s1");
  EXPECT_EQ(d->steps[1].tactic, "easy.");
  EXPECT_EQ(d->skipped_lines, 1);
  EXPECT_EQ(ReadTrainingData({TempPath("none.jsonl")}).status().code(),
            absl::StatusCode::kNotFound);
  WriteFile(path, "{\"kind\":\"file\"}\n");
  EXPECT_EQ(ReadTrainingData({path}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TrainingDataTest, RecordsWrittenWithBlanksAreReadToo) {
  // As Python's json.dumps writes them (examples/python/extract_session.py
  // writes compactly, a user's own script may not); a theorem named "step"
  // is not a step.
  const std::string path = TempPath("spaced.jsonl");
  WriteFile(path,
            "{\"kind\": \"theorem\", \"file\": \"x.v\", \"theorem\": \"step\"}\n"
            "{\"kind\": \"step\", \"file\": \"x.v\", \"theorem\": \"step\", \"index\": 0, "
            "\"before\": {\"text\": \"s0\", \"goals\": []}, \"tactic\": \"auto.\"}\n");
  absl::StatusOr<TrainingData> d = ReadTrainingData({path});
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->steps.size(), 1u);
  EXPECT_EQ(d->steps[0].tactic, "auto.");
  EXPECT_EQ(d->skipped_lines, 0);
}

}  // namespace
}  // namespace thor::learn
