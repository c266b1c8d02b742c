#include "coq_bridge/coq_kernel_report.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace thor::coq {
namespace {

constexpr char kClosed[] = "Closed under the global context";

absl::string_view FirstToken(absl::string_view s) {
  s = absl::StripLeadingAsciiWhitespace(s);
  size_t end = 0;
  while (end < s.size() && !absl::ascii_isspace(static_cast<unsigned char>(s[end]))) ++end;
  return s.substr(0, end);
}

std::vector<std::string> Lines(absl::string_view out) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    lines.emplace_back(absl::StripTrailingAsciiWhitespace(line));
  }
  return lines;
}

bool IsSuffixName(absl::string_view qualified, absl::string_view name) {
  return qualified == name ||
         (absl::EndsWith(qualified, name) && qualified.size() > name.size() &&
          qualified[qualified.size() - name.size() - 1] == '.');
}

}  // namespace

std::string Collapse(absl::string_view s) {
  return absl::StrJoin(absl::StrSplit(s, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty()), " ");
}

std::string Excerpt(absl::string_view s, size_t n) {
  std::string c = Collapse(s);
  return c.size() <= n ? c : c.substr(0, n) + "...";
}

std::string Tail(absl::string_view s, size_t n) {
  s = absl::StripAsciiWhitespace(s);
  return s.size() <= n ? std::string(s) : absl::StrCat("...", s.substr(s.size() - n));
}

const char* AssumptionKindName(Assumption::Kind kind) {
  switch (kind) {
    case Assumption::Kind::kAxiom:
      return "axiom";
    case Assumption::Kind::kSectionVariable:
      return "section variable";
    case Assumption::Kind::kUnguarded:
      return "fixpoint assumed guarded";
    case Assumption::Kind::kPositivity:
      return "inductive assumed positive";
    case Assumption::Kind::kTypeInType:
      return "relies on type-in-type";
    case Assumption::Kind::kOther:
      return "other";
  }
  return "?";
}

absl::StatusOr<AssumptionsReport> ParsePrintAssumptions(absl::string_view block) {
  AssumptionsReport report;
  block = absl::StripAsciiWhitespace(block);
  if (block == kClosed) {
    report.closed = true;
    return report;
  }
  enum { kNone, kAxioms, kVariables } section = kNone;
  std::vector<std::string> entries;  // Raw text, one per entry, with its section.
  std::vector<Assumption::Kind> base;
  for (const std::string& line : Lines(block)) {
    if (line.empty()) continue;
    if (line == "Axioms:") {
      section = kAxioms;
      continue;
    }
    if (line == "Section Variables:") {
      section = kVariables;
      continue;
    }
    if (section == kNone) {
      return absl::InvalidArgumentError(
          absl::StrCat("Print Assumptions: unexpected line '", Excerpt(line, 80), "'"));
    }
    // Entries start at column 0; a long type continues on indented lines,
    // and a section variable's type on a line starting with ':'.
    const bool continuation = line[0] == ' ' || line[0] == '\t' || line[0] == ':';
    if (continuation) {
      if (entries.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("Print Assumptions: continuation without an entry: '",
                         Excerpt(line, 80), "'"));
      }
      absl::StrAppend(&entries.back(), " ", line);
      continue;
    }
    entries.push_back(line);
    base.push_back(section == kAxioms ? Assumption::Kind::kAxiom
                                      : Assumption::Kind::kSectionVariable);
  }
  if (entries.empty()) {
    return absl::InvalidArgumentError("Print Assumptions: a heading without entries");
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    Assumption a;
    a.text = Collapse(entries[i]);
    a.name = std::string(FirstToken(a.text));
    absl::string_view rest = absl::StripLeadingAsciiWhitespace(
        absl::string_view(a.text).substr(a.name.size()));
    if (base[i] == Assumption::Kind::kSectionVariable) {
      a.kind = Assumption::Kind::kSectionVariable;
    } else if (rest == "is assumed to be guarded.") {
      a.kind = Assumption::Kind::kUnguarded;
    } else if (rest == "is assumed to be positive.") {
      a.kind = Assumption::Kind::kPositivity;
    } else if (rest == "relies on an unsafe hierarchy.") {
      a.kind = Assumption::Kind::kTypeInType;
    } else if (absl::StartsWith(rest, ": ") || rest == ":") {
      a.kind = Assumption::Kind::kAxiom;
    } else {
      a.kind = Assumption::Kind::kOther;
    }
    report.assumptions.push_back(std::move(a));
  }
  return report;
}

absl::StatusOr<CoqchkSummary> ParseCoqchkSummary(absl::string_view out) {
  CoqchkSummary summary;
  std::vector<std::string> lines = Lines(out);
  size_t i = 0;
  while (i < lines.size() && lines[i] != "CONTEXT SUMMARY") ++i;
  if (i == lines.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("coqchk printed no CONTEXT SUMMARY: ", Tail(out, 300)));
  }
  struct Section {
    const char* heading;
    std::vector<std::string>* names;
    bool seen = false;
  };
  Section sections[] = {
      {"* Axioms:", &summary.axioms},
      {"* Constants/Inductives relying on type-in-type:", &summary.type_in_type},
      {"* Constants/Inductives relying on unsafe (co)fixpoints:", &summary.unsafe_fixpoints},
      {"* Inductives whose positivity is assumed:", &summary.assumed_positive},
  };
  bool theory_seen = false;
  Section* current = nullptr;
  for (++i; i < lines.size(); ++i) {
    absl::string_view line = lines[i];
    if (line.empty() || absl::StartsWith(line, "=====")) continue;
    if (absl::StartsWith(line, "* Theory:")) {
      theory_seen = true;
      summary.set_predicative = line == "* Theory: Set is predicative";
      current = nullptr;
      continue;
    }
    if (absl::StartsWith(line, "* ")) {
      current = nullptr;
      for (Section& s : sections) {
        absl::string_view rest = line;
        if (!absl::ConsumePrefix(&rest, s.heading)) continue;
        if (s.seen) return absl::InvalidArgumentError("coqchk: a summary section twice");
        s.seen = true;
        rest = absl::StripAsciiWhitespace(rest);
        if (rest == "<none>") break;
        if (!rest.empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat("coqchk: unexpected '", Excerpt(line, 80), "'"));
        }
        current = &s;
        break;
      }
      if (current == nullptr) {
        bool known = false;
        for (Section& s : sections) known |= absl::StartsWith(line, s.heading);
        if (!known) {
          return absl::InvalidArgumentError(
              absl::StrCat("coqchk: unknown summary section '", Excerpt(line, 80), "'"));
        }
      }
      continue;
    }
    if (current == nullptr || (line[0] != ' ' && line[0] != '\t')) {
      return absl::InvalidArgumentError(
          absl::StrCat("coqchk: unexpected line '", Excerpt(line, 80), "'"));
    }
    absl::string_view name = absl::StripAsciiWhitespace(line);
    if (name.find(' ') != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("coqchk: unexpected entry '", Excerpt(line, 80), "'"));
    }
    current->names->emplace_back(name);
  }
  if (!theory_seen) return absl::InvalidArgumentError("coqchk: the summary has no Theory line");
  for (const Section& s : sections) {
    if (!s.seen) {
      return absl::InvalidArgumentError(
          absl::StrCat("coqchk: the summary lacks '", s.heading, "'"));
    }
  }
  return summary;
}

std::string PrintedConstantName(absl::string_view locate_output, absl::string_view qualified) {
  const std::string text = Collapse(locate_output);
  const std::vector<absl::string_view> words = absl::StrSplit(text, ' ');
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] != "Constant" || words[i + 1] != qualified) continue;
    // "(shorter name to refer to it in current context is S)"
    static constexpr absl::string_view kShorter[] = {"(shorter", "name", "to",      "refer",
                                                     "to",       "it",   "in",      "current",
                                                     "context",  "is"};
    size_t j = i + 2;
    bool shorter = j + std::size(kShorter) < words.size();
    for (size_t k = 0; shorter && k < std::size(kShorter); ++k) {
      shorter = words[j + k] == kShorter[k];
    }
    if (!shorter) return std::string(qualified);
    absl::string_view name = words[j + std::size(kShorter)];
    if (!absl::ConsumeSuffix(&name, ")")) return "";
    return std::string(name);
  }
  return "";
}

std::string KernelParameterModulePrefix(absl::string_view nonce) {
  return absl::StrCat("thor_param_", nonce, "_");
}

bool IsKernelParameterField(absl::string_view name, absl::string_view nonce,
                            absl::string_view type_instance,
                            const std::vector<std::string>& defined) {
  if (nonce.empty()) return false;
  const std::string prefix = KernelParameterModulePrefix(nonce);
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '.');
  if (!type_instance.empty() &&
      std::find(parts.begin(), parts.end() - 1, type_instance) != parts.end() - 1 &&
      std::find(defined.begin(), defined.end(), parts.back()) != defined.end()) {
    return false;
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    absl::string_view p = parts[i];
    if (!absl::ConsumePrefix(&p, prefix) || p.empty()) continue;
    if (std::all_of(p.begin(), p.end(), [](char c) { return absl::ascii_isdigit(c); })) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> CoqchkObjections(const CoqchkSummary& summary,
                                          const AssumptionsReport& report,
                                          const std::vector<std::string>& allowed_axioms,
                                          absl::string_view nonce,
                                          absl::string_view type_instance,
                                          const std::vector<std::string>& defined) {
  std::vector<std::string> out;
  if (!summary.set_predicative) out.push_back("impredicative Set");
  auto used = [&](const std::string& qualified) {
    for (const Assumption& a : report.assumptions) {
      if (IsSuffixName(qualified, a.name)) return true;
    }
    return false;
  };
  // coqchk lists assumptions library-wide: an axiom counts only if the
  // theorem uses it, which Print Assumptions (transitive) tells. An axiom
  // Print Assumptions did not list is one the theorem does not rest on.
  for (const std::string& axiom : summary.axioms) {
    if (std::find(allowed_axioms.begin(), allowed_axioms.end(), axiom) != allowed_axioms.end() ||
        IsKernelParameterField(axiom, nonce, type_instance, defined)) {
      continue;
    }
    if (used(axiom)) out.push_back(axiom);
  }
  // A switched-off kernel check in the checked file itself fails the proof
  // whether or not Print Assumptions saw it; in a dependency (an installed
  // library) only if the theorem uses it.
  for (const auto* list : {&summary.type_in_type, &summary.unsafe_fixpoints,
                           &summary.assumed_positive}) {
    for (const std::string& name : *list) {
      if (absl::StartsWith(name, "Top.Top.") || used(name)) out.push_back(name);
    }
  }
  return out;
}

}  // namespace thor::coq
