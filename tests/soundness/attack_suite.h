// What the Coq and Isabelle red-team tests share: the (attack, entry point)
// cases, their printable names, and a fixture holding one AttackRig for the
// whole binary that checks, after every case, that no child process is left.
#ifndef THOR_TESTS_SOUNDNESS_ATTACK_SUITE_H_
#define THOR_TESTS_SOUNDNESS_ATTACK_SUITE_H_

#include <gtest/gtest.h>

#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include "tests/soundness/attack_rig.h"
#include "tests/soundness/attacks.h"
#include "tests/testing/processes.h"

namespace thor::testing {

struct AttackCase {
  Attack attack;
  unsigned entry;  // One bit of Entry.
};

// Failure messages name the case instead of dumping its bytes.
inline void PrintTo(const AttackCase& c, std::ostream* os) {
  *os << EntryName(c.entry) << " " << c.attack.name;
}

// Every attack of `attacks` through each of `entries` it applies to.
inline std::vector<AttackCase> AttackCases(const std::vector<Attack>& attacks,
                                           std::initializer_list<unsigned> entries) {
  std::vector<AttackCase> out;
  for (const Attack& a : attacks) {
    for (unsigned e : entries) {
      if (a.entries & e) out.push_back({a, e});
    }
  }
  return out;
}

// "Prove_CommandAxiom": the parameterised test's name.
inline std::string AttackCaseName(const ::testing::TestParamInfo<AttackCase>& info) {
  return EntryName(info.param.entry) + "_" + info.param.attack.name;
}

// One rig per test binary (started by the first suite, rebuilt by the next);
// each case must leave no coqtop, coqc, ATP or fake child behind after
// `leftover_wait_ms`. Derived fixtures add their preconditions in SetUp.
class AttackRigTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    std::string error;
    rig_ = AttackRig::Start(&error).release();
    if (rig_ == nullptr) start_error_ = new std::string(error);
  }
  static void TearDownTestSuite() {
    delete rig_;
    rig_ = nullptr;
  }

 protected:
  explicit AttackRigTest(int leftover_wait_ms) : leftover_wait_ms_(leftover_wait_ms) {}
  void SetUp() override { ASSERT_NE(rig_, nullptr) << (start_error_ ? *start_error_ : ""); }
  void TearDown() override { EXPECT_EQ(LeftoverChildren(leftover_wait_ms_), ""); }

  static inline AttackRig* rig_ = nullptr;
  static inline std::string* start_error_ = nullptr;

 private:
  int leftover_wait_ms_;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_SOUNDNESS_ATTACK_SUITE_H_
