#include "lm_client/api_key.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace thor {

absl::StatusOr<std::string> ReadApiKeyFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrCat("API key file '", path, "' cannot be read"));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("API key file '", path, "' is not a regular file"));
  }
  // Other users' access is refused rather than warned about: a warning in a
  // server log is easily missed, and the fix is one command.
  if ((st.st_mode & S_IRWXO) != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "API key file '%s' is accessible to other users (mode %04o); run chmod 600 '%s'", path,
        st.st_mode & 07777, path));
  }
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("API key file '", path, "' cannot be read"));
  std::string line;
  std::getline(in, line);
  std::string key(absl::StripAsciiWhitespace(line));
  if (key.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("API key file '", path, "': the first line is empty"));
  }
  return key;
}

absl::StatusOr<std::string> ApiKey(const PolicyOptions& options) {
  if (!options.api_key_file.empty()) return ReadApiKeyFile(options.api_key_file);
  if (options.api_key_env.empty()) return std::string();
  const char* value = std::getenv(options.api_key_env.c_str());
  return std::string(value != nullptr ? value : "");
}

}  // namespace thor
