// Every theorem of the coq-stdlib suite (13 folders of Coq's own library,
// cut at each statement) passes the Coq bridge's input rules:
// the allow-lists must cover real library text, not only the unit tests.
#include <string>

#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_rules.h"
#include "coq_bridge/coq_text.h"
#include "coq_bridge/stdlib_suite.h"
#include "gtest/gtest.h"

namespace thor::coq {
namespace {

TEST(CoqRulesStdlibTest, EveryStdlibTheoremValidates) {
  // The wide selection (13 folders; the classic one is a part of it): each
  // theorem's file prefix and statement pass the input rules, so the suite
  // is usable as it stands.
  StdlibSuiteOptions options;
  options.selection = StdlibSelection::kWide;
  absl::StatusOr<std::vector<Theorem>> all = StdlibSuite(options);
  ASSERT_TRUE(all.ok()) << all.status() << " (apt-get install coq libcoq-hammer)";
  ASSERT_GT(all->size(), 2000u);
  CoqConfig config;
  config.spare_processes = 0;
  config.warm_hammer = false;
  CoqBackend backend(config);
  size_t failures = 0;
  for (const Theorem& t : *all) {
    absl::Status s = backend.ValidateTheorem(t);
    EXPECT_TRUE(s.ok()) << t.name << ": " << s;
    // The same theorem with its context read from the file.
    Theorem from_file = t;
    from_file.context.clear();
    absl::Status f = backend.ValidateTheorem(from_file);
    EXPECT_TRUE(f.ok()) << t.name << " (file): " << f;
    // A client that names the modules as imports.
    Theorem with_imports = t;
    with_imports.imports = {"Coq.Lists.List", "From Coq Require Import Arith Bool",
                            "Require Import PeanoNat"};
    EXPECT_TRUE(backend.ValidateTheorem(with_imports).ok()) << t.name;
    // And the rules are live on this text: one switched-off check is seen.
    Theorem tampered = t;
    absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(t.context);
    ASSERT_TRUE(units.ok() && !units->empty()) << t.name;
    tampered.context.insert((*units)[units->size() / 2].end, "\n(* *) Unset Guard Checking.\n");
    EXPECT_FALSE(backend.ValidateTheorem(tampered).ok()) << t.name;
    failures += !s.ok() + !f.ok();
    if (failures > 20) break;  // Enough to see the pattern.
  }
}

TEST(CoqRulesStdlibTest, ProofsOfTheStdlibAreAllowedSteps) {
  // The proofs in the suite's contexts are tactic sentences: each unit
  // between a Proof. and its Qed. passes CheckCoqStep.
  absl::StatusOr<std::vector<Theorem>> all = StdlibSuite();
  ASSERT_TRUE(all.ok()) << all.status();
  const Theorem& last = all->back();
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(last.context);
  ASSERT_TRUE(units.ok()) << units.status();
  size_t steps = 0;
  bool in_proof = false;
  for (const CoqUnit& u : *units) {
    absl::string_view text(last.context.data() + u.begin, u.end - u.begin);
    if (text == "Proof.") {
      in_proof = true;
    } else if (text == "Qed." || text == "Defined.") {
      in_proof = false;
    } else if (in_proof) {
      EXPECT_TRUE(CheckCoqStep(text).ok()) << text << ": " << CheckCoqStep(text);
      ++steps;
    }
  }
  EXPECT_GT(steps, 50u);
}

}  // namespace
}  // namespace thor::coq
