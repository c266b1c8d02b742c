#include "isabelle_bridge/isabelle_lexer.h"

#include <cctype>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace thor::isabelle {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'';
}

constexpr absl::string_view kOpen = "\\<open>";
constexpr absl::string_view kClose = "\\<close>";

// Sub- and superscripts are part of identifiers (`x\<^sub>1`); every other
// control symbol is an antiquotation or a marker.
bool IsIdentControl(absl::string_view name) {
  return name == "sub" || name == "sup" || name == "isub" || name == "isup" ||
         name == "bsub" || name == "esub" || name == "bsup" || name == "esup" || name == "bold";
}

// Length of the symbol `\<...>` or `\<^...>` at `text[i]`, 0 if none.
size_t SymbolLength(absl::string_view text, size_t i) {
  if (text.substr(i, 2) != "\\<") return 0;
  size_t j = i + 2;
  if (j < text.size() && text[j] == '^') ++j;
  size_t name = j;
  while (j < text.size() && IsIdentChar(text[j])) ++j;
  if (j == name || j >= text.size() || text[j] != '>') return 0;
  return j + 1 - i;
}

// The name of the symbol at `text[i]` of length `len` ("^sub", "alpha").
absl::string_view SymbolName(absl::string_view text, size_t i, size_t len) {
  return text.substr(i + 2, len - 3);
}

absl::Status Unterminated(absl::string_view what, absl::string_view text, size_t at) {
  return absl::InvalidArgumentError(
      absl::StrCat("unterminated ", what, " at '", Excerpt(text.substr(at), 20), "'"));
}

// End (exclusive) of the nested region opening at `i`; npos if unterminated.
size_t NestedEnd(absl::string_view text, size_t i, absl::string_view open,
                 absl::string_view close) {
  int depth = 0;
  while (i < text.size()) {
    if (text.substr(i, open.size()) == open) {
      ++depth;
      i += open.size();
    } else if (text.substr(i, close.size()) == close) {
      i += close.size();
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return absl::string_view::npos;
}

size_t QuotedEnd(absl::string_view text, size_t i) {
  const char q = text[i];
  for (size_t j = i + 1; j < text.size(); ++j) {
    if (text[j] == '\\') {
      ++j;
    } else if (text[j] == q) {
      return j + 1;
    }
  }
  return absl::string_view::npos;
}

bool IsAsciiLetter(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); }

// Symbols Isabelle counts as letters: \<A>, \<AA>, \<a>, \<aa> and the Greek
// letters except \<lambda>, \<Pi>, \<Sigma> (binders). Every other symbol
// (\<and>, \<Rightarrow>, ...) is punctuation and ends a word, as in Isabelle,
// so that `\<and>lemma` shows its `lemma`.
bool IsLetterSymbol(absl::string_view name) {
  static const auto* greek = new absl::flat_hash_set<absl::string_view>{
      "alpha", "beta",  "gamma", "delta",  "epsilon", "zeta",  "eta",     "theta",  "iota",
      "kappa", "mu",    "nu",    "xi",     "pi",      "rho",   "sigma",   "tau",    "upsilon",
      "phi",   "chi",   "psi",   "omega",  "Gamma",   "Delta", "Theta",   "Lambda", "Xi",
      "Upsilon", "Phi", "Psi",   "Omega"};
  if (name.size() <= 2 && !name.empty()) {
    for (char c : name) {
      if (!IsAsciiLetter(c)) return false;
    }
    return true;
  }
  return greek->contains(name);
}

// A letter at `text[i]`: an ASCII letter or a letter symbol; its length, or 0.
size_t LetterLength(absl::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  if (IsAsciiLetter(text[i])) return 1;
  size_t len = SymbolLength(text, i);
  return len > 0 && IsLetterSymbol(SymbolName(text, i, len)) ? len : 0;
}

// End of the identifier starting with a letter at `i`, as Isabelle reads
// one: letter (letter | digit | _ | ' | sub/superscript)*, and long names
// `foo.bar` whose every part starts with a letter.
size_t IdentEnd(absl::string_view text, size_t i) {
  size_t j = i;
  while (j < text.size()) {
    size_t len = SymbolLength(text, j);
    absl::string_view name = len > 0 ? SymbolName(text, j, len) : absl::string_view();
    if (IsIdentChar(text[j])) {
      ++j;
    } else if (size_t letter = LetterLength(text, j); letter > 0) {
      j += letter;
    } else if (len > 0 && name[0] == '^' && IsIdentControl(name.substr(1))) {
      j += len;
    } else if (text[j] == '.' && LetterLength(text, j + 1) > 0) {
      ++j;
    } else {
      break;
    }
  }
  return j;
}

}  // namespace

bool ContainsIsabelleWord(absl::string_view text, absl::string_view word) {
  for (size_t pos = text.find(word); pos != absl::string_view::npos;
       pos = text.find(word, pos + 1)) {
    bool left_ok = pos == 0 || !IsIdentChar(text[pos - 1]) || !IsIdentChar(word.front());
    size_t end = pos + word.size();
    bool right_ok = end >= text.size() || !IsIdentChar(text[end]) || !IsIdentChar(word.back());
    if (left_ok && right_ok) return true;
  }
  return false;
}

std::string Excerpt(absl::string_view text, size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) return absl::StrCat(out, "...");
    bool space = absl::ascii_isspace(static_cast<unsigned char>(c));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space || absl::ascii_iscntrl(static_cast<unsigned char>(c)) ? ' ' : c);
  }
  return out;
}

absl::StatusOr<std::vector<Token>> LexIsabelle(absl::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  auto emit = [&](TokenKind kind, size_t end) {
    out.push_back({kind, std::string(text.substr(i, end - i)), i});
    i = end;
  };
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat("control character (code ", int{c}, ")"));
    } else if (c >= 0x80) {
      return absl::InvalidArgumentError(
          absl::StrCat("non-ASCII text outside a string or cartouche at '",
                       Excerpt(text.substr(i), 20), "' (write symbols as \\<name>)"));
    } else if (text.substr(i, 2) == "(*") {
      size_t end = NestedEnd(text, i, "(*", "*)");
      if (end == absl::string_view::npos) return Unterminated("comment", text, i);
      emit(TokenKind::kComment, end);
    } else if (c == '"' || c == '`') {
      size_t end = QuotedEnd(text, i);
      if (end == absl::string_view::npos) return Unterminated("string", text, i);
      emit(TokenKind::kString, end);
    } else if (text.substr(i, kOpen.size()) == kOpen) {
      size_t end = NestedEnd(text, i, kOpen, kClose);
      if (end == absl::string_view::npos) return Unterminated("cartouche", text, i);
      emit(TokenKind::kCartouche, end);
    } else if (size_t len = SymbolLength(text, i); len > 0) {
      absl::string_view name = SymbolName(text, i, len);
      if (name == "comment") {
        // A comment marker owns the cartouche after it.
        size_t j = i + len;
        while (j < text.size() && absl::ascii_isspace(static_cast<unsigned char>(text[j]))) ++j;
        size_t end = text.substr(j, kOpen.size()) == kOpen ? NestedEnd(text, j, kOpen, kClose)
                                                           : absl::string_view::npos;
        if (end == absl::string_view::npos) return Unterminated("\\<comment>", text, i);
        emit(TokenKind::kComment, end);
      } else if (name == "proof") {
        emit(TokenKind::kProofSym, i + len);
      } else if (name == "close") {
        return absl::InvalidArgumentError(
            absl::StrCat("\\<close> without \\<open> at '", Excerpt(text.substr(i), 20), "'"));
      } else if (name[0] == '^' && !IsIdentControl(name.substr(1))) {
        emit(TokenKind::kControl, i + len);
      } else if (IsLetterSymbol(name)) {
        emit(TokenKind::kWord, IdentEnd(text, i));
      } else {
        emit(TokenKind::kSymbol, i + len);
      }
    } else if (IsAsciiLetter(text[i])) {
      emit(TokenKind::kWord, IdentEnd(text, i));
    } else if (c == '\'' && LetterLength(text, i + 1) > 0) {
      emit(TokenKind::kWord, IdentEnd(text, i + 1));  // A type variable 'a.
    } else if (absl::ascii_isdigit(c)) {
      // A number; letters right after it start a new word, as in Isabelle
      // (`1ML` is `1` and the command `ML`).
      size_t j = i;
      while (j < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[j]))) ++j;
      emit(TokenKind::kWord, j);
    } else if (c == '.') {
      size_t j = i;
      while (j < text.size() && text[j] == '.') ++j;
      emit(TokenKind::kSymbol, j);
    } else if (c == ':' && text.substr(i, 2) == "::") {
      emit(TokenKind::kSymbol, i + 2);
    } else {
      emit(TokenKind::kSymbol, i + 1);
    }
  }
  return out;
}

}  // namespace thor::isabelle
