#include "coq_bridge/hammer_output.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace thor::coq {
namespace {

std::string WithoutTags(const std::string& output) {
  return absl::StrReplaceAll(output, {{"<infomsg>", ""}, {"</infomsg>", ""}});
}

void AddUnique(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

bool StartsLikeIdent(absl::string_view s) {
  return !s.empty() && (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_');
}

}  // namespace

NativeHammerOutput ParseNativeHammerOutput(const std::string& output) {
  NativeHammerOutput parsed;
  const std::string text = WithoutTags(output);
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "- dependencies:")) {
      for (absl::string_view dep : absl::StrSplit(line, ',', absl::SkipWhitespace())) {
        AddUnique(parsed.premises, std::string(absl::StripAsciiWhitespace(dep)));
      }
    } else if (absl::EndsWith(line, " succeeded") && !absl::StartsWith(line, "Tactic")) {
      // "CVC4 (nbayes-128) succeeded"
      std::string p(line.substr(0, line.size() - 10));
      p = absl::StrReplaceAll(p, {{" (", "/"}, {")", ""}});
      absl::AsciiStrToLower(&p);
      parsed.prover = p;
    }
  }
  // The tactic is the rest of that message: up to the message's closing
  // tag, or a blank line. It may lack the final period.
  const std::string marker = "Replace the hammer tactic with:";
  size_t at = output.find(marker);
  if (at == std::string::npos) return parsed;
  std::string rest = output.substr(at + marker.size());
  rest = rest.substr(0, std::min(rest.find("</infomsg>"), rest.find("\n\n", 1)));
  std::string tactic = absl::StrJoin(
      absl::StrSplit(rest, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty()), " ");
  while (!tactic.empty() && tactic.back() == '.') tactic.pop_back();
  if (tactic.empty()) return parsed;
  // CoqHammer prints `srun eauto use: ...`, which does not parse.
  if (absl::StartsWith(tactic, "srun eauto")) tactic = "srun (eauto)" + tactic.substr(10);
  parsed.tactic = tactic + ".";
  return parsed;
}

std::string StripCoqNoise(const std::string& output) {
  std::vector<std::string> kept;
  for (absl::string_view line : absl::StrSplit(WithoutTags(output), '\n')) {
    absl::string_view l = absl::StripAsciiWhitespace(line);
    if (l.empty() || absl::StartsWith(l, ">") || absl::StartsWith(l, "Toplevel input") ||
        absl::StartsWith(l, "Fetching opaque") || absl::StartsWith(l, "Killed") ||
        absl::StartsWith(l, "sh: ") || absl::EndsWith(l, "found") ||
        absl::StartsWith(l, "Detecting provers") || absl::StartsWith(l, "Extracting features") ||
        absl::StartsWith(l, "Running provers")) {
      continue;
    }
    kept.emplace_back(l);
  }
  return absl::StrJoin(kept, " ");
}

std::string ExportedProblemPath(const std::string& output) {
  const std::string marker = "Writing translated problem to file '";
  size_t at = output.rfind(marker);
  if (at == std::string::npos) return "";
  size_t start = at + marker.size();
  size_t end = output.find('\'', start);
  if (end == std::string::npos) return "";
  return output.substr(start, end - start);
}

CoqPremises ClassifyTptpPremises(const std::vector<std::string>& names) {
  CoqPremises out;
  for (const std::string& raw : names) {
    absl::string_view quoted = absl::StripAsciiWhitespace(raw);
    if (quoted.size() >= 2 && quoted.front() == '\'' && quoted.back() == '\'') {
      quoted = quoted.substr(1, quoted.size() - 2);
    }
    std::string name;
    for (size_t i = 0; i < quoted.size(); ++i) {
      if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
      name.push_back(quoted[i]);
    }
    absl::string_view n = name;
    if (absl::ConsumePrefix(&n, "$_def_")) {
      if (StartsLikeIdent(n)) AddUnique(out.unfolds, std::string(n));
    } else if (absl::ConsumePrefix(&n, "$_inversion_")) {
      AddUnique(out.inversions, std::string(n));
    } else if (absl::ConsumePrefix(&n, "$_case_")) {
      AddUnique(out.inversions, std::string(n.substr(0, n.rfind('$'))));
    } else if (StartsLikeIdent(n) && !absl::StartsWith(n, "_HAMMER_") &&
               absl::StrContains(n, '.')) {
      AddUnique(out.uses, std::string(n));
    }
    // Everything else: encoding axioms, or local hypotheses already in context.
  }
  return out;
}

std::vector<std::string> ReconstructionTactics(const CoqPremises& premises) {
  std::string args;
  if (!premises.uses.empty()) absl::StrAppend(&args, " use: ", absl::StrJoin(premises.uses, ", "));
  if (!premises.unfolds.empty()) {
    absl::StrAppend(&args, " unfold: ", absl::StrJoin(premises.unfolds, ", "));
  }
  if (!premises.inversions.empty()) {
    absl::StrAppend(&args, " inv: ", absl::StrJoin(premises.inversions, ", "));
  }
  std::vector<std::string> out;
  for (const char* tactic : {"scongruence", "strivial", "sfirstorder", "hauto", "qauto",
                             "hauto lq: on", "hfcrush", "sauto", "srun (eauto)"}) {
    out.push_back(absl::StrCat(tactic, args, "."));
  }
  return out;
}

}  // namespace thor::coq
