// A conservative lexer for Isabelle's outer syntax, enough to decide what a
// proof step or a theory context may contain: words (where command keywords
// live), strings and cartouches (terms), comments, and punctuation. It is
// stricter than Isabelle's: anything it cannot place is an error, so the
// rules built on it refuse rather than guess.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_LEXER_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_LEXER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thor::isabelle {

enum class TokenKind {
  kWord,       // Identifier, long name or number: `by`, `foo.bar`, `h\<^sub>0`, `'a`.
  kString,     // "..." or `...` (a term, an alternative string).
  kCartouche,  // \<open>...\<close>, nested.
  kComment,    // (* ... *) (nested) or the cartouche after \<comment>.
  kProofSym,   // \<proof>: since Isabelle2021 the symbol form of `sorry`.
  kControl,    // \<^name> outside a string (antiquotation / marker), name in text.
  kSymbol,     // Any other punctuation run or \<name> symbol: `(`, `::`, `.`, `..`, `{`.
};

struct Token {
  TokenKind kind;
  std::string text;  // Full text, delimiters included.
  size_t begin = 0;  // Byte offset in the input.
};

// Splits `text` into tokens (whitespace dropped). InvalidArgument for an
// unterminated string, cartouche or comment, a control character, or a
// non-ASCII byte outside strings, cartouches and comments (Isabelle reads raw
// UTF-8 there as symbols of its own; no step needs them).
absl::StatusOr<std::vector<Token>> LexIsabelle(absl::string_view text);

// True if `word` occurs in `text` with no identifier character on either side
// (letters, digits, '_', '\''). Used to find cheats inside terms and comments.
bool ContainsIsabelleWord(absl::string_view text, absl::string_view word);

// At most `max` bytes of `text` (whitespace runs collapsed), with "..." when
// cut: what error messages may quote of hostile input.
std::string Excerpt(absl::string_view text, size_t max = 40);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_LEXER_H_
