#include "isabelle_bridge/isabelle_keywords.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace thor::isabelle {
namespace {

using WordSet = absl::flat_hash_set<absl::string_view>;

// Proof commands that only build or close a proof. Decisions: `interpret`
// (its locale premises must be proved), `back` (backtracks an `apply`) and
// `guess` (an `obtain` that must be proved) are allowed; `including`,
// `write`, `notation` and diagnostic commands (print_*, sledgehammer,
// nitpick, value, ...) are not, since no proof needs them.
const WordSet& ProofCommands() {
  static const auto* s = new WordSet{
      "apply", "apply_end", "by",      "using", "unfolding", "with",     "from",
      "then",  "hence",     "thus",    "have",  "show",      "obtain",   "fix",
      "assume", "presume",  "note",    "let",   "define",    "consider", "proof",
      "qed",   "next",      "case",    "also",  "finally",   "moreover", "ultimately",
      "done",  "..",        ".",       "supply", "subgoal",  "defer",    "prefer",
      "back",  "interpret", "guess",   "{",     "}"};
  return *s;
}

// Every other command of Pure and HOL (and of the HOL-* sessions used by the
// benchmarks) that a step could smuggle in.
const WordSet& OtherCommands() {
  static const auto* s = new WordSet{
      // Cheats and proof exits.
      "sorry", "oops", "\\<proof>",
      // Theory structure and specifications.
      "theory", "begin", "end", "context", "locale", "class", "instantiation", "instance",
      "subclass", "sublocale", "interpretation", "global_interpretation", "experiment",
      "bundle", "unbundle", "including", "lemma", "theorem", "corollary", "proposition",
      "schematic_goal", "lemmas", "theorems", "declare", "definition", "abbreviation",
      "axiomatization", "axioms", "consts", "type_synonym", "typedecl", "nonterminal",
      "syntax", "no_syntax", "translations", "no_translations", "notation", "no_notation",
      "type_notation", "no_type_notation", "write", "default_sort", "alias", "type_alias",
      "hide_class", "hide_type", "hide_const", "hide_fact", "named_theorems", "overloading",
      "notepad", "judgment", "judgement", "text", "txt", "text_raw", "chapter", "section",
      "subsection", "subsubsection", "paragraph", "subparagraph",
      // ML, code, oracles, files.
      "setup", "local_setup", "attribute_setup", "method_setup", "simproc_setup", "declaration",
      "syntax_declaration", "parse_ast_translation", "parse_translation", "print_translation",
      "typed_print_translation", "print_ast_translation", "oracle", "external_file",
      "generate_file", "export_generated_files", "compile_generated_files", "export_code",
      "code_reflect", "code_printing", "code_identifier", "code_reserved", "code_monad",
      "code_datatype", "code_pred", "code_thms", "code_deps", "value", "values", "quickcheck",
      "quickcheck_params", "quickcheck_generator", "nitpick", "nitpick_params", "nunchaku",
      "nunchaku_params", "sledgehammer", "sledgehammer_params", "try", "try0", "solve_direct",
      "find_unused_assms", "smt_status", "approximate", "realizers", "realizability", "extract",
      "extract_type", "import_file", "import_tptp", "import_const_map", "import_type_map",
      // HOL specifications.
      "datatype", "codatatype", "primrec", "primcorec", "primcorecursive", "fun", "function",
      "termination", "fun_cases", "partial_function", "inductive", "inductive_set",
      "coinductive", "coinductive_set", "inductive_cases", "inductive_simps", "record",
      "typedef", "specification", "quotient_type", "quotient_definition", "lift_definition",
      "setup_lifting", "lifting_forget", "lifting_update", "bnf", "bnf_axiomatization",
      "free_constructors", "old_rep_datatype", "datatype_compat", "simps_of_case",
      "case_of_simps", "adhoc_overloading", "no_adhoc_overloading", "recdef", "method",
      // Diagnostics.
      "thm", "prop", "term", "typ", "find_theorems", "find_consts", "thm_deps", "thm_oracles",
      "unused_thms", "welcome", "help", "locale_deps", "class_deps", "display_drafts",
      "print_state", "print_statement", "print_theory", "print_context", "print_facts",
      "print_cases", "print_rules", "print_methods", "print_attributes", "print_commands",
      "print_simpset", "print_options", "print_definitions", "print_abbrevs", "print_syntax",
      "print_theorems", "print_locales", "print_locale", "print_classes", "print_interps",
      "print_dependencies", "print_term_bindings", "print_antiquotations", "print_bundles",
      "print_codesetup", "print_codeproc", "print_induct_rules", "print_trans_rules",
      "print_quotients", "print_quotmaps", "print_quotconsts", "print_inductives",
      "print_bnfs", "print_case_translations", "print_coercions", "print_ML_antiquotations",
      "print_record", "print_orders", "print_quot_maps", "full_prf", "prf",
      "refute", "refute_params", "ML_prf", "ML_val", "ML_command", "ML",
      "ML_file", "ML_export", "SML_file", "SML_export", "SML_import"};
  return *s;
}

const WordSet& ForbiddenInContext() {
  static const auto* s = new WordSet{
      "theory",
      // Axioms and oracles: thm_oracles reports oracles, not axioms.
      "axiomatization", "axioms", "oracle", "bnf_axiomatization",
      // ML and generated code (code_printing maps constants to target code
      // that `eval` and `value` would run).
      "setup", "local_setup", "attribute_setup", "method_setup", "simproc_setup", "declaration",
      "syntax_declaration", "parse_ast_translation", "parse_translation", "print_translation",
      "typed_print_translation", "print_ast_translation", "export_code", "code_reflect",
      "code_printing", "code_pred", "value", "values", "quickcheck", "nitpick", "nunchaku",
      "sledgehammer", "try", "approximate", "realizers", "extract", "extract_type",
      // Files.
      "external_file", "generate_file", "export_generated_files", "compile_generated_files",
      "import_file", "import_tptp"};
  return *s;
}

bool StartsMLWord(absl::string_view word) {
  for (absl::string_view prefix : {"ML", "SML"}) {
    if (word == prefix || absl::StartsWith(word, absl::StrCat(prefix, "_"))) return true;
  }
  return false;
}

// Shapes of commands (also library ones Thor does not list) that load code
// or files.
bool LooksLikeCodeCommand(absl::string_view word) {
  return StartsMLWord(word) || absl::EndsWith(word, "_setup") ||
         absl::EndsWith(word, "_translation") || absl::StartsWith(word, "export_") ||
         absl::EndsWith(word, "_file") || absl::EndsWith(word, "_files");
}

}  // namespace

bool IsAllowedProofCommand(absl::string_view word) { return ProofCommands().contains(word); }

bool IsCommandKeyword(absl::string_view word) {
  return ProofCommands().contains(word) || OtherCommands().contains(word) ||
         LooksLikeCodeCommand(word);
}

bool IsForbiddenContextCommand(absl::string_view word) {
  return ForbiddenInContext().contains(word) || LooksLikeCodeCommand(word);
}

absl::string_view CheatReason(absl::string_view word) {
  if (word == "sorry" || word == "\\<proof>") return "skips the proof (oracle skip_proof)";
  if (word == "oops") return "abandons the proof";
  if (word == "skip_proof" || word == "cheat_tac") return "is the skip_proof oracle";
  if (word == "quick_and_dirty") return "switches the kernel's proof checks off";
  if (word == "tactic" || word == "raw_tactic") return "runs ML inside a proof";
  if (StartsMLWord(word)) return "runs ML";
  return "";
}

}  // namespace thor::isabelle
