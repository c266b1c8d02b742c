#include "learn/state_text.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace thor::learn {
namespace {

bool IsBracket(char c) {
  return c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == ',';
}

bool IsSeparatorLine(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  return line.size() >= 4 && line.find_first_not_of('=') == absl::string_view::npos;
}

// "goal 2 (ID 12) is:" between goals of a Coq display.
bool IsGoalHeader(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  return absl::StartsWith(line, "goal ") && absl::EndsWith(line, " is:");
}

size_t Indent(absl::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

// "x, y : T" or "f := body : T": the names before the first " : " or " := ".
bool SplitHypothesis(absl::string_view line, std::vector<std::string>* names,
                     std::string* type) {
  size_t colon = line.find(" : ");
  size_t def = line.find(" := ");
  size_t cut = std::min(colon, def);
  if (cut == absl::string_view::npos) return false;
  absl::string_view head = absl::StripAsciiWhitespace(line.substr(0, cut));
  if (head.empty()) return false;
  names->clear();
  for (absl::string_view n : absl::StrSplit(head, ',')) {
    n = absl::StripAsciiWhitespace(n);
    if (n.empty() || !IsIdentStart(n[0])) return false;
    for (char c : n) {
      if (!IsIdentChar(c)) return false;
    }
    names->emplace_back(n);
  }
  *type = std::string(line.substr(cut + (cut == colon ? 3 : 4)));
  if (cut == def) *type = std::string(line.substr(cut + 1));  // Keep ":= body : T".
  return true;
}

}  // namespace

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '\'';
}

std::string CollapseWhitespace(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::vector<TextGoal> ParseStateText(absl::string_view text) {
  std::vector<TextGoal> goals;
  if (absl::StripAsciiWhitespace(text).empty()) return goals;
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  size_t sep = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsSeparatorLine(lines[i])) {
      sep = i;
      break;
    }
  }
  if (sep == lines.size()) {
    goals.push_back({{}, CollapseWhitespace(text)});
    return goals;
  }
  TextGoal first;
  // Hypotheses: a line indented by the display's base indent starts one;
  // deeper lines continue its type.
  std::vector<std::string> names;
  std::string type;
  auto flush = [&] {
    for (const std::string& n : names) first.hypotheses.push_back({n, CollapseWhitespace(type)});
    names.clear();
    type.clear();
  };
  size_t base = std::string::npos;
  for (size_t i = 1; i < sep; ++i) {
    absl::string_view line = lines[i];
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    size_t indent = Indent(line);
    if (base == std::string::npos) base = indent;
    std::vector<std::string> n;
    std::string t;
    if (indent <= base && SplitHypothesis(line, &n, &t)) {
      flush();
      names = std::move(n);
      type = std::move(t);
    } else if (!names.empty()) {
      type += ' ';
      type += std::string(line);
    }
  }
  flush();
  std::string conclusion;
  for (size_t i = sep + 1; i < lines.size(); ++i) {
    if (IsGoalHeader(lines[i])) {
      goals.push_back(first);
      first.hypotheses.clear();
      first.conclusion.clear();
      goals.back().conclusion = CollapseWhitespace(conclusion);
      conclusion.clear();
      // Later goals show no hypotheses; they are recorded by conclusion only.
      continue;
    }
    conclusion += ' ';
    conclusion += std::string(lines[i]);
  }
  first.conclusion = CollapseWhitespace(conclusion);
  goals.push_back(std::move(first));
  return goals;
}

std::vector<std::string> TermTokens(absl::string_view term) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < term.size()) {
    char c = term[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (IsIdentStart(c)) {
      size_t j = i + 1;
      // Qualified names: a dot followed by an identifier stays inside.
      while (j < term.size() &&
             (IsIdentChar(term[j]) ||
              (term[j] == '.' && j + 1 < term.size() && IsIdentStart(term[j + 1])))) {
        ++j;
      }
      out.emplace_back(term.substr(i, j - i));
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i + 1;
      while (j < term.size() && std::isdigit(static_cast<unsigned char>(term[j]))) ++j;
      out.emplace_back(term.substr(i, j - i));
      i = j;
    } else if (IsBracket(c)) {
      out.emplace_back(1, c);
      ++i;
    } else {
      size_t j = i + 1;
      while (j < term.size() && !absl::ascii_isspace(static_cast<unsigned char>(term[j])) &&
             !IsIdentStart(term[j]) && !std::isdigit(static_cast<unsigned char>(term[j])) &&
             !IsBracket(term[j])) {
        ++j;
      }
      out.emplace_back(term.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

std::vector<std::string> BinderNames(absl::string_view conclusion) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::vector<std::string> tokens = TermTokens(conclusion);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] != "forall" && tokens[i] != "exists" && tokens[i] != "fun") continue;
    // Binders run to the ',' (or "=>") at depth 0; names are the identifiers
    // before a ':' at each parenthesis depth.
    int depth = 0;
    bool in_type = false;
    for (size_t j = i + 1; j < tokens.size(); ++j) {
      const std::string& t = tokens[j];
      if (t == "(") {
        ++depth;
        in_type = false;
      } else if (t == ")") {
        --depth;
        in_type = false;
        if (depth < 0) break;
      } else if (depth == 0 && (t == "," || t == "=>")) {
        break;
      } else if (t == ":" || t == ":=") {
        in_type = true;
      } else if (!in_type && IsIdentStart(t[0]) && t != "_") {
        if (seen.insert(t).second) out.push_back(t);
      }
    }
  }
  return out;
}

}  // namespace thor::learn
