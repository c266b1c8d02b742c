// The pure parts of coq_extract.h: identifiers to look up, Locate's answer,
// _CoqProject files.
#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "coq_bridge/coq_extract.h"
#include "coq_bridge/coq_text.h"

namespace thor::coq {
namespace {

// Coq's keywords (a `Locate` of one is a parse error) and the words of
// tactic syntax that are never a constant's name in a tactic.
const absl::flat_hash_set<std::string>& Skipped() {
  static const auto* const words = new absl::flat_hash_set<std::string>{
      "as", "at", "by", "cofix", "else", "end", "exists", "exists2", "fix", "for", "forall",
      "fun", "if", "in", "is", "let", "match", "return", "then", "using", "where", "with",
      "Prop", "Set", "SProp", "Type", "struct", "IF", "_", "eqn", "into", "from", "upto", "to",
      "only", "type", "of", "value", "goal", "all"};
  return *words;
}

// Tacticals: the word after one starts a tactic.
const absl::flat_hash_set<std::string>& Tacticals() {
  static const auto* const words = new absl::flat_hash_set<std::string>{
      "try", "repeat", "progress", "now", "do", "first", "solve", "abstract", "once",
      "exactly_once", "by", "time", "timeout", "unshelve", "all", "idtac"};
  return *words;
}

bool IdentStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IdentChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '\''; }

}  // namespace

std::vector<std::string> CandidateIdentifiers(absl::string_view text,
                                              const std::vector<std::string>& skip, bool tactic) {
  const std::string clean = StripCommentsAndStrings(text);
  const absl::string_view s = clean;
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen(skip.begin(), skip.end());
  // In a tactic, the word where a tactic starts names the tactic (`split`,
  // `reflexivity`), even when a constant has that name too.
  bool head = tactic;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (!IdentStart(c) || (i > 0 && (IdentChar(s[i - 1]) || s[i - 1] == '.'))) {
      if (c == ';' || c == '|' || c == '[' || (c == ':' && s.substr(i, 2) != ":=")) {
        head = tactic;
      } else if (!absl::ascii_isspace(c) && !absl::ascii_isdigit(c) && c != '(') {
        head = false;  // A number (do 3 ...) or '(' keeps a tactic's start.
      }
      ++i;
      continue;
    }
    size_t j = i;
    while (true) {
      while (j < s.size() && IdentChar(s[j])) ++j;
      // A qualified name continues after a '.' that a letter follows.
      if (j + 1 < s.size() && s[j] == '.' && IdentStart(s[j + 1])) {
        ++j;
        continue;
      }
      break;
    }
    std::string word(s.substr(i, j - i));
    i = j;
    const bool at_head = head;
    head = tactic && Tacticals().contains(word);
    if (at_head || Skipped().contains(word) || !seen.insert(word).second) continue;
    out.push_back(std::move(word));
  }
  return out;
}

std::string LocatedConstant(absl::string_view locate_output, absl::string_view name,
                            bool* tactic_name) {
  // Entries start at column 0 ("Constant Coq.Init.Nat.add"); indented lines
  // below one are its notes. "(shorter name to refer to it in current
  // context is X)" with X other than `name` means `name` does not refer to
  // that object here (e.g. a library that is Required but not Imported).
  struct Entry {
    absl::string_view kind, path;
    bool reachable = true;
  };
  std::vector<Entry> entries;
  for (absl::string_view line : absl::StrSplit(locate_output, '\n')) {
    if (line.empty()) continue;
    if (absl::ascii_isspace(line[0])) {
      absl::string_view note = absl::StripAsciiWhitespace(line);
      if (!entries.empty() &&
          absl::ConsumePrefix(&note, "(shorter name to refer to it in current context is ") &&
          absl::ConsumeSuffix(&note, ")") && note != name) {
        entries.back().reachable = false;
      }
      continue;
    }
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) continue;
    Entry e;
    e.kind = line.substr(0, space);
    e.path = absl::StripAsciiWhitespace(line.substr(space + 1));
    entries.push_back(e);
  }
  std::string out;
  bool tactic = false;
  for (const Entry& e : entries) {
    if (!e.reachable) continue;
    if (e.kind == "Ltac") tactic = true;
    if (out.empty() && (e.kind == "Constant" || e.kind == "Inductive" || e.kind == "Constructor")) {
      out = std::string(e.path);
    }
  }
  if (tactic_name != nullptr) *tactic_name = tactic;
  return out;
}

absl::StatusOr<std::vector<std::string>> CoqProjectArgs(const std::string& project_path) {
  absl::StatusOr<std::string> text = ReadTextFile(project_path);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat("cannot read the _CoqProject file ", project_path));
  }
  namespace fs = std::filesystem;
  const fs::path base = fs::absolute(project_path).parent_path();
  auto folder = [&](absl::string_view dir) {
    return (base / std::string(dir)).lexically_normal().string();
  };
  // Words, with comments (# to the end of the line) dropped; quotes around a
  // word are removed (-arg "-w -notation").
  std::vector<std::string> words;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    const size_t hash = line.find('#');
    if (hash != absl::string_view::npos) line = line.substr(0, hash);
    size_t i = 0;
    while (i < line.size()) {
      if (absl::ascii_isspace(line[i])) {
        ++i;
        continue;
      }
      if (line[i] == '"') {
        const size_t close = line.find('"', i + 1);
        const size_t end = close == absl::string_view::npos ? line.size() : close;
        words.emplace_back(line.substr(i + 1, end - i - 1));
        i = end + 1;
        continue;
      }
      size_t j = i;
      while (j < line.size() && !absl::ascii_isspace(line[j])) ++j;
      words.emplace_back(line.substr(i, j - i));
      i = j;
    }
  }
  std::vector<std::string> args;
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string& w = words[k];
    const size_t operands = (w == "-Q" || w == "-R") ? 2 : (w == "-I" || w == "-arg") ? 1 : 0;
    if (operands == 0) continue;
    if (k + operands >= words.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(project_path, ": ", w, " needs ", operands, " operand(s)"));
    }
    if (w == "-arg") {
      // One -arg may hold several arguments ("-arg -w -arg -notation" or
      // -arg "-w -notation").
      for (absl::string_view a : absl::StrSplit(words[k + 1], ' ', absl::SkipEmpty())) {
        args.emplace_back(a);
      }
    } else {
      args.push_back(w);
      args.push_back(folder(words[k + 1]));
      if (operands == 2) args.push_back(words[k + 2]);
    }
    k += operands;
  }
  return args;
}

}  // namespace thor::coq
