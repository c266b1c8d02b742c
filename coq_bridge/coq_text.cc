#include "coq_bridge/coq_text.h"

#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "coq_bridge/coq_rules.h"

namespace thor::coq {
namespace {

constexpr absl::string_view kTheoremKeywords[] = {
    "Lemma", "Theorem", "Fact", "Remark", "Corollary", "Proposition", "Example", "Goal"};

bool IsIdent(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'';
}

// First whitespace-separated word of `s`.
absl::string_view FirstWord(absl::string_view s) {
  s = absl::StripLeadingAsciiWhitespace(s);
  size_t end = 0;
  while (end < s.size() && !absl::ascii_isspace(static_cast<unsigned char>(s[end]))) ++end;
  return s.substr(0, end);
}

// The identifier at the start of `s` (after whitespace).
std::string LeadingIdent(absl::string_view s) {
  s = absl::StripLeadingAsciiWhitespace(s);
  size_t end = 0;
  while (end < s.size() && IsIdent(s[end])) ++end;
  return std::string(s.substr(0, end));
}

}  // namespace

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsControl(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

// Length of the UTF-8 character at `t[i]` (a byte >= 0x80), or 0 if the
// encoding is invalid; `*cp` gets the code point.
size_t Utf8Length(absl::string_view t, size_t i, uint32_t* cp) {
  const unsigned char c = t[i];
  size_t n;
  uint32_t v;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2, v = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3, v = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4, v = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > t.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char d = t[i + k];
    if ((d & 0xc0) != 0x80) return 0;
    v = (v << 6) | (d & 0x3f);
  }
  // Overlong forms, surrogates and values past U+10FFFF.
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
      (v >= 0xd800 && v <= 0xdfff)) {
    return 0;
  }
  *cp = v;
  return n;
}

// Unicode blanks and invisible separators: Coq does not treat them as
// blanks, but a reader (or a model) would; refused outside strings.
bool IsUnicodeBlank(uint32_t cp) {
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x2060 ||
         cp == 0x3000 || cp == 0xfeff;
}

absl::Status LexError(absl::string_view what, size_t at) {
  return absl::InvalidArgumentError(absl::StrCat(what, " at byte ", at));
}

bool IsIdentStart(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_'; }

bool IsSymbol(absl::string_view text, const CoqToken& t, char c) {
  return t.kind == CoqToken::kSymbol && t.end == t.begin + 1 && text[t.begin] == c;
}

// True if `tokens` is a goal selector and its ':' ("2:", "1-3:", "1,4:",
// "all:", "par:", "!:", "[name]:").
bool IsSelectorColon(absl::string_view text, const std::vector<CoqToken>& tokens) {
  const size_t n = tokens.size();
  if (n < 2 || !IsSymbol(text, tokens[n - 1], ':')) return false;
  auto tok = [&](size_t i) { return text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin); };
  if (n == 2) {
    return (tokens[0].kind == CoqToken::kIdent && (tok(0) == "all" || tok(0) == "par")) ||
           IsSymbol(text, tokens[0], '!') || tokens[0].kind == CoqToken::kNumber;
  }
  if (n == 4 && IsSymbol(text, tokens[0], '[') && tokens[1].kind == CoqToken::kIdent &&
      IsSymbol(text, tokens[2], ']')) {
    return true;
  }
  // Numbers separated by ',' or '-'.
  for (size_t i = 0; i + 1 < n; ++i) {
    bool want_number = i % 2 == 0;
    if (want_number ? tokens[i].kind != CoqToken::kNumber
                    : !(IsSymbol(text, tokens[i], ',') || IsSymbol(text, tokens[i], '-'))) {
      return false;
    }
  }
  return n % 2 == 0;
}

}  // namespace

absl::StatusOr<std::vector<CoqUnit>> LexUnits(absl::string_view t) {
  std::vector<CoqUnit> units;
  CoqUnit cur;
  bool open = false;  // `cur` holds tokens of an unfinished sentence.
  size_t last_close = 0;  // One past the last comment or string.
  const size_t n = t.size();
  auto finish = [&](CoqUnit::Kind kind, size_t end, bool terminated) {
    cur.kind = kind;
    cur.end = end;
    cur.terminated = terminated;
    units.push_back(std::move(cur));
    cur = CoqUnit();
    open = false;
  };
  auto add = [&](CoqToken::Kind kind, size_t begin, size_t end) {
    if (!open) {
      cur.begin = begin;
      open = true;
    }
    cur.tokens.push_back(CoqToken{kind, begin, end});
  };
  for (size_t i = 0; i < n;) {
    const unsigned char c = t[i];
    const char next = i + 1 < n ? t[i + 1] : '\0';
    if (IsControl(c)) return LexError("control character", i);
    if (IsBlank(c)) {
      ++i;
      continue;
    }
    if (c == '(' && next == '*') {
      // Coq starts a comment only where a token starts: glued to a symbol
      // or a word, "(" may belong to a keyword (".(", or "foo(" from a
      // context notation) and what follows "(*" is then read as code.
      if (i > 0 && !IsBlank(t[i - 1]) && i != last_close) {
        return LexError("a comment glued to the text before it (Coq may not read it as one)", i);
      }
      // A comment: nests, and lexes strings (whose "*)" does not close it).
      const size_t start = i;
      int depth = 1;
      i += 2;
      while (depth > 0) {
        if (i >= n) return LexError("unterminated comment", start);
        const unsigned char d = t[i];
        const char dn = i + 1 < n ? t[i + 1] : '\0';
        if (IsControl(d)) return LexError("control character", i);
        if (d == '(' && dn == '*') {
          ++depth;
          i += 2;
        } else if (d == '*' && dn == ')') {
          --depth;
          i += 2;
        } else if (d == '"') {
          size_t close = t.find('"', i + 1);
          if (close == absl::string_view::npos) return LexError("unterminated string in a comment", i);
          for (size_t k = i + 1; k < close; ++k) {
            if (IsControl(t[k])) return LexError("control character", k);
          }
          i = close + 1;
        } else if (d >= 0x80) {
          uint32_t cp;
          size_t len = Utf8Length(t, i, &cp);
          if (len == 0) return LexError("invalid UTF-8", i);
          i += len;
        } else {
          ++i;
        }
      }
      last_close = i;
      continue;
    }
    if (c == '"') {
      // "" inside a string is an escaped quote.
      size_t k = i + 1;
      while (true) {
        if (k >= n) return LexError("unterminated string", i);
        const unsigned char d = t[k];
        if (IsControl(d)) return LexError("control character", k);
        if (d == '"') {
          if (k + 1 < n && t[k + 1] == '"') {
            k += 2;
            continue;
          }
          break;
        }
        if (d >= 0x80) {
          uint32_t cp;
          size_t len = Utf8Length(t, k, &cp);
          if (len == 0) return LexError("invalid UTF-8", k);
          k += len;
        } else {
          ++k;
        }
      }
      add(CoqToken::kString, i, k + 1);
      i = k + 1;
      last_close = i;
      continue;
    }
    if (c >= 0x80) {
      uint32_t cp;
      size_t len = Utf8Length(t, i, &cp);
      if (len == 0) return LexError("invalid UTF-8", i);
      if (IsUnicodeBlank(cp)) return LexError("non-ASCII blank", i);
      add(CoqToken::kSymbol, i, i + len);
      i += len;
      continue;
    }
    if (c == '.') {
      if (i + 1 == n || IsBlank(next)) {
        if (open) {
          finish(CoqUnit::kSentence, i + 1, true);
        } else {
          cur.begin = i;
          finish(CoqUnit::kSentence, i + 1, true);  // An empty sentence: Coq rejects it.
        }
        ++i;
        continue;
      }
      if (static_cast<unsigned char>(next) >= 0x80) return LexError("'.' before a non-ASCII character", i);
      add(CoqToken::kSymbol, i, i + 1);
      ++i;
      continue;
    }
    if (!open && (c == '-' || c == '+' || c == '*')) {
      size_t k = i;
      while (k < n && t[k] == static_cast<char>(c)) ++k;
      cur.begin = i;
      finish(CoqUnit::kBullet, k, false);
      i = k;
      continue;
    }
    if (!open && (c == '{' || c == '}')) {
      cur.begin = i;
      cur.tokens.push_back(CoqToken{CoqToken::kSymbol, i, i + 1});
      finish(CoqUnit::kBrace, i + 1, false);
      ++i;
      continue;
    }
    if (c == '{' && open && IsSelectorColon(t, cur.tokens)) {
      add(CoqToken::kSymbol, i, i + 1);
      finish(CoqUnit::kBrace, i + 1, false);
      ++i;
      continue;
    }
    if (IsIdentStart(c)) {
      size_t k = i + 1;
      while (k < n && (IsIdent(t[k]))) ++k;
      add(CoqToken::kIdent, i, k);
      i = k;
      continue;
    }
    if (absl::ascii_isdigit(c)) {
      size_t k = i + 1;
      while (k < n && absl::ascii_isdigit(static_cast<unsigned char>(t[k]))) ++k;
      add(CoqToken::kNumber, i, k);
      i = k;
      continue;
    }
    add(CoqToken::kSymbol, i, i + 1);
    ++i;
  }
  if (open) finish(CoqUnit::kSentence, cur.tokens.back().end, false);
  return units;
}

std::string StripCommentsAndStrings(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (in_string) {
      if (c == '"' && next == '"') {
        ++i;  // Escaped quote inside a string.
      } else if (c == '"') {
        in_string = false;
        out.push_back('"');
      }
      continue;
    }
    if (c == '(' && next == '*') {
      if (depth == 0) out.push_back(' ');
      ++depth;
      ++i;
      continue;
    }
    if (depth > 0) {
      if (c == '*' && next == ')') {
        --depth;
        ++i;
      } else if (c == '"') {
        // Strings inside comments are lexed too; skip to the closing quote.
        size_t close = text.find('"', i + 1);
        if (close == absl::string_view::npos) break;
        i = close;
      }
      continue;
    }
    if (c == '"') in_string = true;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> SplitSentences(absl::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '.') continue;
    bool end = i + 1 == text.size() || absl::ascii_isspace(static_cast<unsigned char>(text[i + 1]));
    if (!end) continue;
    std::string s(absl::StripAsciiWhitespace(text.substr(start, i + 1 - start)));
    if (!s.empty()) out.push_back(std::move(s));
    start = i + 1;
  }
  std::string rest(absl::StripAsciiWhitespace(text.substr(start)));
  if (!rest.empty()) out.push_back(std::move(rest));
  return out;
}

std::vector<std::pair<size_t, size_t>> SentenceSpans(absl::string_view t) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t start = absl::string_view::npos;
  int depth = 0;
  bool in_string = false;
  const size_t n = t.size();
  for (size_t i = 0; i < n; ++i) {
    char c = t[i];
    char next = i + 1 < n ? t[i + 1] : '\0';
    if (in_string) {
      if (c == '"') in_string = false;
    } else if (depth > 0) {
      if (c == '(' && next == '*') {
        ++depth;
        ++i;
      } else if (c == '*' && next == ')') {
        --depth;
        ++i;
      } else if (c == '"') {
        // Coq lexes strings inside comments: their "*)" does not close it.
        size_t close = t.find('"', i + 1);
        if (close == absl::string_view::npos) break;
        i = close;
      }
    } else if (c == '(' && next == '*') {
      ++depth;
      ++i;
    } else if (!absl::ascii_isspace(static_cast<unsigned char>(c))) {
      if (start == absl::string_view::npos) start = i;
      if (c == '"') {
        in_string = true;
      } else if (c == '.' && (i + 1 == n || absl::ascii_isspace(static_cast<unsigned char>(next)))) {
        out.emplace_back(start, i + 1);
        start = absl::string_view::npos;
      }
    }
  }
  return out;
}

std::string CloseOpenBlocks(absl::string_view context, std::string* closing) {
  struct Open {
    std::string name;
    size_t begin, end;
    bool module;
  };
  std::vector<Open> open;
  for (const auto& [begin, end] : SentenceSpans(context)) {
    const std::string sentence = StripCommentsAndStrings(context.substr(begin, end - begin));
    absl::string_view s = sentence;
    absl::string_view word = FirstWord(s);
    if (word == "Section") {
      open.push_back({LeadingIdent(s.substr(7)), begin, end, false});
    } else if (word == "Module") {
      if (absl::StrContains(s, ":=")) continue;  // Defined at once, not opened.
      absl::string_view rest = absl::StripLeadingAsciiWhitespace(s.substr(6));
      for (absl::string_view kw : {"Type", "Import", "Export"}) {
        if (FirstWord(rest) == kw) rest = absl::StripLeadingAsciiWhitespace(rest.substr(kw.size()));
      }
      open.push_back({LeadingIdent(rest), begin, end, true});
    } else if (word == "End") {
      std::string name = LeadingIdent(s.substr(3));
      for (size_t i = open.size(); i > 0; --i) {
        if (open[i - 1].name == name) {
          open.resize(i - 1);
          break;
        }
      }
    }
  }
  std::string out(context);
  closing->clear();
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    absl::StrAppend(closing, "End ", it->name, ".\n");
    if (!it->module) continue;
    // Drop the signature (": T" or "<: T ..."): cut from the first ':' at
    // bracket depth 0 after the name up to the final '.'.
    absl::string_view sentence = context.substr(it->begin, it->end - it->begin);
    size_t i = sentence.find(it->name, 6);
    if (i == absl::string_view::npos) continue;
    int depth = 0;
    for (i += it->name.size(); i + 1 < sentence.size(); ++i) {
      char c = sentence[i];
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (depth == 0 && c == ':') {
        size_t cut = sentence[i - 1] == '<' ? i - 1 : i;
        out.replace(it->begin + cut, sentence.size() - 1 - cut, " ");
        break;
      }
    }
  }
  return out;
}

absl::StatusOr<std::string> NormalizeStep(absl::string_view step) {
  std::string s(absl::StripAsciiWhitespace(step));
  if (s.empty()) return absl::InvalidArgumentError("empty step");
  if (absl::StrContains(s, "thor_sentinel")) {
    return absl::InvalidArgumentError("step uses the reserved word thor_sentinel");
  }
  // Unterminated comments or strings would swallow the rest of the input.
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (in_string) {
      if (s[i] == '"') in_string = false;
    } else if (s[i] == '"') {
      in_string = true;
    } else if (s[i] == '(' && next == '*') {
      ++depth;
      ++i;
    } else if (s[i] == '*' && next == ')' && depth > 0) {
      --depth;
      ++i;
    }
  }
  if (depth != 0) return absl::InvalidArgumentError("step has an unterminated comment");
  if (in_string) return absl::InvalidArgumentError("step has an unterminated string");
  if (StripCommentsAndStrings(s).find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError("step holds only a comment");
  }
  // A period ends an unterminated last sentence; a bullet or brace (as Coq
  // lexes them, e.g. not the '{' of "exists {") takes none.
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(s);
  if (units.ok() && !units->empty()) {
    const CoqUnit& last = units->back();
    if (last.kind == CoqUnit::kSentence && !last.terminated) s.push_back('.');
    return s;
  }
  char last = s.back();
  bool bullet_or_brace = last == '{' || last == '}' || s.find_first_not_of("-+*") == std::string::npos;
  if (last != '.' && !bullet_or_brace) s.push_back('.');
  return s;
}

absl::StatusOr<std::string> StatementSentence(const Theorem& theorem) {
  std::string s(absl::StripAsciiWhitespace(theorem.statement));
  if (s.empty()) return absl::InvalidArgumentError("the theorem has an empty statement");
  absl::string_view word = FirstWord(s);
  bool has_keyword = false;
  for (absl::string_view kw : kTheoremKeywords) has_keyword |= word == kw;
  if (!has_keyword) {
    std::string name = theorem.name.empty() ? "thor_goal" : theorem.name;
    // Coq identifiers only: anything else becomes '_'.
    for (char& c : name) {
      if (!IsIdent(c)) c = '_';
    }
    if (!std::isalpha(static_cast<unsigned char>(name[0]))) name = "thm_" + name;
    if (s.back() == '.') s.pop_back();
    s = absl::StrCat("Theorem ", name, " : ", s);
  }
  if (s.back() != '.') s.push_back('.');
  return s;
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  if (path.empty() || !in) {
    return absl::NotFoundError(absl::StrCat("cannot read the theorem's file '", path, "'"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<std::string> ResolveContext(const Theorem& theorem) {
  if (!theorem.context.empty() || theorem.file_path.empty()) return theorem.context;
  absl::StatusOr<std::string> file = ReadTextFile(theorem.file_path);
  if (!file.ok()) return file.status();
  const std::string& text = *file;
  std::string statement(absl::StripAsciiWhitespace(theorem.statement));
  size_t pos = statement.empty() ? std::string::npos : text.find(statement);
  if (pos == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the statement '", statement.substr(0, 80), "' does not occur in ", theorem.file_path));
  }
  return text.substr(0, pos);
}

std::string ImportLines(const Theorem& theorem) {
  std::string out;
  for (const std::string& raw : theorem.imports) {
    absl::StatusOr<std::string> imp = ParseCoqImport(raw);
    if (imp.ok()) absl::StrAppend(&out, *imp, "\n");
  }
  return out;
}

std::string CleanCoqError(absl::string_view output) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::StartsWith(line, "Toplevel input") || absl::StartsWith(line, ">")) continue;
    absl::StrAppend(&out, out.empty() ? "" : "\n", line);
  }
  return std::string(absl::StripAsciiWhitespace(out));
}

std::string StatementName(absl::string_view statement_sentence) {
  absl::string_view word = FirstWord(statement_sentence);
  if (word == "Goal") return "";
  for (absl::string_view kw : kTheoremKeywords) {
    if (word == kw) {
      absl::string_view rest = absl::StripLeadingAsciiWhitespace(statement_sentence);
      return LeadingIdent(rest.substr(word.size()));
    }
  }
  return "";
}

size_t ContextKeepPoint(absl::string_view text) {
  const std::vector<std::pair<size_t, size_t>> spans = SentenceSpans(text);
  for (size_t i = spans.size(); i > 0; --i) {
    const auto [begin, end] = spans[i - 1];
    const std::string sentence = StripCommentsAndStrings(text.substr(begin, end - begin));
    std::vector<absl::string_view> words =
        absl::StrSplit(sentence, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
    const bool appended =
        (words.size() == 5 && words[0] == "From" && words[1] == "Hammer" &&
         words[2] == "Require" && words[3] == "Import" && words[4] == "Hammer.") ||
        (words.size() == 4 && words[0] == "Add" && words[1] == "Hammer" && words[2] == "Filter");
    if (!appended) return end;
  }
  return 0;
}

bool ExtendsAtSentenceEnd(absl::string_view text, absl::string_view prefix) {
  if (prefix.empty() || prefix.back() != '.' || !absl::StartsWith(text, prefix)) return false;
  if (text.size() == prefix.size()) return true;
  const char next = text[prefix.size()];
  return next == ' ' || next == '\t' || next == '\n' || next == '\r';  // Coq's blanks.
}

}  // namespace thor::coq
