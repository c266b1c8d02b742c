#include "coq_bridge/coq_rules.h"

#include <cctype>

#include "absl/strings/str_cat.h"

namespace thor::coq {
namespace {
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'';
}

// True if `word` occurs in `text` with no identifier character on either side.
bool ContainsWord(absl::string_view text, absl::string_view word) {
  for (size_t pos = text.find(word); pos != absl::string_view::npos;
       pos = text.find(word, pos + 1)) {
    bool left_ok = pos == 0 || !IsIdentChar(text[pos - 1]);
    size_t end = pos + word.size();
    bool right_ok = end >= text.size() || !IsIdentChar(text[end]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

// Commands that cheat, leave the proof, or run code / touch files.
constexpr absl::string_view kCoqForbidden[] = {
    "admit",      "Admitted",     "Abort",      "Axiom",     "Axioms",
    "Parameter",  "Parameters",   "Hypothesis", "Hypotheses", "Variable",
    "Variables",  "Conjecture",   "Load",       "Redirect",  "Drop",
    "Declare",    "Require",      "Import",     "Export",    "Extraction",
    "Qed",        "Defined",      "Save",       "Reset",     "Back",
    "BackTo",     "Undo",         "Restart",    "Set",       "Unset",
    "Local",      "Global",       "Time",       "Separate",  "Cd",
    "Add",        "Remove",       "Print",      "Extract",   "Locate",
    "Module",     "End",          "Section",    "Definition", "Fixpoint",
    "Lemma",      "Theorem",      "Goal",       "Proof",     "Instance",
    "Ltac",       "Tactic",       "Notation",   "Opaque",    "Transparent",
    "give_up",    "exact_no_check", "vm_cast_no_check", "native_cast_no_check",
    "Unshelve"};

}  // namespace

absl::Status CheckCoqStep(absl::string_view step) {
  if (step.find('\0') != absl::string_view::npos) {
    return absl::PermissionDeniedError("step contains a NUL byte");
  }
  for (absl::string_view w : kCoqForbidden) {
    if (ContainsWord(step, w)) {
      return absl::PermissionDeniedError(
          absl::StrCat("step refused: '", w, "' is not allowed inside a proof"));
    }
  }
  return absl::OkStatus();
}

}  // namespace thor::coq
