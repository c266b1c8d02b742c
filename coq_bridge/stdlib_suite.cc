#include "coq_bridge/stdlib_suite.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/env.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_text.h"

namespace thor::coq {

const char* const kCiSampleNames[] = {
    "Bool/Bool.v:negb_involutive",
    "Lists/List.v:app_nil_r",
    "Arith/PeanoNat.v:add_0_l",
    nullptr,
};

const char* const kWideFolders[] = {
    "Lists",     "Arith",  "Bool",   "Sorting", "Relations", "Sets",    "Wellfounded",
    "PArith",    "NArith", "ZArith", "Structures", "Vectors", "Strings", nullptr,
};

const char* const kHeldOutFiles[] = {
    "Sorting/",          "Lists/ListSet.v",    "Lists/SetoidPermutation.v",
    "Arith/Cantor.v",    "Arith/Euclid.v",     "Arith/Compare_dec.v",
    nullptr,
};

bool IsHeldOutStdlibFile(const std::string& relative) {
  for (const char* const* h = kHeldOutFiles; *h != nullptr; ++h) {
    absl::string_view held(*h);
    if (absl::EndsWith(held, "/")) {
      // A folder: "Sorting/X.v" or ".../theories/Sorting/X.v".
      size_t at = relative.rfind(std::string(held));
      if (at != std::string::npos && (at == 0 || relative[at - 1] == '/') &&
          relative.find('/', at + held.size()) == std::string::npos) {
        return true;
      }
    } else if (relative == held || absl::EndsWith(relative, absl::StrCat("/", held))) {
      return true;
    }
  }
  return false;
}

namespace {

namespace fs = std::filesystem;

std::vector<std::string> VFilesOf(const std::string& dir, const std::string& sub) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / sub, ec)) {
    if (e.path().extension() == ".v") {
      names.push_back(absl::StrCat(sub, "/", e.path().filename().string()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> SelectedFiles(const std::string& dir, StdlibSelection selection) {
  std::vector<std::string> files;
  if (selection == StdlibSelection::kClassic) {
    files = {"Lists/List.v"};
    for (const char* sub : {"Arith", "Bool"}) {
      std::vector<std::string> names = VFilesOf(dir, sub);
      files.insert(files.end(), names.begin(), names.end());
    }
  } else {
    for (const char* const* sub = kWideFolders; *sub != nullptr; ++sub) {
      for (std::string& f : VFilesOf(dir, *sub)) {
        const bool held = IsHeldOutStdlibFile(f);
        if (selection == StdlibSelection::kWide ||
            (selection == StdlibSelection::kHeldOut) == held) {
          files.push_back(std::move(f));
        }
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

constexpr char kHammerImport[] = "From Hammer Require Import Hammer.";

constexpr absl::string_view kKeywords[] = {"Lemma",       "Theorem", "Fact",   "Remark",
                                           "Corollary",   "Proposition", "Example"};

absl::string_view FirstWordOf(absl::string_view s) {
  size_t end = 0;
  while (end < s.size() && (absl::ascii_isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_')) {
    ++end;
  }
  return s.substr(0, end);
}

bool IsKeyword(absl::string_view word) {
  return std::find(std::begin(kKeywords), std::end(kKeywords), word) != std::end(kKeywords);
}

// The libraries loaded by CoqHammer's import (their compiled copies are what
// the hammer could otherwise use); "Add Hammer Filter" rejects a module that
// is not loaded.
absl::StatusOr<std::set<std::string>> LibrariesLoadedByHammer(Env* env) {
  SubprocessOptions sp;
  sp.argv = {"coqtop", "-q"};
  absl::StatusOr<RunResult> r = env->Run(
      sp, absl::StrCat(kHammerImport, "\nPrint Libraries.\n"), absl::Seconds(60), nullptr);
  if (!r.ok() || r->exit_code != 0) {
    return absl::NotFoundError(
        "cannot run coqtop to list CoqHammer's libraries (apt-get install coq libcoq-hammer)");
  }
  std::set<std::string> loaded;
  for (absl::string_view line : absl::StrSplit(r->out + r->err, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(line, "Coq.")) loaded.insert(std::string(line));
  }
  return loaded;
}

absl::StatusOr<std::string> TheoriesDir(const StdlibSuiteOptions& options, Env* env) {
  if (!options.theories_dir.empty()) return options.theories_dir;
  SubprocessOptions sp;
  sp.argv = {"coqc", "-where"};
  absl::StatusOr<RunResult> r = env->Run(sp, "", absl::Seconds(30), nullptr);
  if (!r.ok() || r->exit_code != 0) {
    return absl::NotFoundError(
        "cannot run `coqc -where` to find the Coq library (apt-get install coq libcoq-hammer)");
  }
  return absl::StrCat(absl::StripAsciiWhitespace(r->out), "/theories");
}

// By a module's last name ("VectorSpec"): the libraries CoqHammer loads
// whose source `Include`s a module of that name (Coq.Vectors.Vector includes
// VectorSpec). The included copies are premises too, and `Add Hammer Filter`
// on the original alone does not hide them (verified with `predict`: the
// filter on Coq.Vectors.VectorSpec still let VectorSpec's lemmas through,
// both filters together did not).
std::map<std::string, std::set<std::string>> IncludersByName(const std::string& theories_dir,
                                                             const std::set<std::string>& loaded) {
  std::map<std::string, std::set<std::string>> out;
  for (const std::string& library : loaded) {
    if (!absl::StartsWith(library, "Coq.")) continue;
    const std::string path = absl::StrCat(
        theories_dir, "/", absl::StrReplaceAll(library.substr(4), {{".", "/"}}), ".v");
    absl::StatusOr<std::string> text = ReadTextFile(path);
    if (!text.ok()) continue;  // Not a source this Coq ships: nothing to read.
    for (absl::string_view line : absl::StrSplit(*text, '\n')) {
      line = absl::StripLeadingAsciiWhitespace(line);
      if (!absl::ConsumePrefix(&line, "Include ")) continue;
      absl::string_view name = FirstWordOf(absl::StripLeadingAsciiWhitespace(line));
      if (!name.empty()) out[std::string(name)].insert(library);
    }
  }
  return out;
}

}  // namespace

std::vector<Theorem> TheoremsOfFile(const std::string& text, const std::string& relative_name,
                                    const std::vector<std::string>& filters,
                                    const std::string& path) {
  std::vector<Theorem> out;
  std::map<std::string, int> uses;
  std::vector<std::pair<size_t, size_t>> spans = SentenceSpans(text);
  for (size_t k = 0; k < spans.size(); ++k) {
    absl::string_view sentence(text.data() + spans[k].first, spans[k].second - spans[k].first);
    if (!IsKeyword(FirstWordOf(sentence))) continue;
    // Keep it only if its proof ends in Qed or Defined.
    bool proved = false;
    for (size_t j = k + 1; j < spans.size(); ++j) {
      absl::string_view word = FirstWordOf(absl::string_view(
          text.data() + spans[j].first, spans[j].second - spans[j].first));
      if (word == "Qed" || word == "Defined") proved = true;
      if (proved || word == "Admitted" || word == "Abort" || IsKeyword(word)) break;
    }
    std::string statement(sentence);
    std::string name = StatementName(statement);
    if (!proved || name.empty()) continue;
    // A name used again in the file (in another module, say NArith/Nnat.v's
    // N2Nat.id and Nat2N.id) gets its ordinal: "id~2".
    const int seen = ++uses[name];
    if (seen > 1) absl::StrAppend(&name, "~", seen);
    Theorem thm;
    thm.prover = "coq";
    thm.name = absl::StrCat(relative_name, ":", name);
    thm.statement = statement;
    thm.context = absl::StrCat(text.substr(0, spans[k].first), "\n", kHammerImport, "\n");
    for (const std::string& m : filters) absl::StrAppend(&thm.context, "Add Hammer Filter ", m, ".\n");
    thm.file_path = path;
    out.push_back(std::move(thm));
  }
  return out;
}

absl::StatusOr<StdlibSelection> ParseStdlibSelection(const std::string& name) {
  if (name == "classic") return StdlibSelection::kClassic;
  if (name == "wide") return StdlibSelection::kWide;
  if (name == "heldout") return StdlibSelection::kHeldOut;
  if (name == "training") return StdlibSelection::kTraining;
  return absl::InvalidArgumentError(
      absl::StrCat("the selection must be classic, wide, heldout or training, not '", name, "'"));
}

absl::StatusOr<std::vector<Theorem>> StdlibSuite(const StdlibSuiteOptions& options) {
  Env* const env = options.env != nullptr ? options.env : Env::Default();
  absl::StatusOr<std::string> dir = TheoriesDir(options, env);
  if (!dir.ok()) return dir.status();
  if (!fs::is_directory(*dir)) {
    return absl::NotFoundError(absl::StrCat("no Coq theories folder at ", *dir,
                                            " (apt-get install coq libcoq-hammer)"));
  }
  const std::vector<std::string> files = SelectedFiles(*dir, options.selection);
  absl::StatusOr<std::set<std::string>> loaded = LibrariesLoadedByHammer(env);
  if (!loaded.ok()) return loaded.status();
  const std::map<std::string, std::set<std::string>> includers = IncludersByName(*dir, *loaded);
  std::vector<Theorem> all;
  for (const std::string& rel : files) {
    std::string path = absl::StrCat(*dir, "/", rel);
    absl::StatusOr<std::string> text = ReadTextFile(path);
    if (!text.ok()) return text.status();
    std::string module = absl::StrCat(
        "Coq.", absl::StrReplaceAll(rel.substr(0, rel.size() - 2), {{"/", "."}}));
    // The file's own compiled library, if the hammer's import loads it, and
    // every loaded library that includes a module of the file's name.
    std::vector<std::string> filters;
    if (loaded->count(module) > 0) filters.push_back(module);
    auto inc = includers.find(std::string(fs::path(rel).stem()));
    if (inc != includers.end()) {
      for (const std::string& m : inc->second) {
        if (m != module) filters.push_back(m);
      }
    }
    std::vector<Theorem> thms = TheoremsOfFile(*text, rel, filters, path);
    all.insert(all.end(), thms.begin(), thms.end());
  }
  if (options.ci_sample) {
    std::vector<Theorem> sample;
    for (const char* const* n = kCiSampleNames; *n != nullptr; ++n) {
      for (const Theorem& t : all) {
        if (t.name == *n) sample.push_back(t);
      }
    }
    return sample;
  }
  if (options.sample > 0 && options.sample < static_cast<int>(all.size())) {
    std::vector<Theorem> sample;
    for (int i = 0; i < options.sample; ++i) {
      size_t k = static_cast<size_t>(i) * all.size() / options.sample +
                 static_cast<size_t>(std::max(0, options.sample_offset));
      sample.push_back(all[k % all.size()]);
    }
    return sample;
  }
  return all;
}

}  // namespace thor::coq
