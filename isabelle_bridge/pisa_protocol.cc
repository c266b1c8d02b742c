#include "isabelle_bridge/pisa_protocol.h"

#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace thor::isabelle {
namespace {

// Java's String.trim: strips every char <= ' ' at both ends.
absl::string_view JavaTrim(absl::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

constexpr absl::string_view kTags[] = {
    "<apply to top level state>", "<is finished>", "<get state>", "<clone>",
    "<delete>", "<initialise>", "<proceed after>", "<proceed before>",
    "<list states>", "<get_proof_level>", "<parse text>", "<hammer>"};

}  // namespace

std::string NormalizeTransitionText(absl::string_view text) {
  absl::string_view t = JavaTrim(text);
  std::string out;
  out.reserve(t.size());
  for (char c : t) {
    if (c == '\n') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

std::string ProceedAfterCommand(absl::string_view statement) {
  return absl::StrCat("<proceed after> ", NormalizeTransitionText(statement));
}
std::string InitialiseCommand() { return "<initialise>"; }
std::string ApplyCommand(absl::string_view from, absl::string_view step,
                         absl::string_view to) {
  return absl::StrCat(kApplyTag, " ", from, " ", kApplyTag, " ", step, " ", kApplyTag, " ", to);
}
std::string IsFinishedCommand(absl::string_view name) {
  return absl::StrCat("<is finished> ", name);
}
std::string GetStateCommand(absl::string_view name) { return absl::StrCat("<get state> ", name); }
std::string CloneCommand(absl::string_view from, absl::string_view to) {
  return absl::StrCat("<clone> ", from, " <clone> ", to);
}
std::string DeleteCommand(absl::string_view name) { return absl::StrCat("<delete> ", name); }
std::string ExitCommand() { return "exit"; }

absl::Status CheckStateName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("empty PISA state name");
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      return absl::InvalidArgumentError(
          absl::StrCat("PISA state name '", name, "' may only hold [A-Za-z0-9_.-]"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStepText(absl::string_view step) {
  if (JavaTrim(step).empty()) return absl::InvalidArgumentError("empty step");
  for (absl::string_view tag : kTags) {
    if (absl::StrContains(step, tag)) {
      return absl::InvalidArgumentError(
          absl::StrCat("step contains PISA's command tag '", tag, "'"));
    }
  }
  return absl::OkStatus();
}

std::string NativeHammerStep(PisaVersion version, absl::string_view add_facts,
                             absl::string_view del_facts) {
  if (version == PisaVersion::kIsabelle2021) return "sledgehammer";
  std::string step = "normalhammer";
  if (!add_facts.empty()) absl::StrAppend(&step, " <add>", add_facts, "<add>");
  if (!del_facts.empty()) absl::StrAppend(&step, " <del>", del_facts, "<del>");
  return step;
}

bool IsTimeoutMessage(absl::string_view message) {
  absl::string_view m = JavaTrim(message);
  return absl::StartsWith(m, "Timeout after") || absl::StartsWith(m, "Futures timed out") ||
         absl::StartsWith(m, "Timeout") || absl::StrContains(m, "TimeoutException");
}

ApplyReply ParseApplyReply(absl::string_view reply, bool hammer_requested) {
  ApplyReply out;
  if (absl::StartsWith(reply, kMissingStatePrefix)) {
    out.kind = ApplyReply::Kind::kMissingState;
    out.message = std::string(reply.substr(kMissingStatePrefix.size()));
    return out;
  }
  if (absl::StartsWith(reply, kStepErrorPrefix)) {
    out.message = std::string(reply.substr(kStepErrorPrefix.size()));
    out.kind = IsTimeoutMessage(out.message) ? ApplyReply::Kind::kTimeout
                                             : ApplyReply::Kind::kStepError;
    return out;
  }
  if (absl::StartsWith(reply, kUnknownErrorPrefix)) {
    out.message = std::string(reply.substr(kUnknownErrorPrefix.size()));
    out.kind = IsTimeoutMessage(out.message) ? ApplyReply::Kind::kTimeout
                                             : ApplyReply::Kind::kUnknownError;
    return out;
  }
  if (reply == kUnrecognised) {
    out.kind = ApplyReply::Kind::kUnrecognised;
    out.message = std::string(reply);
    return out;
  }
  if (hammer_requested) {
    // Isabelle2021's hammer timeout path replies "error: <message>".
    if (absl::StartsWith(reply, "error: ")) {
      out.kind = ApplyReply::Kind::kTimeout;
      out.message = std::string(reply.substr(7));
      return out;
    }
    size_t tag = reply.find(kHammerTag);
    if (tag == absl::string_view::npos) {
      out.kind = ApplyReply::Kind::kUnknownError;
      out.message = absl::StrCat("hammer reply without ", kHammerTag, ": ", reply);
      return out;
    }
    out.hammer_step = std::string(JavaTrim(reply.substr(0, tag)));
    absl::string_view rest = reply.substr(tag + kHammerTag.size());
    absl::ConsumePrefix(&rest, " ");
    out.kind = ApplyReply::Kind::kState;
    out.state = std::string(rest);
    return out;
  }
  out.kind = ApplyReply::Kind::kState;
  out.state = std::string(reply);
  return out;
}

}  // namespace thor::isabelle
