// The suite registry, the JSONL loader (on the shared PISA index), shards and
// --budget.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "eval/budget.h"
#include "eval/jsonl_suite.h"
#include "eval/suite.h"
#include "tests/testing/paths.h"

namespace thor::eval {
namespace {

TEST(JsonlSuiteTest, ParsesFieldsAndDefaults) {
  auto suite = ParseJsonlSuite(
      "# comment\n"
      R"({"id": "a", "prover": "coq", "statement": "Lemma a : True.", "imports": ["Arith"]})"
      "\n\n"
      R"({"name": "b", "statement": "lemma b: \"x = x\"", "session": "HOL"})"
      "\n"
      R"({"statement": "lemma c: True"})"
      "\n",
      "dir/my_suite.jsonl", "isabelle");
  ASSERT_TRUE(suite.ok()) << suite.status();
  ASSERT_EQ(suite->size(), 3u);
  EXPECT_EQ((*suite)[0].id, "a");
  EXPECT_EQ((*suite)[0].theorem.prover(), "coq");
  ASSERT_EQ((*suite)[0].theorem.imports_size(), 1);
  EXPECT_EQ((*suite)[0].theorem.imports(0), "Arith");
  EXPECT_EQ((*suite)[1].id, "b");
  EXPECT_EQ((*suite)[1].theorem.prover(), "isabelle");
  EXPECT_EQ((*suite)[1].theorem.session(), "HOL");
  EXPECT_EQ((*suite)[2].id, "my_suite:5");  // stem:line when neither id nor name.
  EXPECT_EQ((*suite)[2].theorem.name(), "my_suite:5");
}

TEST(JsonlSuiteTest, AllowedAxiomsReachTheTheorem) {
  auto suite = ParseJsonlSuite(
      R"({"id": "a", "prover": "coq", "statement": "Lemma a : True.", )"
      R"("allowed_axioms": ["Coq.Logic.Classical_Prop.classic", "ax2"]})"
      "\n"
      R"({"id": "b", "prover": "coq", "statement": "Lemma b : True."})"
      "\n",
      "s.jsonl", "");
  ASSERT_TRUE(suite.ok()) << suite.status();
  ASSERT_EQ((*suite)[0].theorem.allowed_axioms_size(), 2);
  EXPECT_EQ((*suite)[0].theorem.allowed_axioms(0), "Coq.Logic.Classical_Prop.classic");
  EXPECT_EQ((*suite)[0].theorem.allowed_axioms(1), "ax2");
  EXPECT_EQ((*suite)[1].theorem.allowed_axioms_size(), 0);  // Default: none.
}

TEST(JsonlSuiteTest, ErrorsNameTheLine) {
  struct Case {
    std::string text, needle;
  } cases[] = {
      {"{\"id\": \"a\", \"statement\": \"x\", \"prover\": \"coq\"}\n{oops\n", "s.jsonl:2"},
      {"{\"id\": \"a\", \"prover\": \"coq\"}\n", "missing \"statement\""},
      {"{\"id\": \"a\", \"statement\": \"x\"}\n", "--jsonl_prover"},
      {"{\"id\":\"a\",\"statement\":\"x\",\"prover\":\"coq\"}\n"
       "{\"id\":\"a\",\"statement\":\"y\",\"prover\":\"coq\"}\n",
       "duplicate id \"a\""},
      {"{\"id\": 3, \"statement\": \"x\", \"prover\": \"coq\"}\n", "\"id\" must be a string"},
      {"{\"statement\": \"x\", \"prover\": \"coq\", \"imports\": \"A\"}\n", "imports"},
      {"{\"statement\": \"x\", \"prover\": \"coq\", \"allowed_axioms\": [1]}\n",
       "\"allowed_axioms\" must be an array of strings"},
  };
  for (const Case& c : cases) {
    auto suite = ParseJsonlSuite(c.text, "s.jsonl", "");
    ASSERT_FALSE(suite.ok()) << c.text;
    EXPECT_EQ(suite.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(suite.status().message().find(c.needle), std::string::npos)
        << suite.status() << " lacks " << c.needle;
  }
}

TEST(JsonlSuiteTest, LoadsSharedPisaIndex) {
  const std::string dir = thor::testing::BenchmarksDir();
  ASSERT_FALSE(dir.empty()) << "../shared/benchmarks not found (set THOR_BENCHMARKS_DIR)";
  SuiteOptions options;
  options.name = dir + "/pisa/pisa_test_index.jsonl";
  options.jsonl_prover = "isabelle";
  auto suite = LoadSuite(options);
  ASSERT_TRUE(suite.ok()) << suite.status();
  EXPECT_EQ(suite->size(), 3600u);  // 3000 test + 600 quick.
  EXPECT_EQ((*suite)[0].id, "quick_test_name_0");
  EXPECT_EQ((*suite)[0].theorem.prover(), "isabelle");
  EXPECT_EQ((*suite)[0].theorem.statement().rfind("lemma (in Corps) n_val_surj:", 0), 0u);
  absl::flat_hash_set<std::string> ids;
  for (const SuiteTheorem& t : *suite) {
    EXPECT_FALSE(t.theorem.statement().empty()) << t.id;
    ids.insert(t.id);
  }
  EXPECT_EQ(ids.size(), suite->size());
}

TEST(SuiteRegistryTest, MiniF2FFromSharedBenchmarksIsCutAfterTheStatement) {
  const std::string dir = thor::testing::BenchmarksDir();
  ASSERT_FALSE(dir.empty()) << "../shared/benchmarks not found (set THOR_BENCHMARKS_DIR)";
  for (const char* split : {"valid", "test"}) {
    SuiteOptions options;
    options.name = std::string("minif2f-") + split;
    options.settings["minif2f_dir"] = dir + "/minif2f-isabelle";
    options.settings["minif2f_version"] = "openai";
    auto suite = LoadSuite(options);
    ASSERT_TRUE(suite.ok()) << suite.status();
    EXPECT_EQ(suite->size(), 244u) << split;
    for (const SuiteTheorem& t : *suite) {
      EXPECT_EQ(t.theorem.prover(), "isabelle");
      EXPECT_EQ(t.theorem.name(), t.id);
      EXPECT_EQ(t.theorem.statement().find("sorry"), std::string::npos) << t.id;
      EXPECT_EQ(t.theorem.statement().find("proof -"), std::string::npos) << t.id;
    }
  }
  SuiteOptions options;
  options.name = "minif2f-valid";
  options.settings["minif2f_dir"] = dir + "/minif2f-isabelle";
  options.settings["minif2f_version"] = "openai";
  auto suite = LoadSuite(options);
  ASSERT_TRUE(suite.ok());
  // aime_1983_p9 carries a human proof in the file; only the statement is kept.
  auto it = std::find_if(suite->begin(), suite->end(),
                         [](const SuiteTheorem& t) { return t.id == "aime_1983_p9"; });
  ASSERT_NE(it, suite->end());
  const std::string& st = it->theorem.statement();
  EXPECT_NE(st.find("shows \"12 \\<le>"), std::string::npos) << st;
  EXPECT_EQ(st.find("define y"), std::string::npos) << st;
  options.settings["minif2f_version"] = "v3";
  EXPECT_EQ(LoadSuite(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.settings["minif2f_version"] = "openai";
  options.settings["minif2f_dir"] = "";
  EXPECT_EQ(LoadSuite(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SuiteRegistryTest, PisaQuickRewritesAfpPaths) {
  const std::string dir = thor::testing::BenchmarksDir();
  ASSERT_FALSE(dir.empty()) << "../shared/benchmarks not found (set THOR_BENCHMARKS_DIR)";
  SuiteOptions options;
  options.name = "pisa-quick";
  options.settings["pisa_dir"] = dir + "/pisa";
  options.settings["afp_dir"] = "/opt/afp-2021-02-11";
  auto suite = LoadSuite(options);
  ASSERT_TRUE(suite.ok()) << suite.status();
  ASSERT_EQ(suite->size(), 600u);
  EXPECT_EQ((*suite)[0].id, "quick_test_name_0");
  EXPECT_EQ((*suite)[0].theorem.file_path(), "/opt/afp-2021-02-11/thys/Valuation/Valuation1.thy");
  EXPECT_EQ((*suite)[0].theorem.session(), "Valuation");
  options.name = "pisa-test";
  suite = LoadSuite(options);
  ASSERT_TRUE(suite.ok()) << suite.status();
  EXPECT_EQ(suite->size(), 3000u);
  for (const SuiteTheorem& t : *suite) {
    EXPECT_EQ(t.theorem.file_path().rfind("/opt/afp-2021-02-11/thys/", 0), 0u) << t.id;
  }
}

TEST(SuiteRegistryTest, CoqStdlibFromTheInstalledLibrary) {
  SuiteOptions options;
  options.name = "coq-stdlib";
  auto suite = LoadSuite(options);
  ASSERT_TRUE(suite.ok()) << suite.status() << " (Coq comes from: apt-get install coq)";
  EXPECT_GE(suite->size(), 2000u);  // The wide selection.
  absl::flat_hash_set<std::string> ids;
  for (const SuiteTheorem& t : *suite) {
    EXPECT_EQ(t.theorem.prover(), "coq");
    EXPECT_NE(t.id.find(".v:"), std::string::npos) << t.id;
    ids.insert(t.id);
  }
  options.name = "coq-stdlib-ci";
  auto ci = LoadSuite(options);
  ASSERT_TRUE(ci.ok()) << ci.status();
  EXPECT_FALSE(ci->empty());
  for (const SuiteTheorem& t : *ci) EXPECT_TRUE(ids.contains(t.id)) << t.id;
  // The held-out split: a part of the wide selection, only its held-out files.
  options.name = "coq-stdlib-heldout";
  auto held = LoadSuite(options);
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_GE(held->size(), 200u);
  for (const SuiteTheorem& t : *held) {
    EXPECT_TRUE(ids.contains(t.id)) << t.id;
    EXPECT_TRUE(t.id.rfind("Sorting/", 0) == 0 || t.id.rfind("Lists/ListSet.v:", 0) == 0 ||
                t.id.rfind("Lists/SetoidPermutation.v:", 0) == 0 ||
                t.id.rfind("Arith/Cantor.v:", 0) == 0 || t.id.rfind("Arith/Euclid.v:", 0) == 0 ||
                t.id.rfind("Arith/Compare_dec.v:", 0) == 0)
        << t.id;
  }
  options.name = "coq-stdlib-classic";
  auto classic = LoadSuite(options);
  ASSERT_TRUE(classic.ok()) << classic.status();
  EXPECT_GE(classic->size(), 600u);  // 669 on Coq 8.16.
  EXPECT_LT(classic->size(), suite->size());
}

TEST(SuiteRegistryTest, UnknownNameListsTheSuites) {
  SuiteOptions options;
  options.name = "minif2f-nope";
  auto suite = LoadSuite(options);
  EXPECT_EQ(suite.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(suite.status().message().find("minif2f-valid"), std::string::npos);
  EXPECT_NE(suite.status().message().find("JSONL"), std::string::npos);
}

TEST(SuiteRegistryTest, EveryBuiltInNameIsKnown) {
  std::vector<std::string> names;
  for (const SuiteInfo& s : KnownSuites()) names.push_back(s.name);
  // In the order of the prover list, then of each module's suites.
  EXPECT_EQ(names, (std::vector<std::string>{"coq-stdlib", "coq-stdlib-heldout",
                                             "coq-stdlib-classic", "coq-stdlib-ci", "minif2f-valid",
                                             "minif2f-test", "pisa-test", "pisa-quick"}));
  for (const SuiteInfo& s : KnownSuites()) {
    if (s.name.rfind("coq-", 0) == 0) continue;  // Loads from the Coq install.
    SuiteOptions options;
    options.name = s.name;
    auto suite = LoadSuite(options);
    // Linked loaders fail on missing directories; others say they are missing.
    EXPECT_EQ(suite.status().code() == absl::StatusCode::kUnimplemented, !s.available)
        << s.name << ": " << suite.status();
  }
}

// The suites' flags are the modules' (defined in their bridges), read by
// name: every one listed has a value, the defaults included.
TEST(SuiteRegistryTest, SuiteFlagsComeFromTheProverModules) {
  const std::vector<std::string> names = SuiteFlagNames();
  std::map<std::string, std::string> settings = SuiteSettingsFromFlags();
  EXPECT_EQ(settings.size(), names.size());
  for (const std::string& n : names) EXPECT_EQ(settings.count(n), 1u) << n;
  for (const char* n : {"minif2f_dir", "minif2f_version", "pisa_dir", "afp_dir"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  EXPECT_EQ(settings["minif2f_version"], "openai");
  EXPECT_EQ(settings["minif2f_dir"], "");
}

TEST(ShardTest, ParsesAndPartitions) {
  int i = -1, n = -1;
  ASSERT_TRUE(ParseShard("1/3", &i, &n).ok());
  EXPECT_EQ(i, 1);
  EXPECT_EQ(n, 3);
  for (const char* bad : {"3/3", "-1/2", "1", "a/b", "0/0"}) {
    EXPECT_EQ(ParseShard(bad, &i, &n).code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  std::vector<SuiteTheorem> all(10);
  for (int k = 0; k < 10; ++k) all[k].id = std::to_string(k);
  size_t total = 0;
  for (int s = 0; s < 3; ++s) {
    auto shard = SelectShard(all, s, 3);
    ASSERT_TRUE(shard.ok());
    for (const SuiteTheorem& t : *shard) EXPECT_EQ(std::stoi(t.id) % 3, s);
    total += shard->size();
  }
  EXPECT_EQ(total, all.size());
}

TEST(BudgetTest, PresetsOverridesAndJson) {
  auto paper = ParseBudget("paper");
  ASSERT_TRUE(paper.ok());
  EXPECT_FALSE(paper->has_wall_time_s());
  auto ci = ParseBudget("ci,wall_time_s=7.5,policy=heuristic,skip_recheck=true");
  ASSERT_TRUE(ci.ok()) << ci.status();
  EXPECT_DOUBLE_EQ(ci->wall_time_s(), 7.5);
  EXPECT_EQ(ci->max_model_queries(), 16u);
  EXPECT_EQ(ci->policy(), "heuristic");
  EXPECT_TRUE(ci->skip_recheck());
  auto placed = ParseBudget("short,root_hammer_place=0");
  ASSERT_TRUE(placed.ok()) << placed.status();
  ASSERT_TRUE(placed->has_root_hammer_place());
  EXPECT_EQ(placed->root_hammer_place(), 0);
  auto policy_order = ParseBudget("short,root_hammer_place=-1");
  ASSERT_TRUE(policy_order.ok()) << policy_order.status();
  EXPECT_EQ(policy_order->root_hammer_place(), -1);
  auto json = ParseBudget(R"({"wallTimeS": 12, "maxModelQueries": 4})");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(json->max_model_queries(), 4u);
  EXPECT_EQ(ParseBudget("wall_time=3").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseBudget("max_model_queries=-1").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseBudget("wall_time_s=1,ci").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --help is made from the same table ParseBudget reads: each preset's line
// holds the values it sets, and `paper` (the default) says its 500 s.
TEST(BudgetTest, PresetsHelpListsEveryPresetWithItsValues) {
  const std::string help = BudgetPresetsHelp();
  ASSERT_EQ(BudgetPresets().size(), 4u);
  for (const BudgetPreset& p : BudgetPresets()) {
    EXPECT_NE(help.find("  " + p.name + "  "), std::string::npos) << help;
    if (!p.fields.empty()) {
      EXPECT_NE(help.find(p.fields), std::string::npos) << help;
    }
  }
  EXPECT_NE(help.find("paper  no field set: the Thor paper's budget"), std::string::npos)
      << help;
  EXPECT_NE(help.find("500 s per theorem"), std::string::npos) << help;
  EXPECT_NE(help.find("(the default)"), std::string::npos) << help;
  auto quick = ParseBudget("quick");
  ASSERT_TRUE(quick.ok()) << quick.status();
  EXPECT_DOUBLE_EQ(quick->wall_time_s(), 60);
  EXPECT_EQ(quick->max_model_queries(), 50u);
  EXPECT_FALSE(quick->has_step_timeout_s());
  auto ci = ParseBudget("ci");
  ASSERT_TRUE(ci.ok()) << ci.status();
  EXPECT_DOUBLE_EQ(ci->wall_time_s(), 20);
  EXPECT_DOUBLE_EQ(ci->hammer_timeout_s(), 10);
  EXPECT_DOUBLE_EQ(ci->step_timeout_s(), 5);
  auto short_budget = ParseBudget("short,wall_time_s=8");
  ASSERT_TRUE(short_budget.ok()) << short_budget.status();
  EXPECT_DOUBLE_EQ(short_budget->wall_time_s(), 8);  // The preset's 6, overridden.
  EXPECT_DOUBLE_EQ(short_budget->step_timeout_s(), 0.6);
  EXPECT_DOUBLE_EQ(short_budget->hammer_timeout_s(), 6);
  EXPECT_TRUE(short_budget->sequential());
  EXPECT_FALSE(short_budget->has_max_model_queries());
  EXPECT_EQ(ParseBudget("fast").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(ParseBudget("fast").status().message()).find("(paper, quick, ci, short)"),
            std::string::npos)
      << ParseBudget("fast").status();
}

// README: the line of the first `thor eval` command says the default is
// `paper`, 500 s per theorem, and the presets table holds BudgetPresets()'s
// values.
TEST(BudgetTest, ReadmeSaysTheDefaultBesideTheFirstEvalCommandAndListsThePresets) {
  std::ifstream in(thor::testing::SourceDir() + "/README.md");
  ASSERT_TRUE(in.good()) << "README.md not found (THOR_SOURCE_DIR)";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string readme = buffer.str();
  size_t at = readme.find("`thor eval --suite=");  // The first command line.
  ASSERT_NE(at, std::string::npos);
  size_t begin = readme.rfind('\n', at) + 1, end = readme.find('\n', at);
  const std::string line = readme.substr(begin, end - begin);
  EXPECT_NE(line.find("default budget is `paper`, **500 s per theorem**"), std::string::npos)
      << line;
  for (const BudgetPreset& p : BudgetPresets()) {
    EXPECT_NE(readme.find("| `" + p.name + "`"), std::string::npos) << p.name;
    if (!p.fields.empty()) {
      EXPECT_NE(readme.find("`" + p.fields + "`"), std::string::npos) << p.fields;
    }
  }
}

TEST(BudgetTest, HashIsStableAndSensitive) {
  auto a = ParseBudget("ci");
  auto b = ParseBudget("ci");
  auto c = ParseBudget("ci,wall_time_s=21");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(ConfigHash(*a), ConfigHash(*b));
  EXPECT_NE(ConfigHash(*a), ConfigHash(*c));
  EXPECT_EQ(ConfigHash(*a).size(), 16u);
  // FNV-1a of "a" is a published constant: the hash does not depend on the run.
  EXPECT_EQ(StableHash("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(TheoremSeed(0, "x"), 0u);
  EXPECT_EQ(TheoremSeed(5, "x"), TheoremSeed(5, "x"));
  EXPECT_NE(TheoremSeed(5, "x"), TheoremSeed(5, "y"));
}

TEST(BudgetTest, MiniF2FVersionIsPartOfTheHash) {
  auto a = ParseBudget("ci");
  ASSERT_TRUE(a.ok());
  SuiteOptions o;
  o.name = "minif2f-test";
  o.settings["minif2f_version"] = "openai";
  const std::string openai = SuiteVersion(o);
  o.settings["minif2f_version"] = "facebook";
  const std::string facebook = SuiteVersion(o);
  EXPECT_EQ(openai, "minif2f-openai");
  EXPECT_EQ(facebook, "minif2f-facebook");
  o.name = "coq-stdlib";
  EXPECT_EQ(SuiteVersion(o), "");  // Other suites keep the search config's hash.
  EXPECT_EQ(ConfigHash(*a, ""), ConfigHash(*a));
  EXPECT_NE(ConfigHash(*a, openai), ConfigHash(*a, facebook));
  EXPECT_NE(ConfigHash(*a, openai), ConfigHash(*a));
  EXPECT_EQ(ConfigHash(*a, openai), ConfigHash(*a, "minif2f-openai"));
}

}  // namespace
}  // namespace thor::eval
