#include "server/client_paths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace thor {

namespace fs = std::filesystem;

absl::StatusOr<std::string> CanonicalRoot(const std::string& root) {
  if (root.empty()) return std::string();
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "theorem_file_root '", root, "' is not an existing directory"));
  }
  return canonical.string();
}

absl::StatusOr<std::string> ResolveClientPath(const std::string& path, const std::string& root,
                                              PathKind kind, const std::string& field) {
  if (root.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(
        field,
        ": this server reads no file a client names; send the text as theorem.context, or "
        "ask the operator to set theorem_file_root (server configuration or thor serve "
        "--theorem_file_root) and name a file inside it"));
  }
  absl::StatusOr<std::string> canonical_root = CanonicalRoot(root);
  if (!canonical_root.ok()) {
    // The operator's path is not the client's business.
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": the server's theorem_file_root is not an existing directory"));
  }
  const fs::path base(*canonical_root);
  fs::path p(path);
  if (p.is_relative()) p = base / p;
  // weakly_canonical follows the symlinks of the existing part and folds
  // ".." lexically in the rest, so neither can lead out of `base` unseen.
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(p, ec);
  const auto outside = [&] {
    return absl::PermissionDeniedError(absl::StrCat(
        field, ": not inside the server's theorem_file_root (after resolving symlinks and "
               "'..')"));
  };
  if (ec) return outside();
  // Component-wise prefix: "/srv/theorems-other" is not inside "/srv/theorems".
  auto [in_base, in_resolved] =
      std::mismatch(base.begin(), base.end(), resolved.begin(), resolved.end());
  if (in_base != base.end()) return outside();
  const fs::file_status status = fs::status(resolved, ec);
  const bool fits = !ec && (kind == PathKind::kRegularFile ? fs::is_regular_file(status)
                                                           : fs::is_directory(status));
  if (!fits) {
    return absl::NotFoundError(absl::StrCat(
        field, ": no ", kind == PathKind::kRegularFile ? "regular file" : "directory",
        " at that path inside the server's theorem_file_root"));
  }
  return resolved.string();
}

}  // namespace thor
