#include "isabelle_bridge/isabelle_rules.h"

#include <cctype>

#include "absl/strings/str_cat.h"

namespace thor::isabelle {
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
constexpr absl::string_view kIsabelleForbidden[] = {
    "sorry", "oops", "ML", "ML_file", "ML_val", "ML_command", "ML_prf",
    "export_code", "code_reflect", "declare", "axiomatization", "lemma",
    "theorem", "corollary", "proposition", "schematic_goal", "end",
    "setup", "local_setup", "attribute_setup", "method_setup", "simproc_setup",
    "parse_translation", "print_translation", "oracle", "skip_proof",
    "sledgehammer_params", "SML_file", "SML_import", "SML_export",
    // Also run code or touch files (isabelle_bridge, issue 6).
    "external_file", "generate_file", "export_generated_files",
    "compile_generated_files", "tactic", "raw_tactic", "ML_export", "ML_import"};

}  // namespace

absl::Status CheckIsabelleStep(absl::string_view step) {
  if (step.find('\0') != absl::string_view::npos) {
    return absl::PermissionDeniedError("step contains a NUL byte");
  }
  for (absl::string_view w : kIsabelleForbidden) {
    if (ContainsWord(step, w)) {
      return absl::PermissionDeniedError(
          absl::StrCat("step refused: '", w, "' is not allowed inside a proof"));
    }
  }
  return absl::OkStatus();
}

}  // namespace thor::isabelle
