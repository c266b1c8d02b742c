#include "isabelle_bridge/recheck.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "absl/algorithm/container.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "isabelle_bridge/isabelle_lexer.h"
#include "isabelle_bridge/isabelle_rules.h"
#include "isabelle_bridge/isabelle_server.h"
#include "isabelle_bridge/pisa_layout.h"
#include "isabelle_bridge/pisa_protocol.h"
#include "isabelle_bridge/theorem_options.h"

namespace thor::isabelle {
namespace fs = std::filesystem;

size_t FindNormalizedEnd(const std::string& raw, const std::string& normalized) {
  if (normalized.empty()) return std::string::npos;
  std::string flat;
  std::vector<size_t> pos;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i] == '\n' ? ' ' : raw[i];
    if (c == ' ' && !flat.empty() && flat.back() == ' ') continue;
    flat.push_back(c);
    pos.push_back(i);
  }
  size_t at = flat.find(normalized);
  if (at == std::string::npos) return std::string::npos;
  return pos[at + normalized.size() - 1] + 1;
}

namespace {

// [begin, end) of the text in `raw` whose PISA-normalised form is
// `normalized`; {npos, npos} if absent.
std::pair<size_t, size_t> FindNormalizedSpan(const std::string& raw,
                                             const std::string& normalized) {
  size_t end = FindNormalizedEnd(raw, normalized);
  if (end == std::string::npos) return {std::string::npos, std::string::npos};
  // Walk back over as many non-space characters as `normalized` holds.
  size_t want = 0;
  for (char c : normalized) want += c != ' ';
  size_t begin = end;
  while (begin > 0 && want > 0) {
    --begin;
    if (raw[begin] != ' ' && raw[begin] != '\n') --want;
  }
  return {begin, end};
}

struct TheoryHeader {
  std::vector<std::string> imports;
  size_t end = 0;  // Just after `begin`.
};

// The `theory NAME imports ... begin` header of `text`: whitespace-separated
// words outside comments and cartouches ("..." kept whole). nullopt if there
// is none, or it declares keywords (new commands, which need ML).
std::optional<TheoryHeader> ParseTheoryHeader(const std::string& text) {
  std::vector<std::pair<std::string, size_t>> words;  // Word, offset after it.
  size_t i = 0;
  auto skip_nested = [&](const char* open, const char* close) {
    int depth = 0;
    const size_t lo = std::strlen(open), lc = std::strlen(close);
    while (i < text.size()) {
      if (text.compare(i, lo, open) == 0) {
        ++depth;
        i += lo;
      } else if (text.compare(i, lc, close) == 0) {
        i += lc;
        if (--depth == 0) return;
      } else {
        ++i;
      }
    }
  };
  while (i < text.size() && (words.empty() || words.back().first != "begin")) {
    if (text.compare(i, 2, "(*") == 0) {
      skip_nested("(*", "*)");
    } else if (text.compare(i, 7, "\\<open>") == 0) {
      skip_nested("\\<open>", "\\<close>");
    } else if (text[i] == '"') {
      size_t e = text.find('"', i + 1);
      if (e == std::string::npos) return std::nullopt;
      words.emplace_back(text.substr(i, e + 1 - i), e + 1);
      i = e + 1;
    } else if (absl::ascii_isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else {
      size_t e = i;
      while (e < text.size() && !absl::ascii_isspace(static_cast<unsigned char>(text[e])) &&
             text.compare(e, 2, "(*") != 0 && text[e] != '"') {
        ++e;
      }
      words.emplace_back(text.substr(i, e - i), e);
      i = e;
    }
  }
  if (words.size() < 4 || words[0].first != "theory" || words[2].first != "imports" ||
      words.back().first != "begin") {
    return std::nullopt;
  }
  TheoryHeader h;
  for (size_t k = 3; k + 1 < words.size(); ++k) {
    if (words[k].first == "keywords") return std::nullopt;
    h.imports.push_back(words[k].first);
  }
  h.end = words.back().second;
  return h;
}

}  // namespace

absl::StatusOr<Theorem> CompleteFromFile(const Theorem& theorem) {
  std::error_code ec;
  if (!theorem.imports.empty() || !theorem.context.empty() || theorem.file_path.empty() ||
      !fs::is_regular_file(theorem.file_path, ec)) {
    return theorem;
  }
  if (fs::file_size(theorem.file_path, ec) > (4u << 20)) {
    return absl::InvalidArgumentError(
        absl::StrCat("theory file of ", Excerpt(theorem.name, 40), " over 4 MiB"));
  }
  std::ifstream in(theorem.file_path);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string raw = buf.str();
  auto [begin, end] = FindNormalizedSpan(raw, NormalizeTransitionText(theorem.statement));
  if (end == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("the statement of ", Excerpt(theorem.name, 40), " is not in its theory file"));
  }
  std::optional<TheoryHeader> header = ParseTheoryHeader(raw.substr(0, begin));
  if (!header) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the theory file of ", Excerpt(theorem.name, 40),
        " has no plain `theory NAME imports ... begin` header (keywords are not supported)"));
  }
  Theorem out = theorem;
  out.imports = header->imports;
  out.context = std::string(absl::StripAsciiWhitespace(raw.substr(header->end, begin - header->end)));
  return out;
}

absl::StatusOr<std::string> RecheckTheoryText(const Theorem& theorem,
                                              const std::vector<std::string>& steps,
                                              const std::string& theory_name,
                                              const std::string& goal_name) {
  if (absl::Status v = ValidateIsabelleTheorem(theorem); !v.ok()) return v;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (absl::Status s = CheckIsabelleStep(steps[i]); !s.ok()) {
      return absl::PermissionDeniedError(absl::StrCat("step ", i + 1, ": ", s.message()));
    }
  }
  absl::StatusOr<IsabelleStatement> st = ParseIsabelleStatement(theorem.statement);
  if (!st.ok()) return st.status();
  // Thor names the goal itself (a name the steps cannot know), so that
  // thm_oracles reports on exactly the theorem proved here.
  const std::string statement =
      absl::StrCat(st->keyword.empty() ? "theorem" : st->keyword, " ",
                   st->target.empty() ? "" : absl::StrCat(st->target, " "), goal_name, ": ", st->body);
  std::string proof = absl::StrJoin(steps, "\n");
  absl::StrAppend(&proof, "\n\nthm_oracles ", goal_name);
  return RenderTheory(theory_name, theorem.imports, theorem.context, statement, proof);
}

constexpr absl::string_view kBullets[] = {"\\<bullet>", "\xe2\x80\xa2", "-", "*"};

std::optional<std::vector<std::string>> ParseThmOracles(const std::vector<std::string>& messages) {
  std::optional<std::vector<std::string>> out;
  for (const std::string& m : messages) {
    std::vector<absl::string_view> lines = absl::StrSplit(m, '\n');
    if (lines.empty() || absl::StripAsciiWhitespace(lines[0]) != "oracles:") continue;
    if (!out) out.emplace();
    // Items start with a bullet; lines without one continue an item's
    // proposition. A report without any bullet lists one name per line.
    bool bullets = false;
    for (size_t i = 1; i < lines.size(); ++i) {
      for (absl::string_view b : kBullets) {
        bullets |= absl::StartsWith(absl::StripAsciiWhitespace(lines[i]), b);
      }
    }
    for (size_t i = 1; i < lines.size(); ++i) {
      absl::string_view line = absl::StripAsciiWhitespace(lines[i]);
      bool item = !bullets;
      for (absl::string_view b : kBullets) {
        if (absl::ConsumePrefix(&line, b)) {
          item = true;
          break;
        }
      }
      if (!item) continue;
      line = absl::StripAsciiWhitespace(line);
      // An oracle with a proposition prints `NAME: PROP`.
      absl::string_view name = line.substr(0, line.find_first_of(": \t"));
      if (!name.empty()) out->push_back(std::string(name));
    }
  }
  return out;
}

namespace {

RecheckResult Verdict(RecheckVerdict v, std::string message, absl::Time start) {
  RecheckResult r;
  r.verdict = v;
  r.message = std::move(message);
  r.elapsed = absl::Now() - start;
  return r;
}

// Errors reported by use_theories: its "errors" plus error messages of nodes.
std::vector<std::string> Errors(const nlohmann::json& result) {
  std::vector<std::string> out;
  for (const auto& e : result.value("errors", nlohmann::json::array())) {
    out.push_back(e.is_object() ? e.value("message", std::string()) : e.dump());
  }
  for (const auto& node : result.value("nodes", nlohmann::json::array())) {
    for (const auto& m : node.value("messages", nlohmann::json::array())) {
      if (m.value("kind", std::string()) == "error") out.push_back(m.value("message", std::string()));
    }
  }
  return out;
}

// Messages of every node (thm_oracles prints a writeln message).
std::vector<std::string> Messages(const nlohmann::json& result) {
  std::vector<std::string> out;
  for (const auto& node : result.value("nodes", nlohmann::json::array())) {
    for (const auto& m : node.value("messages", nlohmann::json::array())) {
      if (m.is_object()) out.push_back(m.value("message", std::string()));
    }
  }
  return out;
}

// First errors, each cut short: Isabelle quotes the (hostile) theory.
std::string ErrorSummary(const std::vector<std::string>& errors) {
  std::vector<std::string> shown;
  for (size_t i = 0; i < errors.size() && i < 3; ++i) shown.push_back(Excerpt(errors[i], 300));
  return absl::StrJoin(shown, "\n");
}

// The verdict on a use_theories result: Isabelle's errors first, then the
// oracles thm_oracles reported against theorem.allowed_axioms.
RecheckResult Judge(const nlohmann::json& used, const Theorem& theorem, absl::Time start) {
  std::vector<std::string> errors = Errors(used);
  if (!used.value("ok", false) || !errors.empty()) {
    return Verdict(RecheckVerdict::kFailed,
                   errors.empty() ? "Isabelle did not accept the theory" : ErrorSummary(errors),
                   start);
  }
  std::optional<std::vector<std::string>> oracles = ParseThmOracles(Messages(used));
  if (!oracles) {
    return Verdict(RecheckVerdict::kError,
                   "Isabelle accepted the theory but printed no thm_oracles report (Isabelle2021 "
                   "or later is needed)",
                   start);
  }
  std::vector<std::string> allowed, offending;
  for (const std::string& o : *oracles) {
    bool ok = std::find(theorem.allowed_axioms.begin(), theorem.allowed_axioms.end(), o) !=
              theorem.allowed_axioms.end();
    std::vector<std::string>& into = ok ? allowed : offending;
    if (std::find(into.begin(), into.end(), o) == into.end()) into.push_back(o);
  }
  if (!offending.empty()) {
    RecheckResult r = Verdict(
        RecheckVerdict::kFailed,
        absl::StrCat("the proof rests on oracles that are not allowed: ",
                     absl::StrJoin(offending, ", "),
                     absl::c_linear_search(offending, "skip_proof")
                         ? " (skip_proof: a sorry, here or in a lemma of the context it uses)"
                         : ""),
        start);
    r.axioms = offending;
    return r;
  }
  RecheckResult r = Verdict(RecheckVerdict::kPassed,
                            allowed.empty() ? "Isabelle accepted the theory; thm_oracles: none"
                                            : absl::StrCat("Isabelle accepted the theory; rests on "
                                                           "allowed oracles ",
                                                           absl::StrJoin(allowed, ", ")),
                            start);
  r.axioms = allowed;
  r.checkers = {"isabelle", "thm_oracles"};
  return r;
}

// A goal name the steps cannot guess, so no step can shadow it.
std::string RandomGoalName() {
  std::random_device rd;
  return absl::StrCat("thor_goal_", absl::Hex(rd(), absl::kZeroPad8), absl::Hex(rd(), absl::kZeroPad8));
}

}  // namespace

RecheckResult RecheckTheory(const IsabelleServerConfig& server,
                            const std::string& default_session, const Theorem& theorem,
                            const std::vector<std::string>& steps, absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  if (server.address.empty() && server.command.empty()) {
    return Verdict(RecheckVerdict::kSkipped,
                   "no Isabelle server configured (isabelle-server=HOST:PORT with "
                   "isabelle-server-password, or isabelle-server-command)",
                   start);
  }
  absl::StatusOr<Theorem> complete = CompleteFromFile(theorem);
  if (!complete.ok()) {
    return Verdict(RecheckVerdict::kError, std::string(complete.status().message()), start);
  }
  const std::string name = absl::StrCat(
      "Thor_Recheck_", absl::Hash<std::string>()(absl::StrCat(theorem.name, theorem.statement,
                                                              absl::StrJoin(steps, "\n"))) %
                           1000000007);
  absl::StatusOr<std::string> text = RecheckTheoryText(*complete, steps, name, RandomGoalName());
  if (!text.ok()) {
    // A refused step makes the proof unacceptable; a bad theorem cannot be checked.
    return Verdict(absl::IsPermissionDenied(text.status()) ? RecheckVerdict::kFailed
                                                           : RecheckVerdict::kError,
                   std::string(text.status().message()), start);
  }
  // Always a fresh scratch directory of Thor's own, never next to a file a
  // client named: Thor writes only where it created the folder.
  std::error_code ec;
  std::string pattern = (fs::temp_directory_path(ec) / "thor-recheck-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Verdict(RecheckVerdict::kError,
                   absl::StrCat("cannot create a scratch directory ", pattern), start);
  }
  const fs::path dir = pattern;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};
  const fs::path file = dir / (name + ".thy");
  {
    std::ofstream out(file);
    out << *text;
    out.close();
    if (!out) {
      return Verdict(RecheckVerdict::kError, absl::StrCat("cannot write ", file.string()), start);
    }
  }

  // Connect to (or start) the server.
  std::unique_ptr<Subprocess> launched;
  ServerInfo info;
  if (!server.address.empty()) {
    size_t colon = server.address.rfind(':');
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(server.address.substr(colon + 1), &info.port)) {
      return Verdict(RecheckVerdict::kError,
                     absl::StrCat("bad Isabelle server address '", server.address, "'"), start);
    }
    info.host = server.address.substr(0, colon);
    info.password = server.password;
  } else {
    SubprocessOptions options;
    options.argv = server.command;
    options.merge_stderr = true;
    absl::StatusOr<std::unique_ptr<Subprocess>> proc = Subprocess::Start(options);
    if (!proc.ok()) return Verdict(RecheckVerdict::kError, std::string(proc.status().message()), start);
    launched = *std::move(proc);
    absl::Status up = launched->ReadUntil(
        [](const std::string& out, const std::string&) {
          return out.find("(password \"") != std::string::npos &&
                 out.find('\n', out.find("(password \"")) != std::string::npos;
        },
        deadline);
    absl::StatusOr<ServerInfo> parsed = ParseServerInfoLine(launched->out());
    if (!up.ok() || !parsed.ok()) {
      return Verdict(RecheckVerdict::kError,
                     absl::StrCat("`", absl::StrJoin(server.command, " "),
                                  "` printed no server line: ", launched->out()),
                     start);
    }
    info = *parsed;
  }
  absl::StatusOr<std::unique_ptr<IsabelleServerConnection>> conn =
      IsabelleServerConnection::Connect(info.host, info.port, info.password, deadline);
  if (!conn.ok()) return Verdict(RecheckVerdict::kError, std::string(conn.status().message()), start);

  // quick_and_dirty off, so that packages do their internal proofs instead of
  // skipping them. (It does not stop `sorry` here: the server runs commands
  // as interactive, where sorry needs no quick_and_dirty; thm_oracles does.)
  nlohmann::json start_args = {
      {"session", SessionOf(*complete).empty() ? default_session : SessionOf(*complete)},
      {"options", {"quick_and_dirty=false"}}};
  if (!server.dirs.empty()) start_args["dirs"] = server.dirs;
  absl::StatusOr<nlohmann::json> session = (*conn)->CallAsync("session_start", start_args, deadline);
  if (!session.ok()) return Verdict(RecheckVerdict::kError, std::string(session.status().message()), start);
  const std::string session_id = session->value("session_id", std::string());
  absl::StatusOr<nlohmann::json> used = (*conn)->CallAsync(
      "use_theories",
      {{"session_id", session_id}, {"theories", {name}}, {"master_dir", dir.string()}}, deadline);
  RecheckResult result;
  if (!used.ok()) {
    result = Verdict(absl::IsDeadlineExceeded(used.status()) ? RecheckVerdict::kError
                                                             : RecheckVerdict::kFailed,
                     std::string(used.status().message()), start);
  } else {
    result = Judge(*used, *complete, start);
  }
  absl::Time tidy = absl::Now() + absl::Seconds(30);
  (void)(*conn)->Call("purge_theories",
                      {{"session_id", session_id}, {"theories", {name}}, {"master_dir", dir.string()}},
                      tidy);
  (void)(*conn)->CallAsync("session_stop", {{"session_id", session_id}}, tidy);
  result.elapsed = absl::Now() - start;
  return result;
}

}  // namespace thor::isabelle
