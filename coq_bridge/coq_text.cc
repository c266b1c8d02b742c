#include "coq_bridge/coq_text.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

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
    std::string imp(absl::StripAsciiWhitespace(raw));
    if (imp.empty()) continue;
    absl::string_view word = FirstWord(imp);
    if (word == "Require" || word == "From" || word == "Import" || word == "Export") {
      absl::StrAppend(&out, imp, imp.back() == '.' ? "\n" : ".\n");
    } else {
      absl::StrAppend(&out, "Require Import ", imp, ".\n");
    }
  }
  return out;
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

}  // namespace thor::coq
