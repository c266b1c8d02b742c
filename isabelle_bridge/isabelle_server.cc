#include "isabelle_bridge/isabelle_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace thor::isabelle {

absl::StatusOr<ServerInfo> ParseServerInfoLine(absl::string_view line) {
  static const std::regex re(
      R"re(server "([^"]*)" = ([^:\s]+):([0-9]+) \(password "([^"]*)"\))re");
  std::cmatch m;
  std::string text(line);
  if (!std::regex_search(text.c_str(), m, re)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an `isabelle server` line: '", line, "'"));
  }
  ServerInfo info;
  info.name = m[1].str();
  info.host = m[2].str();
  info.port = std::stoi(m[3].str());
  info.password = m[4].str();
  return info;
}

std::string FrameMessage(absl::string_view text) {
  if (text.find('\n') == absl::string_view::npos && text.find('\r') == absl::string_view::npos) {
    bool all_digits = !text.empty();
    for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
    if (!all_digits) return absl::StrCat(text, "\n");
  }
  return absl::StrCat(text.size(), "\n", text);
}

void SplitMessage(absl::string_view message, std::string* name, std::string* argument) {
  size_t i = 0;
  while (i < message.size() &&
         (std::isalnum(static_cast<unsigned char>(message[i])) || message[i] == '_' ||
          message[i] == '.')) {
    ++i;
  }
  *name = std::string(message.substr(0, i));
  *argument = std::string(absl::StripLeadingAsciiWhitespace(message.substr(i)));
}

absl::StatusOr<std::unique_ptr<IsabelleServerConnection>> IsabelleServerConnection::Connect(
    const std::string& host, int port, const std::string& password, absl::Time deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) {
    return absl::UnavailableError(absl::StrCat("cannot resolve Isabelle server host ", host));
  }
  int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? -1 : ::connect(fd, res->ai_addr, res->ai_addrlen);
  ::freeaddrinfo(res);
  if (rc != 0) {
    std::string err = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to the Isabelle server at ", host, ":", port, ": ", err,
                     " (start one with `isabelle server`)"));
  }
  std::unique_ptr<IsabelleServerConnection> conn(new IsabelleServerConnection(fd));
  absl::Status sent = conn->SendRaw(FrameMessage(password));
  if (!sent.ok()) return sent;
  absl::StatusOr<std::string> reply = conn->ReadMessage(deadline);
  if (!reply.ok()) {
    if (absl::IsUnavailable(reply.status())) {
      return absl::PermissionDeniedError(
          "the Isabelle server closed the connection: wrong password?");
    }
    return reply.status();
  }
  std::string name, arg;
  SplitMessage(*reply, &name, &arg);
  if (name != "OK") {
    return absl::PermissionDeniedError(absl::StrCat("Isabelle server refused: ", *reply));
  }
  return conn;
}

IsabelleServerConnection::~IsabelleServerConnection() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status IsabelleServerConnection::SendRaw(absl::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(absl::StrCat("Isabelle server: send: ", std::strerror(errno)));
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status IsabelleServerConnection::Fill(absl::Time deadline) {
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError("no reply from the Isabelle server in time");
  }
  pollfd p{fd_, POLLIN, 0};
  int rc = ::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
  if (rc == 0) return absl::DeadlineExceededError("no reply from the Isabelle server in time");
  if (rc < 0 && errno != EINTR) {
    return absl::UnavailableError(absl::StrCat("Isabelle server: poll: ", std::strerror(errno)));
  }
  char buf[65536];
  ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n == 0) return absl::UnavailableError("the Isabelle server closed the connection");
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return absl::OkStatus();
    return absl::UnavailableError(absl::StrCat("Isabelle server: recv: ", std::strerror(errno)));
  }
  buffer_.append(buf, static_cast<size_t>(n));
  return absl::OkStatus();
}

absl::StatusOr<std::string> IsabelleServerConnection::ReadLine(absl::Time deadline) {
  while (true) {
    size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    absl::Status s = Fill(deadline);
    if (!s.ok()) return s;
  }
}

absl::StatusOr<std::string> IsabelleServerConnection::ReadMessage(absl::Time deadline) {
  absl::StatusOr<std::string> line = ReadLine(deadline);
  if (!line.ok()) return line;
  size_t length = 0;
  bool digits = !line->empty();
  for (char c : *line) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits || !absl::SimpleAtoi(*line, &length)) return line;
  while (buffer_.size() < length) {
    absl::Status s = Fill(deadline);
    if (!s.ok()) return s;
  }
  std::string message = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return message;
}

absl::StatusOr<nlohmann::json> IsabelleServerConnection::Call(const std::string& command,
                                                              const nlohmann::json& arg,
                                                              absl::Time deadline) {
  std::string text = arg.is_null() ? command : absl::StrCat(command, " ", arg.dump());
  absl::Status sent = SendRaw(FrameMessage(text));
  if (!sent.ok()) return sent;
  absl::StatusOr<std::string> reply = ReadMessage(deadline);
  if (!reply.ok()) return reply.status();
  std::string name, body;
  SplitMessage(*reply, &name, &body);
  nlohmann::json j = body.empty() ? nlohmann::json()
                                  : nlohmann::json::parse(body, nullptr, false);
  if (name == "OK") {
    if (j.is_discarded()) return nlohmann::json(body);
    return j;
  }
  if (name == "ERROR") {
    std::string msg = j.is_string() ? j.get<std::string>()
                      : (j.is_object() && j.contains("message"))
                          ? j["message"].get<std::string>()
                          : body;
    return absl::FailedPreconditionError(absl::StrCat("Isabelle server: ", command, ": ", msg));
  }
  return absl::InternalError(absl::StrCat("Isabelle server: unexpected reply: ", *reply));
}

absl::StatusOr<nlohmann::json> IsabelleServerConnection::CallAsync(const std::string& command,
                                                                   const nlohmann::json& arg,
                                                                   absl::Time deadline) {
  absl::StatusOr<nlohmann::json> started = Call(command, arg, deadline);
  if (!started.ok()) return started.status();
  if (!started->is_object() || !started->contains("task")) {
    return absl::InternalError(absl::StrCat("Isabelle server: ", command, " returned no task"));
  }
  const std::string task = (*started)["task"].get<std::string>();
  while (true) {
    absl::StatusOr<std::string> msg = ReadMessage(deadline);
    if (!msg.ok()) {
      if (absl::IsDeadlineExceeded(msg.status())) {
        (void)SendRaw(FrameMessage(absl::StrCat("cancel ", nlohmann::json{{"task", task}}.dump())));
      }
      return msg.status();
    }
    std::string name, body;
    SplitMessage(*msg, &name, &body);
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("task", std::string()) != task) continue;
    if (name == "FINISHED") return j;
    if (name == "FAILED") {
      return absl::AbortedError(absl::StrCat("Isabelle server: ", command, " failed: ",
                                             j.value("message", std::string("(no message)"))));
    }
  }
}

}  // namespace thor::isabelle
