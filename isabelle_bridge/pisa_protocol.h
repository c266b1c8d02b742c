// PISA's command language (the string carried in IsaCommand.command) and the
// replies it produces, turned into typed values. The strings are PISA's own
// (PisaOneStage.scala, branches Isabelle2021 and main/Isabelle2022): see
// ../shared/reference/thor_pisa_sledgehammer.md §1.4-1.6. Replies are
// classified by their exact prefixes, never by searching for "error" (a goal
// may mention the word).
#ifndef THOR_ISABELLE_BRIDGE_PISA_PROTOCOL_H_
#define THOR_ISABELLE_BRIDGE_PISA_PROTOCOL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace thor::isabelle {

// Tags and fixed replies of PISA's mini-language.
inline constexpr absl::string_view kApplyTag = "<apply to top level state>";
inline constexpr absl::string_view kHammerTag = "<hammer>";
inline constexpr absl::string_view kInitialiseReply = "Toplevel state 'default' is ready";
inline constexpr absl::string_view kDefaultState = "default";
inline constexpr absl::string_view kMissingStatePrefix =
    "Didn't find top level state of given name: ";
inline constexpr absl::string_view kStepErrorPrefix = "Step error: ";
inline constexpr absl::string_view kUnknownErrorPrefix = "Unknown error: ";
inline constexpr absl::string_view kUnrecognised = "Unrecognised operation.";

// Which PISA generation a server runs: it decides the hammer keyword.
enum class PisaVersion {
  kIsabelle2021,  // Thor-era branch: the exact step `sledgehammer`.
  kIsabelle2022,  // main / Isabelle2022: steps starting with `normalhammer`.
};

// Whitespace normalisation PisaOS applies before comparing a transition's
// text with `<proceed after>`'s argument: trim, every "\n" to " ", runs of
// spaces to one space. (Tabs are kept, as PISA keeps them.)
std::string NormalizeTransitionText(absl::string_view text);

// Command builders. REQUIRES: names passed CheckStateName, steps CheckStepText.
std::string ProceedAfterCommand(absl::string_view statement);
std::string InitialiseCommand();
std::string ApplyCommand(absl::string_view from, absl::string_view step,
                         absl::string_view to);
std::string IsFinishedCommand(absl::string_view name);
std::string GetStateCommand(absl::string_view name);
std::string CloneCommand(absl::string_view from, absl::string_view to);
std::string DeleteCommand(absl::string_view name);
std::string ExitCommand();

// OK if `name` can be a PISA state name (non-empty, [A-Za-z0-9_.-] only);
// InvalidArgument otherwise.
absl::Status CheckStateName(absl::string_view name);

// OK if `step` survives PISA's parsing of `<apply to top level state>`
// (non-blank, no PISA tag inside, which would shift PISA's split).
absl::Status CheckStepText(absl::string_view step);

// The hammer step text for `version` (PISA intercepts it), with optional
// facts to add / delete (normalhammer only; ignored for 2021's sledgehammer).
std::string NativeHammerStep(PisaVersion version, absl::string_view add_facts = "",
                             absl::string_view del_facts = "");

// A reply to `<apply to top level state>`.
struct ApplyReply {
  enum class Kind {
    kState,         // Applied; `state` is the new state's text.
    kStepError,     // "Step error: <Isabelle message>".
    kTimeout,       // PISA's own time limit fired (ML Timeout or Scala Await).
    kUnknownError,  // "Unknown error: <message>" (a JVM-side exception).
    kMissingState,  // The source state name is unknown to the server.
    kUnrecognised,  // The server did not understand the command.
  };
  Kind kind = Kind::kStepError;
  std::string state;        // kState: the state string (may be empty).
  std::string message;      // Errors: the message after the prefix.
  std::string hammer_step;  // Hammer requests: the step PISA applied.
};

// Classifies `reply` to an apply command. `hammer_requested` is true when the
// step was PISA's hammer keyword: a successful reply is then
// "<step> <hammer> <state>".
ApplyReply ParseApplyReply(absl::string_view reply, bool hammer_requested);

// True if an error message says a time limit fired: Isabelle's
// "Timeout after ..." (Timeout.TIMEOUT) or Scala's "Futures timed out".
bool IsTimeoutMessage(absl::string_view message);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_PISA_PROTOCOL_H_
