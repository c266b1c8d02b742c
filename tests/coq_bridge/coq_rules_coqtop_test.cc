// The step rules against real coqtop: random steps built from the lexer's
// tricky pieces (terminators, comments, strings, bullets, selectors,
// projections) around an "Axiom ... : False." are filtered by CheckCoqStep,
// and every accepted one is run in coqtop inside a proof; coqtop must never
// declare the axiom. Controls that the rules refuse show that coqtop does
// declare it when the smuggling works, so the oracle is live.
#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_rules.h"
#include "coq_bridge/coq_text.h"
#include "gtest/gtest.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

// Runs each step in its own Goal in one coqtop and returns the names of the
// axioms xk<i> coqtop declared (each once; coqtop reports it twice).
std::set<std::string> DeclaredAxioms(const std::vector<std::string>& steps, size_t first) {
  std::string input;
  for (size_t i = 0; i < steps.size(); ++i) {
    absl::StrAppend(&input, "Goal True.\n",
                    absl::StrReplaceAll(steps[i], {{"Axiom x ", absl::StrCat("Axiom xk", first + i, " ")}}),
                    "\nAbort All.\n");
  }
  SubprocessOptions options;
  options.argv = {"coqtop", "-q"};
  options.merge_stderr = true;
  absl::StatusOr<RunResult> r = RunSubprocess(options, input, absl::Seconds(300));
  EXPECT_TRUE(r.ok()) << r.status() << " (apt-get install coq)";
  std::set<std::string> declared;
  if (!r.ok()) return declared;
  EXPECT_FALSE(r->timed_out);
  for (size_t pos = r->out.find(" is declared"); pos != std::string::npos;
       pos = r->out.find(" is declared", pos + 1)) {
    size_t begin = r->out.find_last_of(" <\n", pos - 1);
    declared.insert(r->out.substr(begin + 1, pos - begin - 1));
  }
  return declared;
}

TEST(CoqRulesCoqtopTest, ControlsSmuggleAndAreRefused) {
  ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq").ok());
  const std::vector<std::string> controls = {
      "auto.(* . Axiom x : False. *)",
      "auto. Axiom x : False.",
      "auto... Axiom x : False.",
  };
  for (const std::string& c : controls) EXPECT_FALSE(CheckCoqStep(c).ok()) << c;
  EXPECT_EQ(DeclaredAxioms(controls, 0).size(), controls.size());
}

TEST(CoqRulesCoqtopTest, AcceptedStepsNeverDeclareAnAxiom) {
  ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq").ok());
  const std::vector<std::string> frags = {
      "auto", ".",  " ",  "\n", "(*", "*)", "\"", "\"\"", ". ", ".(", "..", "...", "-", "+",
      "*",    "{",  "}",  "1:", "all:", "[a]:", "idtac", ";", "(", ")", "|", "'", "%", "@",
      "x",    "$",  "ltac:(", "[>", "=>", "\t", "#", "!", "foo("};
  const std::vector<std::string> payloads = {". Axiom x : False. ", ".\nAxiom x : False.\n",
                                             " Axiom x : False. ", "Axiom x : False."};
  std::mt19937 rng(12);
  std::vector<std::string> accepted;
  size_t tried = 0;
  while (accepted.size() < 1200 && tried < 200000) {
    ++tried;
    std::string s;
    const int n = 2 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) s += frags[rng() % frags.size()];
    s.insert(rng() % (s.size() + 1), payloads[rng() % payloads.size()]);
    if (!CheckCoqStep(s).ok()) continue;
    absl::StatusOr<std::string> normalized = NormalizeStep(s);
    if (normalized.ok()) accepted.push_back(*normalized);
  }
  ASSERT_GT(accepted.size(), 500u);
  for (size_t b = 0; b < accepted.size(); b += 400) {
    std::vector<std::string> chunk(accepted.begin() + b,
                                   accepted.begin() + std::min(accepted.size(), b + 400));
    std::set<std::string> declared = DeclaredAxioms(chunk, b);
    for (const std::string& name : declared) {
      size_t i = std::stoul(name.substr(2));
      ADD_FAILURE() << "coqtop declared " << name << " from the accepted step '" << accepted[i] << "'";
    }
  }
  EXPECT_EQ(testing::LeftoverChildren(5000), "");
}

}  // namespace
}  // namespace thor::coq
