#include "isabelle_bridge/recheck.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include "absl/hash/hash.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "isabelle_bridge/isabelle_server.h"
#include "isabelle_bridge/pisa_layout.h"
#include "isabelle_bridge/pisa_protocol.h"

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

absl::StatusOr<std::string> RecheckTheoryText(const Theorem& theorem,
                                              const std::vector<std::string>& steps,
                                              const std::string& theory_name) {
  const std::string proof = absl::StrJoin(steps, "\n");
  std::error_code ec;
  if (theorem.file_path.empty() || !fs::exists(theorem.file_path, ec)) {
    return RenderTheory(theory_name, theorem.imports, theorem.context, theorem.statement, proof);
  }
  std::ifstream in(theorem.file_path);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string raw = buf.str();
  size_t end = FindNormalizedEnd(raw, NormalizeTransitionText(theorem.statement));
  if (end == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the statement of ", theorem.name, " is not in ", theorem.file_path));
  }
  static const std::regex header(R"(theory\s+"?[A-Za-z0-9_'.-]+"?)");
  std::string prefix = std::regex_replace(raw.substr(0, end), header,
                                          absl::StrCat("theory ", theory_name),
                                          std::regex_constants::format_first_only);
  return absl::StrCat(prefix, "\n", proof, "\n\nend\n");
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
  const std::string name = absl::StrCat(
      "Thor_Recheck_", absl::Hash<std::string>()(absl::StrCat(theorem.name, theorem.statement,
                                                              absl::StrJoin(steps, "\n"))) %
                           1000000007);
  absl::StatusOr<std::string> text = RecheckTheoryText(theorem, steps, name);
  if (!text.ok()) return Verdict(RecheckVerdict::kError, std::string(text.status().message()), start);
  std::error_code ec;
  // Next to the theorem's own file when possible (its relative imports then
  // resolve), else in a temporary directory.
  fs::path dir = fs::temp_directory_path(ec) / absl::StrCat("thor-recheck-", ::getpid());
  // A folder without write bits is read-only by its owner's word, even for
  // root (whom access() lets write anywhere): never write into it.
  const fs::path parent = fs::path(theorem.file_path).parent_path();
  const fs::perms any_write =
      fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
  if (!theorem.file_path.empty() && fs::exists(theorem.file_path, ec) &&
      ::access(parent.c_str(), W_OK) == 0 &&
      (fs::status(parent, ec).permissions() & any_write) != fs::perms::none) {
    dir = fs::path(theorem.file_path).parent_path();
  }
  fs::create_directories(dir, ec);
  const fs::path file = dir / (name + ".thy");
  std::ofstream(file) << *text;
  if (!fs::exists(file, ec)) {
    return Verdict(RecheckVerdict::kError, absl::StrCat("cannot write ", file.string()), start);
  }
  struct Cleanup {
    fs::path file;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove(file, ignored);
    }
  } cleanup{file};

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

  nlohmann::json start_args = {{"session", theorem.session.empty() ? default_session : theorem.session}};
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
    std::vector<std::string> errors = Errors(*used);
    bool ok = used->value("ok", false) && errors.empty();
    result = Verdict(ok ? RecheckVerdict::kPassed : RecheckVerdict::kFailed,
                     ok ? "Isabelle accepted the theory" : absl::StrJoin(errors, "\n"), start);
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
