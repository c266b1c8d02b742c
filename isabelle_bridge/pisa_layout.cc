#include "isabelle_bridge/pisa_layout.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "isabelle_bridge/theorem_options.h"

namespace thor::isabelle {
namespace fs = std::filesystem;

absl::StatusOr<std::string> PisaInferredSession(const std::string& theory_file,
                                                const std::string& working_directory) {
  const std::string& wd = working_directory;
  if (absl::StrContains(theory_file, "afp")) {
    size_t at = wd.find("thys/");
    if (at == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PISA takes the AFP session from the working directory's 'thys/<Entry>', but '", wd,
          "' has no 'thys/'"));
    }
    std::vector<std::string> parts = absl::StrSplit(wd.substr(at + 5), '/');
    return parts.front();
  }
  if (absl::StrContains(theory_file, "Isabelle") && absl::StrContains(theory_file, "/src/")) {
    size_t at = wd.find("/src/");
    if (at == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("working directory '", wd, "' has no '/src/'"));
    }
    std::vector<std::string> parts = absl::StrSplit(wd.substr(at + 5), '/');
    return absl::StrJoin(parts, "-");
  }
  if (absl::StrContains(theory_file, "miniF2F")) {
    std::vector<std::string> parts = absl::StrSplit(wd, '/');
    return parts.back();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "PISA cannot start a session for '", theory_file,
      "' (its path contains none of 'afp', 'Isabelle'+'/src/', 'miniF2F')"));
}

bool IsDistributionSession(const std::string& session) {
  return session == "Pure" || session == "HOL" || absl::StartsWith(session, "HOL-") ||
         session == "ZF" || session == "FOL";
}

std::string RenderTheory(const std::string& name, const std::vector<std::string>& imports,
                         const std::string& context, const std::string& statement,
                         const std::string& proof) {
  std::vector<std::string> quoted;
  for (const std::string& i : imports) {
    quoted.push_back(absl::StrContains(i, '.') || absl::StrContains(i, '-')
                         ? absl::StrCat("\"", absl::StripPrefix(absl::StripSuffix(i, "\""), "\""),
                                        "\"")
                         : i);
  }
  if (quoted.empty()) quoted.push_back("Main");
  std::string out = absl::StrCat("theory ", name, "\n  imports ", absl::StrJoin(quoted, " "),
                                 "\nbegin\n\n");
  if (!context.empty()) absl::StrAppend(&out, context, "\n\n");
  absl::StrAppend(&out, statement, "\n", proof.empty() ? "" : proof, proof.empty() ? "" : "\n",
                  "\nend\n");
  return out;
}

namespace {

absl::Status WriteFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PisaTarget> ResolvePisaTarget(const Theorem& theorem,
                                             const LayoutOptions& options) {
  if (theorem.statement.empty()) {
    return absl::InvalidArgumentError("theorem has no statement");
  }
  const std::string& session = SessionOf(theorem);
  if (session.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "theorem '", theorem.name,
        "' names no Isabelle session (logic); set Theorem.session (e.g. HOL)"));
  }
  PisaTarget target;
  target.statement = theorem.statement;
  target.session = session;
  std::error_code ec;
  if (!theorem.file_path.empty() && fs::exists(theorem.file_path, ec)) {
    std::string wd = WorkingDirectoryOf(theorem);
    if (wd.empty() && absl::StrContains(theorem.file_path, "afp") && !options.afp_dir.empty()) {
      wd = (fs::path(options.afp_dir) / "thys" / session).string();
    }
    if (wd.empty()) wd = fs::path(theorem.file_path).parent_path().string();
    absl::StatusOr<std::string> inferred = PisaInferredSession(theorem.file_path, wd);
    if (inferred.ok() && *inferred == session) {
      target.theory_file = theorem.file_path;
      target.working_directory = wd;
      return target;
    }
  }
  // Stage a theory file where PISA infers the configured session.
  std::string theory_name = absl::StrCat(
      "Thor_", absl::Hash<std::string>()(absl::StrCat(theorem.name, "\n", theorem.context, "\n",
                                                      theorem.statement)) % 1000000007,
      options.name_suffix);
  fs::path dir;
  if (IsDistributionSession(session)) {
    if (options.staging_dir.empty()) {
      return absl::InvalidArgumentError("no staging directory configured for PISA theory files");
    }
    if (absl::StrContains(options.staging_dir, "afp") ||
        (absl::StrContains(options.staging_dir, "Isabelle") &&
         absl::StrContains(options.staging_dir, "/src/"))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "staging directory '", options.staging_dir,
          "' must not contain 'afp' or 'Isabelle…/src/': PISA would infer the wrong session"));
    }
    dir = fs::path(options.staging_dir) / "miniF2F" / session;
  } else {
    if (options.afp_dir.empty() || !absl::StrContains(options.afp_dir, "afp")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "session '", session,
          "' is not an Isabelle distribution session, so PISA needs a local AFP whose path "
          "contains 'afp' (set --afp-dir)"));
    }
    dir = fs::path(options.afp_dir) / "thys" / session;
    if (!fs::is_directory(dir, ec)) {
      return absl::InvalidArgumentError(
          absl::StrCat("AFP session directory ", dir.string(), " does not exist"));
    }
  }
  target.theory_file = (dir / (theory_name + ".thy")).string();
  target.working_directory = dir.string();
  target.staged = true;
  absl::Status written =
      WriteFile(target.theory_file, RenderTheory(theory_name, theorem.imports, theorem.context,
                                                 theorem.statement, "oops"));
  if (!written.ok()) return written;
  return target;
}

}  // namespace thor::isabelle
