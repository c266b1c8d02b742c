#include "isabelle_bridge/suites.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "isabelle_bridge/theorem_options.h"

namespace thor::isabelle {
namespace fs = std::filesystem;
namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'' || c == '.';
}

// Words of `text` outside strings, cartouches and comments, with offsets.
struct Word {
  std::string text;
  size_t begin, end;
};
std::vector<Word> OuterWords(const std::string& text) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "(*") == 0) {
      size_t e = text.find("*)", i + 2);
      i = e == std::string::npos ? text.size() : e + 2;
    } else if (text[i] == '"') {
      size_t e = i + 1;
      while (e < text.size() && text[e] != '"') e += text[e] == '\\' ? 2 : 1;
      i = e + 1;
    } else if (text.compare(i, 3, "\xe2\x80\xb9") == 0 || text.compare(i, 7, "\\<open>") == 0) {
      size_t e1 = text.find("\xe2\x80\xba", i), e2 = text.find("\\<close>", i);
      size_t e = std::min(e1, e2);
      i = e == std::string::npos ? text.size() : e + 1;
    } else if (IsWordChar(text[i])) {
      size_t e = i;
      while (e < text.size() && IsWordChar(text[e])) ++e;
      words.push_back({text.substr(i, e - i), i, e});
      i = e;
    } else {
      ++i;
    }
  }
  return words;
}

const std::set<std::string>& ProofStarts() {
  static const auto* s = new std::set<std::string>{
      "proof", "by",   "apply", "using", "unfolding", "sorry", "oops",
      "including", "supply", "done", "qed", "end", "nitpick", "sledgehammer", "."};
  return *s;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

absl::StatusOr<MiniF2FProblem> ParseMiniF2FTheory(const std::string& text) {
  std::vector<Word> words = OuterWords(text);
  MiniF2FProblem p;
  size_t i = 0;
  while (i < words.size() && words[i].text != "theory") ++i;
  if (i + 1 >= words.size()) return absl::InvalidArgumentError("no `theory NAME` header");
  p.theory = words[i + 1].text;
  size_t imports = i;
  while (imports < words.size() && words[imports].text != "imports") ++imports;
  size_t begin = imports;
  while (begin < words.size() && words[begin].text != "begin") ++begin;
  if (imports >= words.size() || begin >= words.size()) {
    return absl::InvalidArgumentError("no `imports ... begin` in the header");
  }
  // Imports may be quoted ("HOL-Library.X"), so read the raw header text.
  std::string header = text.substr(words[imports].end, words[begin].begin - words[imports].end);
  for (absl::string_view tok : absl::StrSplit(header, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
    p.imports.push_back(std::string(absl::StripSuffix(absl::StripPrefix(tok, "\""), "\"")));
  }
  size_t th = begin + 1;
  while (th < words.size() && words[th].text != "theorem" && words[th].text != "lemma") ++th;
  if (th >= words.size()) return absl::InvalidArgumentError("no theorem or lemma statement");
  size_t stop = th + 1;
  while (stop < words.size() && !ProofStarts().count(words[stop].text)) ++stop;
  size_t end = stop < words.size() ? words[stop].begin : text.size();
  p.context = std::string(absl::StripAsciiWhitespace(
      text.substr(words[begin].end, words[th].begin - words[begin].end)));
  p.statement = std::string(absl::StripAsciiWhitespace(text.substr(words[th].begin, end - words[th].begin)));
  p.had_proof = stop < words.size() && words[stop].text != "sorry" && words[stop].text != "oops";
  if (!absl::StrContains(p.statement, "\"") && !absl::StrContains(p.statement, "\\<open>")) {
    return absl::InvalidArgumentError(absl::StrCat("statement of ", p.theory, " has no proposition"));
  }
  return p;
}

std::string SessionForImports(const std::vector<std::string>& imports,
                              const std::string& default_session) {
  for (const std::string& imp : imports) {
    size_t dot = imp.find('.');
    if (dot == std::string::npos) continue;
    std::string session = imp.substr(0, dot);
    if (session != "HOL" && session != "Pure" && !absl::StartsWith(session, "HOL-")) {
      return session;
    }
  }
  return default_session;
}

absl::StatusOr<std::vector<Theorem>> LoadMiniF2F(const std::string& dir, const std::string& split,
                                                 const std::string& default_session) {
  fs::path folder = fs::path(dir) / split;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return absl::NotFoundError(absl::StrCat("MiniF2F folder ", folder.string(),
                                            " not found (expected <dir>/valid and <dir>/test)"));
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    if (e.path().extension() == ".thy") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Theorem> out;
  for (const fs::path& f : files) {
    absl::StatusOr<MiniF2FProblem> p = ParseMiniF2FTheory(ReadFile(f));
    if (!p.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(f.string(), ": ", p.status().message()));
    }
    Theorem t;
    t.prover = "isabelle";
    t.name = f.stem().string();
    t.context = p->context;
    t.statement = p->statement;
    t.file_path = fs::absolute(f, ec).string();
    t.imports = p->imports;
    t.options.Set(kSessionOption, SessionForImports(p->imports, default_session));
    out.push_back(std::move(t));
  }
  return out;
}

std::string RewriteAfpPath(const std::string& path, const std::string& local_afp) {
  size_t at = path.find("/thys/");
  if (local_afp.empty() || at == std::string::npos) return path;
  return absl::StrCat(absl::StripSuffix(local_afp, "/"), path.substr(at));
}

absl::StatusOr<std::vector<Theorem>> LoadPisaTestList(const std::string& dir,
                                                      const std::string& prefix,
                                                      const std::string& local_afp) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("PISA test folder ", dir, " not found"));
  }
  std::vector<std::pair<int, fs::path>> files;
  const std::string head = prefix + "_";
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    int index = 0;
    if (!absl::StartsWith(name, head) || e.path().extension() != ".json") continue;
    if (!absl::SimpleAtoi(name.substr(head.size(), name.size() - head.size() - 5), &index)) continue;
    files.emplace_back(index, e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Theorem> out;
  for (const auto& [index, path] : files) {
    nlohmann::json j = nlohmann::json::parse(ReadFile(path), nullptr, false);
    if (j.is_discarded() || !j.is_array() || j.empty() || !j[0].is_array() || j[0].size() < 2 ||
        !j[0][0].is_string() || !j[0][1].is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ": expected [[theory_path, statement]]"));
    }
    Theorem t;
    t.prover = "isabelle";
    t.name = path.stem().string();
    t.file_path = RewriteAfpPath(j[0][0].get<std::string>(), local_afp);
    t.statement = j[0][1].get<std::string>();
    size_t thys = t.file_path.find("/thys/");
    if (thys != std::string::npos) {
      std::vector<std::string> parts = absl::StrSplit(t.file_path.substr(thys + 6), '/');
      t.options.Set(kSessionOption, parts.front());
      t.options.Set(kWorkingDirectoryOption,
                    absl::StrCat(t.file_path.substr(0, thys), "/thys/", parts.front()));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace thor::isabelle
