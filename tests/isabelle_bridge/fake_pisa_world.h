// The scripted proof world of the fake PISA server: which states a theorem
// starts in, what each step does from each state, what the native hammer
// finds, and which TPTP problem Sledgehammer's export writes. Loaded from
// JSON (format below) or built in. Test-only.
//
// {
//   "version": "2022" | "2021",               // hammer keyword (default 2022)
//   "unknown_step_error": "...",              // Step error for unscripted steps
//   "theorems": [{
//     "match": "theorem foo",                 // substring of <proceed after> text
//     "initial": "proof (prove)\ngoal ...",   // state after the statement
//     "transitions": [
//       {"from": "<state text>" | "*", "step": "by simp",
//        "to": "<state text>"                 // "" = proof finished (level 0)
//        | "error": "<Isabelle message>"      // reply "Step error: <message>"
//        | "unknown_error": "<message>"       // reply "Unknown error: <message>"
//        | "hang": true                       // never replies
//        | "die": true}],                     // the server process exits
//     "states": {"<state text>": {
//        "hammer": "by (smt (z3) foo)",       // what Sledgehammer finds here
//        "tptp": "tff(...).",                 // problem the export writes
//        "metis": ["fact", ...]}}             // by (metis/smt/meson ...) with
//   }]                                        // these facts closes the goal
// }
#ifndef THOR_TESTS_ISABELLE_BRIDGE_FAKE_PISA_WORLD_H_
#define THOR_TESTS_ISABELLE_BRIDGE_FAKE_PISA_WORLD_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace thor::isabelle::fake {

struct Outcome {
  enum class Kind { kState, kError, kUnknownError, kHang, kDie };
  Kind kind = Kind::kError;
  std::string text;  // kState: new state ("" = finished); errors: message.
};

struct Transition {
  std::string from;  // "*" matches any state.
  std::string step;
  Outcome outcome;
};

struct StateFacts {
  std::string hammer;
  std::string tptp;
  std::vector<std::string> metis;
};

struct FakeTheorem {
  std::string match;
  std::string initial;
  std::vector<Transition> transitions;
  std::map<std::string, StateFacts> states;
};

struct FakeWorld {
  bool isabelle2021 = false;
  std::string unknown_step_error =
      "Outer syntax error (line 1): command expected,\nbut end-of-input (line 1) was found";
  std::vector<FakeTheorem> theorems;
};

// Parses the JSON format above; InvalidArgument on malformed input.
absl::StatusOr<FakeWorld> ParseFakeWorld(const std::string& json_text);

// The built-in world (any theorem): the hammer finds "by auto" unless the
// statement mentions "imo"; "by auto" finishes; "apply auto" leaves one
// simplified goal; "by hang" hangs; "by die" kills the server.
FakeWorld DefaultFakeWorld();

}  // namespace thor::isabelle::fake

#endif  // THOR_TESTS_ISABELLE_BRIDGE_FAKE_PISA_WORLD_H_
