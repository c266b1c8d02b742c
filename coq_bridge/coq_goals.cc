#include "coq_bridge/coq_goals.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace thor::coq {
namespace {

bool IsWordChar(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '\'' || static_cast<unsigned char>(c) >= 0x80;
}

// Where a binder that starts with keyword `word` ends: its names may carry
// their own ": type", which is not the colon a hypothesis line is split at.
const char* BinderEnd(absl::string_view word) {
  if (word == "fun") return "=>";
  if (word == "forall" || word == "exists" || word == "exists2") return ",";
  if (word == "let" || word == "fix" || word == "cofix") return ":=";
  return nullptr;
}

// The position of the first ':' in `s` from `from` that is outside
// brackets and binders and is a colon of its own (not part of ":=", "::" or
// ":>"), or of the first ":=" when `or_assign`; npos if none.
size_t FindTopColon(absl::string_view s, size_t from, bool or_assign) {
  int depth = 0;
  const char* binder_end = nullptr;
  for (size_t i = from; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '{' || c == '[') {
      ++depth;
      continue;
    }
    if (c == ')' || c == '}' || c == ']') {
      --depth;
      continue;
    }
    if (depth != 0) continue;
    if (IsWordChar(c) && (i == 0 || !IsWordChar(s[i - 1]))) {
      size_t end = i;
      while (end < s.size() && IsWordChar(s[end])) ++end;
      if (binder_end == nullptr) binder_end = BinderEnd(s.substr(i, end - i));
      i = end - 1;
      continue;
    }
    if (binder_end != nullptr) {
      if (absl::StartsWith(s.substr(i), binder_end)) {
        i += std::char_traits<char>::length(binder_end) - 1;
        binder_end = nullptr;
      }
      continue;
    }
    if (c != ':') continue;
    const char next = i + 1 < s.size() ? s[i + 1] : ' ';
    if (next == '=') {
      if (or_assign) return i;
      ++i;
      continue;
    }
    if (next == ':' || next == '>' || (i > 0 && s[i - 1] == ':')) {
      ++i;
      continue;
    }
    return i;
  }
  return absl::string_view::npos;
}

bool IsName(absl::string_view s) {
  if (s.empty() || absl::ascii_isdigit(s[0]) || s[0] == '\'') return false;
  for (char c : s) {
    if (!IsWordChar(c)) return false;
  }
  return true;
}

std::string Trimmed(absl::string_view s) { return std::string(absl::StripAsciiWhitespace(s)); }

bool IsBar(absl::string_view stripped) {
  return stripped.size() >= 4 && stripped.find_first_not_of('=') == absl::string_view::npos;
}

// "goal 2 (ID 13) is:" (Coq 8.16) or "goal 2 is:".
bool IsOtherGoalHeader(absl::string_view line) {
  return absl::StartsWith(line, "goal ") && absl::EndsWith(absl::StripTrailingAsciiWhitespace(line), "is:");
}

void AddHypothesis(const std::string& text, StructuredGoal* goal) {
  GoalHypothesis h;
  if (!ParseCoqHypothesis(text, &h)) {
    h = GoalHypothesis();
    h.type = text;  // Kept whole rather than lost.
  }
  goal->hypotheses.push_back(std::move(h));
}

}  // namespace

bool ParseCoqHypothesis(absl::string_view text, GoalHypothesis* out) {
  const size_t colon = FindTopColon(text, 0, /*or_assign=*/true);
  if (colon == absl::string_view::npos) return false;
  GoalHypothesis h;
  for (absl::string_view name : absl::StrSplit(text.substr(0, colon), ',')) {
    name = absl::StripAsciiWhitespace(name);
    if (!IsName(name)) return false;
    h.names.emplace_back(name);
  }
  if (text.substr(colon, 2) == ":=") {
    const size_t type = FindTopColon(text, colon + 2, /*or_assign=*/false);
    if (type == absl::string_view::npos) return false;
    h.body = Trimmed(text.substr(colon + 2, type - colon - 2));
    h.type = Trimmed(text.substr(type + 1));
  } else {
    h.type = Trimmed(text.substr(colon + 1));
  }
  if (h.type.empty()) return false;
  *out = std::move(h);
  return true;
}

bool CoqNoGoalsLeft(absl::string_view display) {
  absl::string_view last;
  for (absl::string_view line : absl::StrSplit(display, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (IsBar(line)) return false;
    if (!line.empty()) last = line;
  }
  return last == "No more goals.";
}

std::vector<StructuredGoal> ParseCoqGoals(absl::string_view display) {
  std::vector<StructuredGoal> goals;
  enum { kContext, kConclusion } mode = kContext;
  StructuredGoal current;
  std::vector<std::string> hypotheses;  // Lines of the context, joined.
  auto finish = [&] {
    if (mode == kConclusion) goals.push_back(std::move(current));
    current = StructuredGoal();
    hypotheses.clear();
    mode = kContext;
  };
  for (absl::string_view line : absl::StrSplit(display, '\n')) {
    const absl::string_view stripped = absl::StripAsciiWhitespace(line);
    if (IsOtherGoalHeader(line)) {
      finish();
      mode = kConclusion;
      continue;
    }
    if (mode == kConclusion) {
      if (stripped.empty()) {
        finish();
      } else {
        absl::StrAppend(&current.conclusion, current.conclusion.empty() ? "" : " ", stripped);
      }
      continue;
    }
    if (IsBar(stripped)) {
      for (const std::string& h : hypotheses) AddHypothesis(h, &current);
      hypotheses.clear();
      mode = kConclusion;
      continue;
    }
    if (stripped.empty()) continue;
    if (!absl::StartsWith(line, " ")) {
      hypotheses.clear();  // A goal count or a message: the context starts after it.
    } else if (absl::StartsWith(line, "   ") && !hypotheses.empty()) {
      absl::StrAppend(&hypotheses.back(), " ", stripped);  // A wrapped type.
    } else {
      hypotheses.emplace_back(stripped);
    }
  }
  finish();
  if (goals.empty()) {
    // Not a goal display this parser knows: the text itself, unparsed.
    std::string whole = Trimmed(display);
    if (whole.empty()) return goals;
    StructuredGoal g;
    g.conclusion = std::move(whole);
    goals.push_back(std::move(g));
  }
  return goals;
}

}  // namespace thor::coq
