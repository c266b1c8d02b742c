// A client of `isabelle server` (Isabelle system manual, chapter "The
// Isabelle server"): password, short (one line) and long (length-prefixed)
// messages, synchronous OK/ERROR replies and asynchronous tasks that end in
// FINISHED or FAILED. Used to re-check whole theories.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_SERVER_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_SERVER_H_

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace thor::isabelle {

// The first line `isabelle server` prints:
//   server "NAME" = HOST:PORT (password "PASSWORD")
struct ServerInfo {
  std::string name;
  std::string host;
  int port = 0;
  std::string password;
};
absl::StatusOr<ServerInfo> ParseServerInfoLine(absl::string_view line);

// Encodes one message: a short message (text + "\n") when it fits on one
// line, else a long one ("<byte length>\n" + text).
std::string FrameMessage(absl::string_view text);

// Splits "name argument": name is the longest prefix of [A-Za-z0-9_.].
void SplitMessage(absl::string_view message, std::string* name, std::string* argument);

class IsabelleServerConnection {
 public:
  // Connects to host:port and authenticates with `password`. Unavailable if
  // it cannot connect, PermissionDenied if the server rejects the password.
  static absl::StatusOr<std::unique_ptr<IsabelleServerConnection>> Connect(
      const std::string& host, int port, const std::string& password, absl::Time deadline);
  ~IsabelleServerConnection();

  // A synchronous command: the JSON of OK (null if none); FailedPrecondition
  // with the server's message for ERROR.
  absl::StatusOr<nlohmann::json> Call(const std::string& command, const nlohmann::json& arg,
                                      absl::Time deadline);
  // An asynchronous command: waits for its task's FINISHED (returns its
  // JSON) or FAILED (Aborted with the message); NOTEs are skipped.
  // DeadlineExceeded at `deadline` (after sending `cancel`).
  absl::StatusOr<nlohmann::json> CallAsync(const std::string& command, const nlohmann::json& arg,
                                           absl::Time deadline);

  // One raw message (short or long) from the server.
  absl::StatusOr<std::string> ReadMessage(absl::Time deadline);
  absl::Status SendRaw(absl::string_view text);

 private:
  explicit IsabelleServerConnection(int fd) : fd_(fd) {}
  absl::StatusOr<std::string> ReadLine(absl::Time deadline);
  absl::Status Fill(absl::Time deadline);

  int fd_;
  std::string buffer_;
};

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_SERVER_H_
