// Training, querying, saving and loading the k-NN model, and the leakage
// rule (learn/knn_model.h).
#include "learn/knn_model.h"

#include <cstring>
#include <map>
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

TrainingStep Indexed(TrainingStep s, int index) {
  s.index = index;
  return s;
}

// Proof texts: a whole proof from each step to its end, the library's own
// names, blanks collapsed; a step without a goal (not kept as a neighbour)
// still belongs to the text; a proof whose records miss a step has none.
TrainingData ProofData() {
  TrainingData d;
  d.files = {"/lib/p.v"};
  const std::string s0 = Display("", "forall l : list nat, l ++ nil = l");
  const std::string s1 = Display("  l : list nat\n", "l ++ nil = l");
  d.steps = {
      Indexed(Step("/lib/p.v", "app_nil", 0, s0, "intros  l."), 0),
      Indexed(Step("/lib/p.v", "app_nil", 0, s1, "induction l;\n  simpl."), 1),
      Indexed(Step("/lib/p.v", "app_nil", 0, "", "all: congruence."), 2),
      Indexed(Step("/lib/p.v", "gap", 1, s0, "intros l."), 0),
      Indexed(Step("/lib/p.v", "gap", 1, s1, "auto."), 2),
  };
  return d;
}

// A rest in another goal's names: the binder the first step's state
// quantifies, the hypothesis the second step's state has.
TEST(KnnModelTest, AdaptedRestOfProofUsesTheGoalsOwnNames) {
  TrainingData d = ProofData();
  d.steps.push_back(Indexed(Step("/lib/p.v", "plain", 2, Display("", "forall n : nat, n = n"),
                                 "intros."), 0));
  d.steps.push_back(Indexed(Step("/lib/p.v", "plain", 2, Display("  n : nat\n", "n = n"),
                                 "reflexivity."), 1));
  TrainStats stats;
  const KnnModel trained = KnnModel::Train(d, &stats);
  EXPECT_EQ(stats.rests, 3);           // app_nil's steps 0 and 1, plain's 0; gap is not whole.
  EXPECT_EQ(stats.rest_templates, 2);  // app_nil's name l; plain's names nothing.
  const std::string path = TempPath("adapted.knn");
  ASSERT_TRUE(trained.Save(path).ok());
  absl::StatusOr<KnnModel> loaded = KnnModel::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  for (const KnnModel* m : {&trained, static_cast<const KnnModel*>(&*loaded)}) {
    std::map<std::pair<std::string, uint32_t>, uint32_t> step;
    for (uint32_t s = 0; s < m->num_steps(); ++s) step[{m->TheoremOf(s), m->IndexOf(s)}] = s;
    const uint32_t first = step.at({"app_nil", 0}), second = step.at({"app_nil", 1});
    const LocalNames statement =
        LocalNamesOf(ParseStateText(Display("", "forall xs : list nat, xs ++ nil = xs"))[0]);
    EXPECT_EQ(m->AdaptedRestOfProof(first, statement).value_or("none"),
              "intros xs. induction xs; simpl. all: congruence.");
    const LocalNames inside =
        LocalNamesOf(ParseStateText(Display("  ys : list nat\n", "ys ++ nil = ys"))[0]);
    EXPECT_EQ(m->AdaptedRestOfProof(second, inside).value_or("none"),
              "induction ys; simpl. all: congruence.");
    // No name for the placeholder; a proof the model does not hold whole.
    const LocalNames bare = LocalNamesOf(ParseStateText(Display("", "True"))[0]);
    EXPECT_FALSE(m->AdaptedRestOfProof(first, bare).has_value());
    EXPECT_FALSE(m->AdaptedRestOfProof(step.at({"gap", 0}), statement).has_value());
    // A rest that names nothing local reads the same anywhere: none kept.
    EXPECT_EQ(m->RestOfProof(step.at({"plain", 0})), "intros. reflexivity.");
    EXPECT_FALSE(m->AdaptedRestOfProof(step.at({"plain", 0}), statement).has_value());
  }
}

TEST(KnnModelTest, RestOfProofRunsFromTheStepToTheProofsEnd) {
  const KnnModel m = KnnModel::Train(ProofData());
  ASSERT_EQ(m.num_steps(), 4u);  // The goal-less step is not a neighbour.
  std::map<std::pair<std::string, uint32_t>, uint32_t> step;
  for (uint32_t s = 0; s < m.num_steps(); ++s) step[{m.TheoremOf(s), m.IndexOf(s)}] = s;
  const uint32_t first = step.at({"app_nil", 0}), second = step.at({"app_nil", 1});
  EXPECT_EQ(m.RestOfProof(first), "intros l. induction l; simpl. all: congruence.");
  EXPECT_EQ(m.RestOfProof(second), "induction l; simpl. all: congruence.");
  EXPECT_EQ(m.ProofSteps(first), 3u);
  EXPECT_EQ(m.RestOfProof(step.at({"gap", 0})), "");
  EXPECT_EQ(m.ProofSteps(step.at({"gap", 2})), 0u);

  const std::string path = TempPath("proofs.knn");
  ASSERT_TRUE(m.Save(path).ok());
  absl::StatusOr<KnnModel> loaded = KnnModel::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->RestOfProof(second), "induction l; simpl. all: congruence.");
  EXPECT_EQ(loaded->RestOfProof(step.at({"gap", 0})), "");
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

// The same model as an older format would have written it: version 3 has
// no rests' templates, version 2 no proof texts either, version 1 neither
// those nor the own-file-only marks. The payload is walked as version 4
// lays it out and the header redone.
std::string AsOlderVersion(const std::string& v4, uint32_t version) {
  constexpr size_t kHeader = 8 + 4 + 4 + 8 + 8;
  const std::string in = v4.substr(kHeader);
  std::string out;
  size_t pos = 0;
  auto u32 = [&](size_t at) {
    uint32_t n = 0;
    std::memcpy(&n, in.data() + at, 4);
    return n;
  };
  auto u64 = [&](size_t at) {
    uint64_t n = 0;
    std::memcpy(&n, in.data() + at, 8);
    return n;
  };
  auto keep = [&](size_t n) {
    out.append(in, pos, n);
    pos += n;
  };
  const uint64_t files = u64(pos);
  keep(8);
  for (uint64_t i = 0; i < files; ++i) keep(4 + u32(pos));
  if (version >= 2) {
    keep(8 + u64(pos));  // The marks: u64 count and a byte each.
  } else {
    pos += 8 + u64(pos);
  }
  const uint64_t theorems = u64(pos);
  keep(8);
  for (uint64_t i = 0; i < theorems; ++i) {
    keep(4 + 4);
    keep(4 + u32(pos));  // Name.
    if (version >= 3) {
      keep(4 + u32(pos));       // Proof text.
      keep(8 + 4 * u64(pos));   // Step starts.
    } else {
      pos += 4 + u32(pos);
      pos += 8 + 4 * u64(pos);
    }
  }
  const uint64_t templates = u64(pos);
  keep(8);
  for (uint64_t i = 0; i < 2 * templates; ++i) keep(4 + u32(pos));  // Text, types.
  const uint64_t rests = u64(pos);
  pos += 8;
  for (uint64_t i = 0; i < 2 * rests; ++i) pos += 4 + u32(pos);
  const uint64_t steps = u64(pos);
  keep(8);
  for (uint64_t i = 0; i < steps; ++i) {
    keep(12);  // Theorem, index, template.
    pos += 4;  // The rest's template.
  }
  keep(in.size() - pos);
  uint64_t h = 1469598103934665603ull;
  for (char c : out) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  std::string file = v4.substr(0, 8);
  const uint32_t reserved = 0;
  const uint64_t size = out.size();
  file.append(reinterpret_cast<const char*>(&version), 4);
  file.append(reinterpret_cast<const char*>(&reserved), 4);
  file.append(reinterpret_cast<const char*>(&size), 8);
  file.append(reinterpret_cast<const char*>(&h), 8);
  return file + out;
}

// Models written by formats 1 to 3 still load: without proof texts (1, 2),
// with them but no rests' templates (3).
TEST(KnnModelTest, ReadsFormatVersionsOneToThree) {
  const std::string path = TempPath("older.knn");
  TrainingData d = Data();
  d.own_file_only = {"/lib/b.v"};
  for (const TrainingStep& s : ProofData().steps) {
    d.steps.push_back(s);
    d.steps.back().file = "/lib/b.v";
    d.steps.back().theorem_ordinal += 1;
  }
  KnnModel m = KnnModel::Train(d);
  ASSERT_TRUE(m.Save(path).ok());
  const std::string v4 = ReadFile(path);
  uint32_t with_rest = 0;
  while (with_rest < m.num_steps() && m.RestOfProof(with_rest).empty()) ++with_rest;
  ASSERT_LT(with_rest, m.num_steps());
  EXPECT_TRUE(m.HasProofTexts());
  // Names enough for any of the rests' placeholders here.
  const LocalNames many = LocalNamesOf(ParseStateText(Display(
      "  a : nat\n  b : nat\n  c : list nat\n  d : list nat\n", "forall x y z : nat, x = y"))[0]);
  uint32_t adapted = 0;
  while (adapted < m.num_steps() && !m.AdaptedRestOfProof(adapted, many)) ++adapted;
  ASSERT_LT(adapted, m.num_steps());
  for (uint32_t version : {1u, 2u, 3u}) {
    WriteFile(path, AsOlderVersion(v4, version));
    absl::StatusOr<KnnModel> loaded = KnnModel::Load(path);
    ASSERT_TRUE(loaded.ok()) << "version " << version << ": " << loaded.status();
    EXPECT_EQ(loaded->num_steps(), m.num_steps());
    EXPECT_EQ(loaded->OwnFileOnly(1), version >= 2);
    EXPECT_EQ(loaded->CutoffFor("a.v", "app_nil")->ordinal, 1u);
    EXPECT_EQ(loaded->RestOfProof(with_rest), version >= 3 ? m.RestOfProof(with_rest) : "")
        << "version " << version;
    EXPECT_EQ(loaded->HasProofTexts(), version >= 3);
    EXPECT_FALSE(loaded->AdaptedRestOfProof(adapted, many).has_value()) << "version " << version;
    EXPECT_EQ(loaded->TemplateOf(with_rest).text, m.TemplateOf(with_rest).text);
  }
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
