#include "coq_bridge/coq_kernel.h"

#include <stdlib.h>
#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/env.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_text.h"

namespace thor::coq {
namespace {

constexpr char kInstallHint[] = "install Coq: apt-get install coq libcoq-hammer";

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

absl::string_view FirstToken(absl::string_view s) {
  s = absl::StripLeadingAsciiWhitespace(s);
  size_t end = 0;
  while (end < s.size() && !absl::ascii_isspace(static_cast<unsigned char>(s[end]))) ++end;
  return s.substr(0, end);
}

// Calls `visit(i)` for each character of `text` outside comments and
// strings; returns false if one is left open at the end.
template <typename F>
bool ScanCode(absl::string_view text, F visit) {
  int comment = 0;
  bool string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (string) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          ++i;
        } else {
          string = false;
        }
      }
      continue;
    }
    if (c == '"') {
      string = true;
      continue;
    }
    if (c == '(' && i + 1 < text.size() && text[i + 1] == '*') {
      ++comment;
      ++i;
      continue;
    }
    if (comment > 0 && c == '*' && i + 1 < text.size() && text[i + 1] == ')') {
      --comment;
      ++i;
      continue;
    }
    if (comment == 0 && !visit(i)) return true;
  }
  return comment == 0 && !string;
}

struct OpenBlock {
  std::string name;
  enum Kind { kSection, kModule, kModuleType, kFunctor } kind;
  // A functor's or a module type's parameters, from its opening sentence:
  // (name, module type).
  std::vector<std::pair<std::string, std::string>> parameters;
  // Why FunctorParameters could not read them (then `parameters` is empty).
  std::string parameters_error;
  size_t begin = 0;  // Where its opening sentence begins in the context.
};

// The parameter groups after a functor's name: "(X : T) (Import Y Z : U)"
// up to a signature (":", "<:") or the end. Each group is "(", an optional
// Import/Export, names, ":", a module type without brackets of its own,
// ")". Empty with `*error` set for anything else.
std::vector<std::pair<std::string, std::string>> FunctorParameters(absl::string_view rest,
                                                                   std::string* error) {
  std::vector<std::pair<std::string, std::string>> out;
  auto fail = [&](const std::string& why) {
    *error = why;
    out.clear();
    return out;
  };
  rest = absl::StripLeadingAsciiWhitespace(rest);
  while (absl::StartsWith(rest, "(")) {
    const size_t close = rest.find(')');
    if (close == absl::string_view::npos) return fail("a parameter group is not closed");
    absl::string_view group = rest.substr(1, close - 1);
    if (group.find_first_of("([{") != absl::string_view::npos) {
      return fail("a parameter's module type has brackets");
    }
    const size_t colon = group.find(':');
    if (colon == absl::string_view::npos) return fail("a parameter has no module type");
    const std::string type(absl::StripAsciiWhitespace(group.substr(colon + 1)));
    if (type.empty()) return fail("a parameter has no module type");
    std::vector<std::string> names;
    for (absl::string_view w :
         absl::StrSplit(group.substr(0, colon), absl::ByAnyChar(" \t\n\r"), absl::SkipEmpty())) {
      if (names.empty() && (w == "Import" || w == "Export")) continue;
      for (char c : w) {
        if (!IsIdentChar(c)) return fail("a parameter's name is not an identifier");
      }
      names.emplace_back(w);
    }
    if (names.empty()) return fail("a parameter group names no parameter");
    for (std::string& n : names) out.emplace_back(std::move(n), type);
    rest = absl::StripLeadingAsciiWhitespace(rest.substr(close + 1));
  }
  if (!rest.empty() && rest.front() != ':' && !absl::StartsWith(rest, "<:") && rest != ".") {
    return fail("unexpected text after the parameters");
  }
  if (out.empty()) return fail("no parameters");
  return out;
}

// A parameter's module type with the earlier parameters' names replaced by
// the modules the check declares for them: "HasEqDec E" -> "HasEqDec
// thor_param_<nonce>_0" for `(E : Eq) (F : HasEqDec E)`. A word is a
// parameter's name, or its path begins with one (E.Sub); Coq resolves such
// a name to the parameter, which shadows any other module of that name.
std::string SubstituteParameters(absl::string_view type,
                                 const std::vector<std::pair<std::string, std::string>>& earlier,
                                 absl::string_view nonce) {
  std::vector<std::string> words;
  for (absl::string_view w : absl::StrSplit(type, absl::ByAnyChar(" \t\n\r"), absl::SkipEmpty())) {
    const absl::string_view head = w.substr(0, w.find('.'));
    std::string word(w);
    // The latest parameter of that name is the one in scope.
    for (size_t i = earlier.size(); i > 0; --i) {
      if (earlier[i - 1].first == head) {
        word = absl::StrCat(KernelParameterModulePrefix(nonce), i - 1, w.substr(head.size()));
        break;
      }
    }
    words.push_back(std::move(word));
  }
  return absl::StrJoin(words, " ");
}

// The Sections and Modules `context` leaves open, outermost first: the same
// scan as CloseOpenBlocks, which also says what kind each block is (a
// Module's name prefixes the check lemma's path, a Section's does not).
std::vector<OpenBlock> OpenBlocks(absl::string_view context) {
  std::vector<OpenBlock> open;
  for (const auto& [begin, end] : SentenceSpans(context)) {
    const std::string sentence = StripCommentsAndStrings(context.substr(begin, end - begin));
    absl::string_view s = sentence;
    absl::string_view word = FirstToken(s);
    auto ident = [](absl::string_view rest) {
      rest = absl::StripLeadingAsciiWhitespace(rest);
      size_t n = 0;
      while (n < rest.size() && IsIdentChar(rest[n])) ++n;
      return std::string(rest.substr(0, n));
    };
    if (word == "Section") {
      open.push_back({ident(s.substr(7)), OpenBlock::kSection, {}, {}, begin});
    } else if (word == "Module") {
      if (absl::StrContains(s, ":=")) continue;
      absl::string_view rest = absl::StripLeadingAsciiWhitespace(s.substr(6));
      OpenBlock::Kind kind = OpenBlock::kModule;
      for (absl::string_view kw : {"Type", "Import", "Export"}) {
        if (FirstToken(rest) == kw) {
          if (kw == "Type") kind = OpenBlock::kModuleType;
          rest = absl::StripLeadingAsciiWhitespace(rest.substr(kw.size()));
        }
      }
      std::string name = ident(rest);
      absl::string_view after = absl::StripLeadingAsciiWhitespace(rest.substr(name.size()));
      OpenBlock block{std::move(name), kind, {}, {}, begin};
      if (absl::StartsWith(after, "(")) {
        if (kind == OpenBlock::kModule) block.kind = OpenBlock::kFunctor;
        block.parameters = FunctorParameters(after, &block.parameters_error);
      }
      open.push_back(std::move(block));
    } else if (word == "End") {
      std::string name = ident(s.substr(3));
      for (size_t i = open.size(); i > 0; --i) {
        if (open[i - 1].name == name) {
          open.resize(i - 1);
          break;
        }
      }
    }
  }
  return open;
}

// Splits stdout into lines without trailing '\r' or blanks.
std::vector<std::string> Lines(absl::string_view out) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    lines.emplace_back(absl::StripTrailingAsciiWhitespace(line));
  }
  return lines;
}

}  // namespace

std::vector<std::string> DefinedNames(absl::string_view text) {
  static constexpr absl::string_view kDefining[] = {
      "Lemma",      "Theorem",  "Fact",      "Remark",   "Corollary", "Proposition",
      "Example",    "Property", "Definition", "Instance", "Fixpoint",  "CoFixpoint",
      "Let",        "Function", "Equations"};
  static constexpr absl::string_view kPrefixes[] = {
      "Local", "Global", "Program", "Polymorphic", "Monomorphic", "Private",
      "Cumulative", "NonCumulative", "Canonical", "Export"};
  std::vector<std::string> out;
  auto add = [&](std::string name) {
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) {
      out.push_back(std::move(name));
    }
  };
  for (const auto& [begin, end] : SentenceSpans(text)) {
    const std::string sentence = StripCommentsAndStrings(text.substr(begin, end - begin));
    // Identifiers and single other characters; attributes (#[...]) and
    // blanks dropped.
    std::vector<std::string> words;
    for (size_t i = 0; i < sentence.size();) {
      const unsigned char c = static_cast<unsigned char>(sentence[i]);
      if (c == '#' && i + 1 < sentence.size() && sentence[i + 1] == '[') {
        const size_t close = sentence.find(']', i);
        i = close == std::string::npos ? sentence.size() : close + 1;
      } else if (IsIdentChar(sentence[i]) && !absl::ascii_isdigit(c)) {
        size_t j = i;
        while (j < sentence.size() && IsIdentChar(sentence[j])) ++j;
        words.push_back(sentence.substr(i, j - i));
        i = j;
      } else {
        if (!absl::ascii_isspace(c)) words.push_back(std::string(1, sentence[i]));
        ++i;
      }
    }
    size_t k = 0;
    while (k < words.size() &&
           std::find(std::begin(kPrefixes), std::end(kPrefixes), words[k]) != std::end(kPrefixes)) {
      ++k;
    }
    if (k + 1 >= words.size() ||
        std::find(std::begin(kDefining), std::end(kDefining), words[k]) == std::end(kDefining)) {
      continue;
    }
    if (IsIdentChar(words[k + 1][0])) add(words[k + 1]);
    for (size_t w = k + 2; w + 1 < words.size(); ++w) {
      if (words[w] == "with" && IsIdentChar(words[w + 1][0])) add(words[w + 1]);
    }
  }
  return out;
}

bool IsQualifiedName(absl::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (absl::string_view part : absl::StrSplit(name, '.')) {
    if (part.empty() || !(std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_')) {
      return false;
    }
    for (char c : part) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'')) return false;
    }
  }
  return true;
}

absl::StatusOr<StatementParts> SplitStatementSentence(absl::string_view sentence) {
  sentence = absl::StripAsciiWhitespace(sentence);
  if (!absl::ConsumeSuffix(&sentence, ".")) {
    return absl::InvalidArgumentError("the statement sentence does not end with '.'");
  }
  StatementParts parts;
  parts.keyword = std::string(FirstToken(sentence));
  absl::string_view rest = sentence.substr(parts.keyword.size());
  if (parts.keyword == "Goal") {
    parts.type = std::string(absl::StripAsciiWhitespace(rest));
    if (parts.type.empty()) return absl::InvalidArgumentError("Goal without a statement");
    return parts;
  }
  rest = absl::StripLeadingAsciiWhitespace(rest);
  size_t n = 0;
  while (n < rest.size() && IsIdentChar(rest[n])) ++n;
  if (n == 0) return absl::InvalidArgumentError("the statement's theorem has no name");
  parts.name = std::string(rest.substr(0, n));
  rest = rest.substr(n);
  int depth = 0;
  size_t colon = absl::string_view::npos;
  bool closed = ScanCode(rest, [&](size_t i) {
    char c = rest[i];
    if (c == '(' || c == '{' || c == '[') ++depth;
    if (c == ')' || c == '}' || c == ']') --depth;
    if (depth == 0 && c == ':' && (i + 1 >= rest.size() || rest[i + 1] != '=')) {
      colon = i;
      return false;
    }
    return true;
  });
  if (!closed || colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot find the type in the statement '", Excerpt(sentence, 80), "'"));
  }
  parts.binders = std::string(absl::StripAsciiWhitespace(rest.substr(0, colon)));
  parts.type = std::string(absl::StripAsciiWhitespace(rest.substr(colon + 1)));
  if (parts.type.empty()) return absl::InvalidArgumentError("the statement has an empty type");
  return parts;
}

bool CommentsAndStringsClosed(absl::string_view text) {
  return ScanCode(text, [](size_t) { return true; });
}

std::string NewNonce() {
  unsigned char bytes[8];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    ssize_t n = ::getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string nonce;
  for (unsigned char b : bytes) {
    nonce.push_back(kHex[b >> 4]);
    nonce.push_back(kHex[b & 15]);
  }
  return nonce;
}

namespace {

std::string BeginMarker(absl::string_view nonce) { return absl::StrCat("thor_begin_", nonce); }
std::string LocateMarker(absl::string_view nonce, size_t i) {
  return absl::StrCat("thor_locate_", nonce, "_", i);
}
std::string ReportMarker(absl::string_view nonce) { return absl::StrCat("thor_report_", nonce); }
std::string EndMarker(absl::string_view nonce) { return absl::StrCat("thor_end_", nonce); }
// What coqc prints for `Locate <marker>.`: the name is unbound, the
// sentence is a vernacular command a step or the context cannot redefine.
std::string MarkerLine(absl::string_view marker) {
  return absl::StrCat("No object of basename ", marker);
}

}  // namespace

absl::StatusOr<KernelCheckFile> BuildKernelCheckFile(const KernelCheckInput& input,
                                                     absl::string_view nonce) {
  // A comment or string left open would swallow the check lemma or the
  // report commands that follow.
  const std::pair<const char*, const std::string*> parts[] = {
      {"prelude", &input.prelude}, {"imports", &input.imports},
      {"context", &input.context}, {"hammer import", &input.hammer_import},
      {"statement", &input.statement}};
  for (const auto& [what, text] : parts) {
    if (!CommentsAndStringsClosed(*text)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the ", what, " leaves a comment or string literal open"));
    }
  }
  for (const std::string& axiom : input.allowed_axioms) {
    if (!IsQualifiedName(axiom)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "allowed axiom '", Excerpt(axiom, 60), "' is not a qualified name (e.g. ",
          "Coq.Logic.Classical_Prop.classic)"));
    }
  }
  if (SentenceSpans(input.statement).size() != 1) {
    return absl::InvalidArgumentError("the statement must be exactly one sentence");
  }
  absl::StatusOr<StatementParts> statement = SplitStatementSentence(input.statement);
  if (!statement.ok()) return statement.status();
  std::string sentence(absl::StripAsciiWhitespace(input.statement));
  std::string name = statement->name;
  if (name.empty()) {
    // Goal: give it a name the check lemma can refer to.
    name = absl::StrCat("thor_goal_", nonce);
    sentence = absl::StrCat("Theorem ", name, " : ", statement->type, ".");
  }
  const std::string term =
      statement->binders.empty()
          ? absl::StrCat("(", statement->type, ")")
          : absl::StrCat("(forall ", statement->binders, ", ", statement->type, ")");
  std::string closing_unused;
  const std::string closable = CloseOpenBlocks(input.context, &closing_unused);
  const std::vector<OpenBlock> blocks = OpenBlocks(input.context);
  // A theorem inside a functor is checked in the functor applied to fresh
  // declared modules of its parameters' types (thor_param_<nonce>_<i>), at
  // the functor's own level: the check lemma of that instance is a global
  // constant, and the parameters' fields, which Print Assumptions then lists
  // as axioms, are what the theorem is proved for every instance of (as a
  // section's variables are). A theorem inside a module type is checked in a
  // module declared of that type (applied to declared parameters), the next
  // thor_param_<nonce>_<i>: its fields are what the theorem is proved for
  // every module of the type of.
  std::vector<std::string> path = {"Top", "Top"};
  std::string instantiate;  // After the functor's or module type's End.
  size_t instantiated = blocks.size();
  std::string type_instance;  // The module declared of the open module type.
  for (size_t b = 0; b < blocks.size(); ++b) {
    const OpenBlock& block = blocks[b];
    if (block.kind == OpenBlock::kSection) continue;
    if (block.kind == OpenBlock::kModule) {
      path.push_back(block.name);
      continue;
    }
    auto named = [](const OpenBlock& block) {
      return absl::StrCat(block.kind == OpenBlock::kFunctor ? "functor '" : "module type '",
                          Excerpt(block.name, 40), "'");
    };
    if (instantiated != blocks.size()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the theorem is inside ", named(block), " inside ", named(blocks[instantiated]),
          ": the kernel check instantiates one functor or module type"));
    }
    if (!block.parameters_error.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the theorem is inside ", named(block),
                       " whose parameters the kernel check cannot instantiate (",
                       block.parameters_error, ")"));
    }
    instantiated = b;
    std::vector<std::string> args;
    const std::vector<std::pair<std::string, std::string>>& params = block.parameters;
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string param = absl::StrCat(KernelParameterModulePrefix(nonce), i);
      const std::vector<std::pair<std::string, std::string>> earlier(params.begin(),
                                                                     params.begin() + i);
      absl::StrAppend(&instantiate, "Declare Module ", param, " : ",
                      SubstituteParameters(params[i].second, earlier, nonce), ".\n");
      args.push_back(param);
    }
    std::string instance;
    if (block.kind == OpenBlock::kFunctor) {
      instance = absl::StrCat("thor_inst_", nonce);
      absl::StrAppend(&instantiate, "Module ", instance, " := ", block.name, " ",
                      absl::StrJoin(args, " "), ".\n");
    } else {
      instance = absl::StrCat(KernelParameterModulePrefix(nonce), block.parameters.size());
      type_instance = instance;
      absl::StrAppend(&instantiate, "Declare Module ", instance, " : ", block.name,
                      args.empty() ? "" : " ", absl::StrJoin(args, " "), ".\n");
    }
    path.push_back(instance);
  }
  std::string closing;
  for (size_t b = blocks.size(); b > 0; --b) {
    absl::StrAppend(&closing, "End ", blocks[b - 1].name, ".\n");
    if (b - 1 == instantiated) absl::StrAppend(&closing, instantiate);
  }
  const std::string stmt_name = absl::StrCat("thor_stmt_", nonce);
  const std::string check_name = absl::StrCat("thor_check_", nonce);
  path.push_back(check_name);

  KernelCheckFile file;
  file.nonce = std::string(nonce);
  file.check_lemma = absl::StrJoin(path, ".");
  if (!type_instance.empty()) {
    file.type_instance = type_instance;
    // The open module type's text, from its opening sentence on.
    file.defined =
        DefinedNames(absl::string_view(input.context).substr(blocks[instantiated].begin));
    for (const std::string& own : {name, stmt_name, check_name}) file.defined.push_back(own);
  }
  std::string& t = file.text;
  absl::StrAppend(&t, input.prelude, "\n", input.imports, "\n", closable, "\n",
                  input.hammer_import, "\n");
  // The statement as a term, elaborated before the proof runs.
  absl::StrAppend(&t, "Definition ", stmt_name, " : Type := ", term, ".\n");
  absl::StrAppend(&t, sentence, "\nProof.\n");
  for (const std::string& step : input.steps) {
    absl::StatusOr<std::string> s = NormalizeStep(step);
    if (!s.ok()) return s.status();
    if (!CommentsAndStringsClosed(*s)) {
      return absl::InvalidArgumentError("a step leaves a comment or string literal open");
    }
    absl::StrAppend(&t, "  ", *s, "\n");
  }
  absl::StrAppend(&t, "Qed.\n");
  // Whatever the steps did, this lemma proves the statement elaborated above
  // from the constant now named `name`, and the kernel re-checks it at Qed.
  absl::StrAppend(&t, "Lemma ", check_name, " : ", stmt_name, ".\nProof. exact (@", name,
                  "). Qed.\n");
  absl::StrAppend(&t, closing);
  // The report. The width keeps one entry per line.
  absl::StrAppend(&t, "Set Printing Width 100000.\n");
  absl::StrAppend(&t, "Locate ", BeginMarker(nonce), ".\n");
  for (size_t i = 0; i < input.allowed_axioms.size(); ++i) {
    absl::StrAppend(&t, "Locate ", LocateMarker(nonce, i), ".\n");
    absl::StrAppend(&t, "Locate Term ", input.allowed_axioms[i], ".\n");
  }
  absl::StrAppend(&t, "Locate ", ReportMarker(nonce), ".\n");
  absl::StrAppend(&t, "Print Assumptions ", file.check_lemma, ".\n");
  absl::StrAppend(&t, "Locate ", EndMarker(nonce), ".\n");
  return file;
}

namespace {

// Removes the scratch directory on every path out of RunKernelCheck.
class ScratchDir {
 public:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The lines of `out` between the marker lines, checked for order and
// uniqueness. `blocks[i]` is the text after marker i up to marker i+1; the
// last marker must be the last non-empty line.
absl::StatusOr<std::vector<std::string>> MarkedBlocks(absl::string_view out,
                                                      const std::vector<std::string>& markers) {
  std::vector<std::string> lines = Lines(out);
  std::vector<size_t> at;
  for (const std::string& marker : markers) {
    const std::string line = MarkerLine(marker);
    size_t found = lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] != line) continue;
      if (found != lines.size()) {
        return absl::InvalidArgumentError("a report marker was printed twice");
      }
      found = i;
    }
    if (found == lines.size()) {
      return absl::InvalidArgumentError("coqc did not print the report markers");
    }
    if (!at.empty() && found <= at.back()) {
      return absl::InvalidArgumentError("coqc printed the report markers out of order");
    }
    at.push_back(found);
  }
  for (size_t i = at.back() + 1; i < lines.size(); ++i) {
    if (!lines[i].empty()) {
      return absl::InvalidArgumentError("coqc printed something after the report");
    }
  }
  std::vector<std::string> blocks;
  for (size_t m = 0; m + 1 < at.size(); ++m) {
    std::vector<std::string> block(lines.begin() + at[m] + 1, lines.begin() + at[m + 1]);
    blocks.push_back(absl::StrJoin(block, "\n"));
  }
  return blocks;
}

SubprocessOptions CoqOptions(const KernelCheckOptions& options, const std::string& dir) {
  SubprocessOptions sp;
  sp.cwd = dir;
  const char* path = std::getenv("PATH");
  // CoqHammer's ATP wrappers live in /usr/libexec/coq-hammer.
  sp.env = {absl::StrCat("PATH=/usr/libexec/coq-hammer:", path ? path : "/usr/bin:/bin"),
            absl::StrCat("TMPDIR=", dir)};
  sp.memory_limit_bytes = options.memory_limit_bytes;
  return sp;
}

}  // namespace

RecheckResult RunKernelCheck(const KernelCheckOptions& options, const KernelCheckInput& input,
                             absl::Duration timeout) {
  Env* const env = options.env != nullptr ? options.env : Env::Default();
  const absl::Time start = env->Now();
  const absl::Time deadline = start + timeout;
  RecheckResult result;
  auto done = [&](RecheckVerdict verdict, std::string message) {
    result.verdict = verdict;
    result.message = std::move(message);
    result.elapsed = env->Now() - start;
    if (verdict != RecheckVerdict::kPassed) result.checkers.clear();
    return result;
  };
  absl::StatusOr<KernelCheckFile> file = BuildKernelCheckFile(input, NewNonce());
  if (!file.ok()) {
    return done(file.status().code() == absl::StatusCode::kInvalidArgument ||
                        file.status().code() == absl::StatusCode::kFailedPrecondition
                    ? RecheckVerdict::kFailed
                    : RecheckVerdict::kError,
                absl::StrCat("re-check: ", file.status().message()));
  }
  std::string parent = options.scratch_parent;
  if (parent.empty()) parent = TempDirRoot();
  std::string tmpl = parent + "/thor-coqc-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return done(RecheckVerdict::kError, absl::StrCat("mkdtemp failed under ", parent));
  }
  // The real path: bwrap binds it as given, and TMPDIR may go through a
  // symlink.
  std::error_code ec;
  std::filesystem::path real = std::filesystem::canonical(tmpl, ec);
  ScratchDir dir(ec ? tmpl : real.string());
  {
    // Named Top.v under the logical root Top, so the library is Top.Top:
    // CoqHammer's reconstructed steps may name context lemmas Top.x, which
    // still resolves.
    std::ofstream out(dir.path() + "/Top.v");
    out << file->text;
    if (!out.flush()) return done(RecheckVerdict::kError, "cannot write the re-check file");
  }

  // 1. coqc compiles the file and prints the report.
  SubprocessOptions coqc = CoqOptions(options, dir.path());
  coqc.argv = {options.coqc, "-q", "-Q", dir.path(), "Top", "Top.v"};
  absl::StatusOr<bool> sandboxed = ApplySandbox(options.sandbox, dir.path(), &coqc);
  if (!sandboxed.ok()) return done(RecheckVerdict::kError, std::string(sandboxed.status().message()));
  absl::StatusOr<RunResult> run = env->Run(coqc, "", deadline - env->Now(), nullptr);
  if (!run.ok()) {
    return done(RecheckVerdict::kError,
                absl::StrCat(run.status().message(), " (", kInstallHint, ")"));
  }
  if (run->timed_out) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("coqc did not finish within ", absl::FormatDuration(timeout)));
  }
  if (run->exit_code != 0) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("coqc rejected the proof: ",
                             Tail(absl::StrCat(run->out, "\n", run->err), 1500)));
  }
  result.checkers.push_back("coqc");

  // 2. Print Assumptions of the check lemma, between the markers.
  std::vector<std::string> markers = {BeginMarker(file->nonce)};
  for (size_t i = 0; i < input.allowed_axioms.size(); ++i) {
    markers.push_back(LocateMarker(file->nonce, i));
  }
  markers.push_back(ReportMarker(file->nonce));
  markers.push_back(EndMarker(file->nonce));
  absl::StatusOr<std::vector<std::string>> blocks = MarkedBlocks(run->out, markers);
  if (!blocks.ok()) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("the kernel report is not trustworthy: ", blocks.status().message()));
  }
  // blocks: [begin..loc0) (empty), [loc_i..loc_i+1) Locate outputs, report.
  std::vector<std::string> printed(input.allowed_axioms.size());
  for (size_t i = 0; i < input.allowed_axioms.size(); ++i) {
    printed[i] = PrintedConstantName((*blocks)[i + 1], input.allowed_axioms[i]);
  }
  absl::StatusOr<AssumptionsReport> report = ParsePrintAssumptions(blocks->back());
  if (!report.ok()) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("cannot read the kernel report: ", report.status().message()));
  }
  std::vector<std::string> allowed_used, refused, refused_text;
  for (const Assumption& a : report->assumptions) {
    bool allowed = false;
    if (a.kind == Assumption::Kind::kAxiom) {
      for (size_t i = 0; i < printed.size(); ++i) {
        if (!printed[i].empty() && printed[i] == a.name) {
          allowed = true;
          if (std::find(allowed_used.begin(), allowed_used.end(), input.allowed_axioms[i]) ==
              allowed_used.end()) {
            allowed_used.push_back(input.allowed_axioms[i]);
          }
        }
      }
    }
    if (a.kind == Assumption::Kind::kAxiom &&
        IsKernelParameterField(a.name, file->nonce, file->type_instance, file->defined)) {
      allowed = true;  // A declared field of a module the check declared.
    }
    if (!allowed) {
      refused.push_back(a.name);
      refused_text.push_back(absl::StrCat(a.name, " (", AssumptionKindName(a.kind), ")"));
    }
  }
  if (!refused.empty()) {
    result.axioms = refused;
    return done(RecheckVerdict::kFailed,
                absl::StrCat("the proof rests on assumptions that are not allowed: ",
                             Excerpt(absl::StrJoin(refused_text, ", "), 600)));
  }
  result.checkers.push_back("print_assumptions");

  // 3. coqchk re-checks the compiled library on its own. Its dependencies
  // (the installed standard library, CoqHammer) are loaded without being
  // re-checked (-norec): they come from Debian packages, not from the input.
  SubprocessOptions chk = CoqOptions(options, dir.path());
  chk.argv = {options.coqchk, "-silent", "-o", "-Q", dir.path(), "Top", "-norec", "Top.Top"};
  sandboxed = ApplySandbox(options.sandbox, dir.path(), &chk);
  if (!sandboxed.ok()) return done(RecheckVerdict::kError, std::string(sandboxed.status().message()));
  absl::StatusOr<RunResult> chk_run = env->Run(chk, "", deadline - env->Now(), nullptr);
  if (!chk_run.ok()) {
    return done(RecheckVerdict::kError,
                absl::StrCat(chk_run.status().message(), " (", kInstallHint, ")"));
  }
  if (chk_run->timed_out) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("coqchk did not finish within the re-check's ",
                             absl::FormatDuration(timeout)));
  }
  if (chk_run->exit_code != 0) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("coqchk rejected the compiled proof: ",
                             Tail(absl::StrCat(chk_run->out, "\n", chk_run->err), 1500)));
  }
  // coqchk 8.16 prints the summary on stderr.
  absl::StatusOr<CoqchkSummary> summary =
      ParseCoqchkSummary(absl::StrCat(chk_run->out, "\n", chk_run->err));
  if (!summary.ok()) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("cannot read coqchk's summary: ", summary.status().message()));
  }
  std::vector<std::string> chk_refused =
      CoqchkObjections(*summary, *report, input.allowed_axioms, file->nonce,
                       file->type_instance, file->defined);
  if (!chk_refused.empty()) {
    result.axioms = chk_refused;
    return done(RecheckVerdict::kFailed,
                absl::StrCat("coqchk: the proof rests on assumptions that are not allowed: ",
                             Excerpt(absl::StrJoin(chk_refused, ", "), 600)));
  }
  result.checkers.push_back("coqchk");
  result.axioms = allowed_used;
  std::string message = "coqc, Print Assumptions and coqchk accepted the proof";
  if (!allowed_used.empty()) {
    absl::StrAppend(&message, "; it rests on the allowed ", absl::StrJoin(allowed_used, ", "));
  }
  if (*sandboxed) absl::StrAppend(&message, " (checked in a bwrap sandbox)");
  return done(RecheckVerdict::kPassed, std::move(message));
}

}  // namespace thor::coq
