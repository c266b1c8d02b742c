#include "isabelle_bridge/isabelle_context_items.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "isabelle_bridge/isabelle_keywords.h"
#include "isabelle_bridge/isabelle_lexer.h"

namespace thor::isabelle {
namespace {

const absl::flat_hash_set<absl::string_view>& ItemCommands() {
  static const auto* set = new absl::flat_hash_set<absl::string_view>{
      "definition",    "abbreviation", "fun",        "function",     "primrec", "inductive",
      "inductive_set", "datatype",     "codatatype", "type_synonym", "record",  "consts",
      "lemma",         "theorem",      "corollary",  "proposition",  "lemmas",  "notation"};
  return *set;
}

// The body of a string or cartouche token.
absl::string_view Body(const Token& t) {
  absl::string_view s = t.text;
  if (t.kind == TokenKind::kCartouche) {
    absl::ConsumePrefix(&s, "\\<open>");
    absl::ConsumeSuffix(&s, "\\<close>");
    return s;
  }
  return s.size() >= 2 ? s.substr(1, s.size() - 2) : s;
}

// The delimiters of a mixfix template: "_ +++ _" -> "+++", "\<lbrakk>_\<rbrakk>"
// -> "\<lbrakk>", "\<rbrakk>" (placeholders, spacing and blocks dropped).
void MixfixNames(absl::string_view mixfix, std::vector<std::string>* names) {
  std::string cleaned(mixfix);
  for (char& c : cleaned) {
    if (c == '_' || c == '(' || c == ')' || c == '/' || c == '\'') c = ' ';
  }
  // "\<rbrakk>" glued to the next symbol stays one name: goals show it so.
  for (absl::string_view part : absl::StrSplit(cleaned, ' ', absl::SkipEmpty())) {
    names->emplace_back(part);
  }
}

bool IsWord(const Token& t) { return t.kind == TokenKind::kWord; }
bool IsSym(const Token& t, absl::string_view s) {
  return t.kind == TokenKind::kSymbol && t.text == s;
}

}  // namespace

std::vector<ContextItem> IsabelleContextItems(absl::string_view context) {
  absl::StatusOr<std::vector<Token>> lexed = LexIsabelle(context);
  if (!lexed.ok()) return {};
  std::vector<Token> tokens;  // Comments say nothing a goal mentions.
  for (Token& t : *lexed) {
    if (t.kind != TokenKind::kComment) tokens.push_back(std::move(t));
  }
  std::vector<ContextItem> items;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!IsWord(tokens[i]) || !ItemCommands().contains(tokens[i].text)) continue;
    const std::string command = tokens[i].text;
    size_t end = i + 1;
    while (end < tokens.size() && !(IsWord(tokens[end]) && IsCommandKeyword(tokens[end].text))) {
      ++end;
    }
    ContextItem item;
    size_t k = i + 1;
    if (k + 3 < end && IsSym(tokens[k], "(") && tokens[k + 1].text == "in") k += 4;  // (in loc)
    const bool datatype = command == "datatype" || command == "codatatype";
    // A type's parameters before its name: 'a, or ('a, 'b).
    while (k < end && (datatype || command == "type_synonym" || command == "record") &&
           (tokens[k].text.front() == '\'' || IsSym(tokens[k], "(") || IsSym(tokens[k], ")") ||
            IsSym(tokens[k], ","))) {
      ++k;
    }
    const bool lemma = command == "lemma" || command == "theorem" || command == "corollary" ||
                       command == "proposition" || command == "lemmas";
    if (k < end && IsWord(tokens[k])) {
      // A lemma's name stands before ':' or '[' (attributes); else it has none.
      if (!lemma || (k + 1 < end && (IsSym(tokens[k + 1], ":") || IsSym(tokens[k + 1], "[") ||
                                     IsSym(tokens[k + 1], "=")))) {
        item.names.push_back(tokens[k].text);
      }
    }
    if (lemma && item.names.empty()) {
      i = end - 1;
      continue;
    }
    for (size_t j = k + 1; j < end; ++j) {
      if (datatype && IsWord(tokens[j]) &&
          (IsSym(tokens[j - 1], "=") || IsSym(tokens[j - 1], "|"))) {
        item.names.push_back(tokens[j].text);  // A constructor.
      }
      // A mixfix annotation: ("...") or (infix[lr] "..." prio) or (binder "...").
      if (IsSym(tokens[j - 1], "(") &&
          (tokens[j].kind == TokenKind::kString || tokens[j].kind == TokenKind::kCartouche)) {
        MixfixNames(Body(tokens[j]), &item.names);
      }
      if (j + 1 < end && IsSym(tokens[j - 1], "(") &&
          (tokens[j].text == "infix" || tokens[j].text == "infixl" || tokens[j].text == "infixr" ||
           tokens[j].text == "binder") &&
          (tokens[j + 1].kind == TokenKind::kString ||
           tokens[j + 1].kind == TokenKind::kCartouche)) {
        MixfixNames(Body(tokens[j + 1]), &item.names);
      }
    }
    if (!item.names.empty()) {
      const size_t stop = end < tokens.size() ? tokens[end].begin : context.size();
      item.text = std::string(
          absl::StripAsciiWhitespace(context.substr(tokens[i].begin, stop - tokens[i].begin)));
      items.push_back(std::move(item));
    }
    i = end - 1;
  }
  return items;
}

}  // namespace thor::isabelle
