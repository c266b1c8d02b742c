// The one place where the server decides whether it reads a file a client
// named (Theorem.file_path, Theorem.working_directory). A client never
// chooses a server file on its own: only paths inside the operator's
// theorem_file_root (server configuration or `thor serve
// --theorem_file_root`) are read, after symlinks and ".." are resolved.
#ifndef THOR_SERVER_CLIENT_PATHS_H_
#define THOR_SERVER_CLIENT_PATHS_H_

#include <string>

#include "absl/status/statusor.h"

namespace thor {

enum class PathKind { kRegularFile, kDirectory };

// Resolves `path` (relative paths are taken from `root`) with symlinks
// followed and returns its canonical form, or refuses it:
// - PERMISSION_DENIED when `root` is empty (the server reads no client-named
//   file) or the resolved path is not inside the canonical `root` (".."
//   and symlink escapes included; whether such a file exists is not told);
// - NOT_FOUND when inside `root` but not an existing `kind`;
// - FAILED_PRECONDITION when `root` itself is not a directory.
// Messages name `field` and never echo the path or any file content.
absl::StatusOr<std::string> ResolveClientPath(const std::string& path, const std::string& root,
                                              PathKind kind, const std::string& field);

// OK if `root` is empty or an existing directory; its canonical form
// otherwise. For checking the configuration at start-up.
absl::StatusOr<std::string> CanonicalRoot(const std::string& root);

}  // namespace thor

#endif  // THOR_SERVER_CLIENT_PATHS_H_
