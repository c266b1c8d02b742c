#include "isabelle_bridge/isabelle_rules.h"

#include <cctype>
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "isabelle_bridge/isabelle_keywords.h"
#include "isabelle_bridge/isabelle_lexer.h"
#include "isabelle_bridge/theorem_options.h"

namespace thor::isabelle {
namespace {

constexpr size_t kMaxStep = 64 * 1024;
constexpr size_t kMaxStatement = 64 * 1024;
constexpr size_t kMaxContext = 1024 * 1024;

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'';
}

// Document antiquotations that only print (formal comments of AFP
// statements use @{term ...}); every other one (ML, value, ...) may run code.
bool IsHarmlessAntiquotation(absl::string_view name) {
  return name == "term" || name == "typ" || name == "prop" || name == "thm" || name == "const" ||
         name == "text" || name == "emph" || name == "bold" || name == "verbatim" ||
         name == "cite" || name == "type" || name == "fact" || name == "locale" ||
         name == "class" || name == "theory";
}

// Why `text` (all of it: strings, cartouches and comments included) holds a
// cheat or ML; "" if it does not. Terms never need these words, so finding
// them anywhere is refused (conservative). With `allow_skips`, sorry, oops and
// \<proof> pass: in a theory context they are the kernel's business (a lemma
// proved by sorry carries the skip_proof oracle, which thm_oracles reports).
std::string CheatIn(absl::string_view text, bool allow_skips) {
  if (text.find('\0') != absl::string_view::npos) return "a NUL byte";
  if (!allow_skips && text.find("\\<proof>") != absl::string_view::npos) {
    return "'\\<proof>' skips the proof (Isabelle2021+ symbol form of sorry)";
  }
  for (size_t at = text.find("@{"); at != absl::string_view::npos; at = text.find("@{", at + 2)) {
    size_t j = at + 2;
    while (j < text.size() && IsIdentChar(text[j])) ++j;
    if (!IsHarmlessAntiquotation(text.substr(at + 2, j - at - 2))) {
      return absl::StrCat("'@{", Excerpt(text.substr(at + 2, j - at - 2), 20),
                          "' (an antiquotation that may run ML; only term, typ, prop, thm, "
                          "const, text and the like may appear)");
    }
  }
  for (size_t i = 0; i < text.size();) {
    if (text.substr(i, 3) == "\\<^") {
      size_t j = i + 3;
      while (j < text.size() && IsIdentChar(text[j])) ++j;
      absl::string_view name = text.substr(i + 3, j - i - 3);
      if (name != "sub" && name != "sup" && name != "isub" && name != "isup" && name != "bsub" &&
          name != "esub" && name != "bsup" && name != "esup" && name != "bold") {
        return absl::StrCat("'\\<^", Excerpt(name, 20),
                            ">' (an antiquotation or marker; only \\<^sub>, \\<^sup> and "
                            "\\<^bold> may appear)");
      }
      i = j;
    } else if (absl::ascii_isalpha(static_cast<unsigned char>(text[i]))) {
      // Every word that starts with a letter after a non-letter, so that
      // `1ML` or `x_sorry` cannot hide ML or sorry from a lexer that splits
      // differently (conservative: also refuses such odd identifiers).
      size_t j = i;
      while (j < text.size() && IsIdentChar(text[j])) ++j;
      for (size_t k = i; k < j; ++k) {
        if (!absl::ascii_isalpha(static_cast<unsigned char>(text[k])) ||
            (k > i && absl::ascii_isalpha(static_cast<unsigned char>(text[k - 1])))) {
          continue;
        }
        size_t e = k;
        while (e < j && IsIdentChar(text[e])) ++e;
        absl::string_view word = text.substr(k, e - k);
        absl::string_view why = CheatReason(word);
        if (!why.empty() && !(allow_skips && (word == "sorry" || word == "oops"))) {
          return absl::StrCat("'", Excerpt(word, 30), "' ", why);
        }
      }
      i = j;
    } else if (IsIdentChar(text[i])) {
      ++i;  // Digits, '_' and '\'' before a letter: the letter starts a word above.
    } else {
      ++i;
    }
  }
  return "";
}

// Tokens other than comments.
std::vector<Token> Code(const std::vector<Token>& tokens) {
  std::vector<Token> out;
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kComment) out.push_back(t);
  }
  return out;
}

// True if code token `i` is `[` and the next code token is `[`: a `[[...]]`
// declaration of configuration options (quick_and_dirty, smt_oracle, ML_*...).
bool OpensConfigAttribute(const std::vector<Token>& code, size_t i) {
  return code[i].kind == TokenKind::kSymbol && code[i].text == "[" && i + 1 < code.size() &&
         code[i + 1].kind == TokenKind::kSymbol && code[i + 1].text == "[";
}

bool IsStatementKeyword(absl::string_view w) {
  return w == "theorem" || w == "lemma" || w == "corollary" || w == "proposition" ||
         w == "schematic_goal";
}

bool IsClauseKeyword(absl::string_view w) {
  return w == "fixes" || w == "assumes" || w == "shows" || w == "obtains" || w == "defines" ||
         w == "includes" || w == "and";
}

}  // namespace

absl::Status CheckIsabelleStep(absl::string_view step) {
  auto refuse = [](absl::string_view why) {
    return absl::PermissionDeniedError(absl::StrCat("step refused: ", why));
  };
  if (step.size() > kMaxStep) return refuse(absl::StrCat("longer than ", kMaxStep, " bytes"));
  if (std::string cheat = CheatIn(step, /*allow_skips=*/false); !cheat.empty()) {
    return refuse(absl::StrCat(cheat, "; not allowed in a proof"));
  }
  absl::StatusOr<std::vector<Token>> tokens = LexIsabelle(step);
  if (!tokens.ok()) return refuse(tokens.status().message());
  const std::vector<Token> code = Code(*tokens);
  if (code.empty()) return refuse("the step is empty");
  const Token& head = code.front();
  if ((head.kind != TokenKind::kWord && head.kind != TokenKind::kSymbol) ||
      !IsAllowedProofCommand(head.text)) {
    return refuse(absl::StrCat("'", Excerpt(head.text, 30),
                               "' does not start a proof command (a step is proof methods and "
                               "proof commands: apply, by, using, have, show, proof, qed, ...)"));
  }
  for (size_t i = 0; i < code.size(); ++i) {
    const Token& t = code[i];
    if (t.kind == TokenKind::kControl || t.kind == TokenKind::kProofSym) {
      return refuse(absl::StrCat("'", Excerpt(t.text, 30), "' is not allowed in a proof"));
    }
    if (t.kind == TokenKind::kWord && IsCommandKeyword(t.text) && !IsAllowedProofCommand(t.text)) {
      return refuse(absl::StrCat("'", Excerpt(t.text, 30),
                                 "' is a command that is not a proof command"));
    }
    if (OpensConfigAttribute(code, i)) {
      return refuse("'[[...]]' configuration attributes are not allowed in a proof");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ParseIsabelleProofText(absl::string_view text) {
  if (text.size() > kMaxContext) {
    return absl::InvalidArgumentError(absl::StrCat("proof_text: longer than ", kMaxContext, " bytes"));
  }
  std::vector<std::string> steps;
  std::string current;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    // Still inside a string, cartouche or comment of the step so far?
    const bool open = !current.empty() && !LexIsabelle(current).ok();
    if (trimmed.empty()) {
      if (open) absl::StrAppend(&current, "\n");
      continue;
    }
    size_t head_end = 0;
    while (head_end < trimmed.size() && IsIdentChar(trimmed[head_end])) ++head_end;
    absl::string_view head = trimmed.substr(0, head_end);
    if (head.empty()) head = trimmed.substr(0, trimmed.find_first_not_of('.'));
    if (head.empty()) head = trimmed.substr(0, 1);
    const bool command = IsAllowedProofCommand(head) || IsCommandKeyword(head);
    if (current.empty() || (!open && command)) {
      if (!current.empty()) steps.push_back(std::move(current));
      current = std::string(trimmed);
    } else {
      absl::StrAppend(&current, "\n", absl::StripTrailingAsciiWhitespace(line));
    }
  }
  if (!current.empty()) steps.push_back(std::move(current));
  if (steps.empty()) return absl::InvalidArgumentError("proof_text: holds no proof step");
  for (size_t i = 0; i < steps.size(); ++i) {
    if (absl::Status s = CheckIsabelleStep(steps[i]); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("proof_text step ", i + 1, ": ", s.message()));
    }
  }
  return steps;
}

absl::StatusOr<IsabelleStatement> ParseIsabelleStatement(absl::string_view statement) {
  auto invalid = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("statement: ", why));
  };
  if (statement.size() > kMaxStatement) {
    return invalid(absl::StrCat("longer than ", kMaxStatement, " bytes"));
  }
  if (std::string cheat = CheatIn(statement, /*allow_skips=*/false); !cheat.empty()) {
    return invalid(absl::StrCat(cheat, "; not allowed in a statement"));
  }
  absl::StatusOr<std::vector<Token>> tokens = LexIsabelle(statement);
  if (!tokens.ok()) return invalid(tokens.status().message());
  const std::vector<Token> code = Code(*tokens);
  if (code.empty()) return invalid("empty");
  IsabelleStatement out;
  const bool is_term = [](const Token& t) {
    return t.kind == TokenKind::kString || t.kind == TokenKind::kCartouche;
  }(code.front());
  if (code.size() == 1 && is_term) {
    out.body = code.front().text;
    return out;
  }
  if (code.front().kind != TokenKind::kWord || !IsStatementKeyword(code.front().text)) {
    return invalid(absl::StrCat("must be one `theorem|lemma|corollary|proposition|"
                                "schematic_goal NAME: ...` or a term string, not '",
                                Excerpt(code.front().text, 30), "'"));
  }
  out.keyword = code.front().text;
  // Optional (in LOCALE), optional NAME, optional [attributes], then ':'.
  size_t i = 1;
  if (i + 3 < code.size() && code[i].text == "(" && code[i + 1].text == "in" &&
      code[i + 2].kind == TokenKind::kWord && !IsCommandKeyword(code[i + 2].text) &&
      code[i + 3].text == ")") {
    out.target = absl::StrCat("(in ", code[i + 2].text, ")");
    i += 4;
  }
  const size_t after_target = i;
  if (i < code.size() && code[i].kind == TokenKind::kWord && !IsClauseKeyword(code[i].text) &&
      !IsCommandKeyword(code[i].text)) {
    out.name = code[i].text;
    ++i;
  }
  if (i < code.size() && code[i].kind == TokenKind::kSymbol && code[i].text == "[" &&
      !OpensConfigAttribute(code, i)) {
    int depth = 0;
    for (; i < code.size(); ++i) {
      if (code[i].kind != TokenKind::kSymbol) continue;
      if (code[i].text == "[") ++depth;
      if (code[i].text == "]" && --depth == 0) break;
    }
    ++i;
  }
  if (i < code.size() && code[i].kind == TokenKind::kSymbol && code[i].text == ":") {
    ++i;
  } else if (!out.name.empty() || i != after_target) {
    return invalid("expected ':' after the statement's name");
  }
  if (i >= code.size()) return invalid("holds no proposition");
  out.body = std::string(absl::StripAsciiWhitespace(statement.substr(code[i].begin)));
  bool has_term = false;
  for (size_t k = i; k < code.size(); ++k) {
    const Token& t = code[k];
    // A proposition is a string or cartouche, or a lone identifier
    // (`theorem monot: monot`).
    if (t.kind == TokenKind::kString || t.kind == TokenKind::kCartouche ||
        (t.kind == TokenKind::kWord && !IsClauseKeyword(t.text))) {
      has_term = true;
    }
    if (t.kind == TokenKind::kControl || t.kind == TokenKind::kProofSym ||
        (t.kind == TokenKind::kWord && IsCommandKeyword(t.text))) {
      return invalid(absl::StrCat("holds a second command '", Excerpt(t.text, 30),
                                  "' (a statement is one theorem, its proof comes as steps)"));
    }
    if (OpensConfigAttribute(code, k)) return invalid("'[[...]]' attributes are not allowed");
  }
  if (!has_term) return invalid("holds no proposition");
  return out;
}

absl::Status ValidateIsabelleImport(absl::string_view import) {
  absl::string_view name = import;
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  static const std::regex kTheoryName(
      R"([A-Za-z][A-Za-z0-9_'-]*(\.[A-Za-z][A-Za-z0-9_']*)*)");
  if (name.empty() || name.size() > 200 ||
      !std::regex_match(name.begin(), name.end(), kTheoryName)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "imports: '", Excerpt(import, 40),
        "' is not a theory name (Main, Complex_Main, HOL-Library.Multiset; no paths)"));
  }
  return absl::OkStatus();
}

absl::Status CheckIsabelleContext(absl::string_view context) {
  auto invalid = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("context: ", why));
  };
  if (context.size() > kMaxContext) {
    return invalid(absl::StrCat("longer than ", kMaxContext, " bytes"));
  }
  if (std::string cheat = CheatIn(context, /*allow_skips=*/true); !cheat.empty()) {
    return invalid(absl::StrCat(cheat, "; not allowed in a theory context"));
  }
  absl::StatusOr<std::vector<Token>> tokens = LexIsabelle(context);
  if (!tokens.ok()) return invalid(tokens.status().message());
  const std::vector<Token> code = Code(*tokens);
  // Every `begin` (context, locale, class, instantiation, notepad, ...) must
  // be closed: the statement after the context must stand at theory level,
  // not inside a locale whose assumptions (say "False") it could use.
  int open_blocks = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    const Token& t = code[i];
    if (t.kind == TokenKind::kWord && t.text == "begin") ++open_blocks;
    if (t.kind == TokenKind::kWord && t.text == "end" && --open_blocks < 0) {
      return invalid("'end' closes the theory (more `end` than `begin`)");
    }
    if (t.kind == TokenKind::kControl) {
      return invalid(absl::StrCat("'", Excerpt(t.text, 30), "' (antiquotation or marker)"));
    }
    if (t.kind == TokenKind::kWord && IsForbiddenContextCommand(t.text)) {
      return invalid(absl::StrCat("command '", Excerpt(t.text, 30),
                                  "' is not allowed (it runs ML or generated code, touches "
                                  "files, adds axioms or oracles, or starts a theory)"));
    }
    if (OpensConfigAttribute(code, i)) {
      return invalid("'[[...]]' configuration attributes are not allowed");
    }
  }
  if (open_blocks > 0) {
    return invalid("a `begin` is not closed by `end` (the statement must stand at theory level)");
  }
  return absl::OkStatus();
}

absl::Status ValidateIsabelleTheorem(const Theorem& theorem) {
  if (theorem.imports.size() > 64) return absl::InvalidArgumentError("imports: more than 64");
  for (const std::string& imp : theorem.imports) {
    if (absl::Status s = ValidateIsabelleImport(imp); !s.ok()) return s;
  }
  static const std::regex kSession(R"([A-Za-z0-9_-]{1,100})");
  const std::string& session = SessionOf(theorem);
  if (!session.empty() && !std::regex_match(session, kSession)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "session: '", Excerpt(session, 40), "' is not a session name (HOL, HOL-Analysis)"));
  }
  absl::StatusOr<IsabelleStatement> statement = ParseIsabelleStatement(theorem.statement);
  if (!statement.ok()) return statement.status();
  if (absl::Status s = CheckIsabelleContext(theorem.context); !s.ok()) return s;
  static const std::regex kOracle(R"([A-Za-z][A-Za-z0-9_'.]{0,199})");
  for (const std::string& a : theorem.allowed_axioms) {
    if (!std::regex_match(a, kOracle)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "allowed_axioms: '", Excerpt(a, 40), "' is not an oracle name (as thm_oracles prints)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace thor::isabelle
