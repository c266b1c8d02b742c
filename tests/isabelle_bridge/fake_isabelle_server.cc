#include "tests/isabelle_bridge/fake_isabelle_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "isabelle_bridge/isabelle_lexer.h"
#include "isabelle_bridge/isabelle_server.h"

namespace thor::isabelle::fake {
namespace {

void SendAll(int fd, const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::send(fd, text.data() + off, text.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

// Reads one short or long message; false at EOF or on stop.
bool ReadMessage(int fd, std::string* buffer, std::string* out, const std::atomic<bool>& stop) {
  auto fill = [&]() {
    while (!stop) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      buffer->append(buf, static_cast<size_t>(n));
      return true;
    }
    return false;
  };
  size_t nl;
  while ((nl = buffer->find('\n')) == std::string::npos) {
    if (!fill()) return false;
  }
  std::string line = buffer->substr(0, nl);
  buffer->erase(0, nl + 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  size_t length = 0;
  bool digits = !line.empty() && std::all_of(line.begin(), line.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (digits && absl::SimpleAtoi(line, &length)) {
    while (buffer->size() < length) {
      if (!fill()) return false;
    }
    *out = buffer->substr(0, length);
    buffer->erase(0, length);
    return true;
  }
  *out = line;
  return true;
}

}  // namespace

FakeIsabelleServer::FakeIsabelleServer(std::string password, std::vector<std::string> rejected,
                                       std::vector<std::string> sessions)
    : password_(std::move(password)), rejected_(std::move(rejected)), sessions_(std::move(sessions)) {}

FakeIsabelleServer::~FakeIsabelleServer() {
  stop_ = true;
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  for (std::thread& t : workers_) t.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool FakeIsabelleServer::Start() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 8) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return false;
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      workers_.emplace_back([this, fd] {
        Serve(fd);
        ::close(fd);
      });
    }
  });
  return true;
}

std::string FakeIsabelleServer::InfoLine() const {
  return absl::StrCat("server \"thor_fake\" = 127.0.0.1:", port_, " (password \"", password_,
                      "\")");
}

std::vector<std::string> FakeIsabelleServer::theories() const {
  absl::MutexLock lock(&mu_);
  return theories_;
}

std::vector<std::string> FakeIsabelleServer::commands() const {
  absl::MutexLock lock(&mu_);
  return commands_;
}

std::vector<std::string> FakeIsabelleServer::master_dirs() const {
  absl::MutexLock lock(&mu_);
  return master_dirs_;
}

std::vector<std::string> FakeIsabelleServer::session_options() const {
  absl::MutexLock lock(&mu_);
  return session_options_;
}

void FakeIsabelleServer::AddOracle(std::string marker, std::string oracle) {
  absl::MutexLock lock(&mu_);
  oracles_.emplace_back(std::move(marker), std::move(oracle));
}

std::vector<std::pair<std::string, std::string>> FakeIsabelleServer::Check(
    const std::string& text) const {
  std::vector<std::pair<std::string, std::string>> out;
  auto error = [&](std::string m) { out.emplace_back("error", std::move(m)); };
  for (const std::string& bad : rejected_) {
    if (absl::StrContains(text, bad)) error("Failed to finish proof: " + bad);
  }
  size_t quotes = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      ++quotes;
    }
  }
  if (quotes % 2 != 0) error("Outer syntax error: unclosed string literal");
  auto cheats = [](absl::string_view t) {
    return ContainsIsabelleWord(t, "sorry") || absl::StrContains(t, "\\<proof>");
  };

  // The lemmas of the theory, each with the text of its statement and proof.
  static const std::regex lemma(
      R"((^|\n)[ \t]*(theorem|lemma|corollary|proposition|schematic_goal)[ \t]+([A-Za-z0-9_'.]+)[ \t]*(\[[^\]]*\])?[ \t]*:)");
  static const std::regex query(R"((^|\n)[ \t]*thm_oracles[ \t]+([A-Za-z0-9_'.]+))");
  std::smatch q;
  const bool has_query = std::regex_search(text, q, query);
  const size_t query_at = has_query ? static_cast<size_t>(q.position(0)) : text.size();
  std::vector<std::pair<std::string, size_t>> lemmas;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), lemma);
       it != std::sregex_iterator(); ++it) {
    lemmas.emplace_back((*it)[3].str(), static_cast<size_t>(it->position(0)));
  }
  std::vector<std::pair<std::string, std::string>> markers;
  {
    absl::MutexLock lock(&mu_);
    markers = oracles_;
  }
  std::map<std::string, std::set<std::string>> oracles_of;
  for (size_t k = 0; k < lemmas.size(); ++k) {
    size_t begin = lemmas[k].second;
    size_t end = k + 1 < lemmas.size() ? lemmas[k + 1].second : std::max(begin, query_at);
    if (begin >= query_at) break;
    end = std::min(end, query_at);
    const std::string chunk = text.substr(begin, end - begin);
    std::set<std::string> used;
    if (cheats(chunk)) used.insert("skip_proof");
    for (const auto& [marker, oracle] : markers) {
      if (ContainsIsabelleWord(chunk, marker)) used.insert(oracle);
    }
    for (const auto& [name, found] : oracles_of) {
      if (ContainsIsabelleWord(chunk.substr(1), name)) used.insert(found.begin(), found.end());
    }
    oracles_of[lemmas[k].first] = used;
  }
  if (has_query) {
    const std::string name = q[2].str();
    auto found = oracles_of.find(name);
    if (found == oracles_of.end()) {
      error("Undefined fact: \"" + name + "\"");
    } else if (out.empty()) {
      std::string report = "oracles:";
      for (const std::string& o : found->second) absl::StrAppend(&report, "\n  \\<bullet> ", o);
      out.emplace_back("writeln", report);
    }
  }
  return out;
}

void FakeIsabelleServer::Serve(int fd) {
  std::string buffer, msg;
  if (!ReadMessage(fd, &buffer, &msg, stop_) || msg != password_) return;  // Silent disconnect.
  SendAll(fd, "OK {\"isabelle_id\":\"fake\",\"isabelle_name\":\"Isabelle2022\"}\n");
  while (ReadMessage(fd, &buffer, &msg, stop_)) {
    std::string name, arg;
    SplitMessage(msg, &name, &arg);
    nlohmann::json j = arg.empty() ? nlohmann::json::object() : nlohmann::json::parse(arg, nullptr, false);
    std::string task;
    {
      absl::MutexLock lock(&mu_);
      commands_.push_back(name);
      task = absl::StrCat("task-", ++next_task_);
    }
    auto reply = [&](const std::string& kind, nlohmann::json body) {
      SendAll(fd, FrameMessage(absl::StrCat(kind, " ", body.dump())));
    };
    if (j.is_discarded()) {
      reply("ERROR", "Malformed JSON");
      continue;
    }
    if (name == "echo") {
      reply("OK", j);
    } else if (name == "session_start") {
      reply("OK", {{"task", task}});
      std::string session = j.value("session", std::string());
      for (const auto& o : j.value("options", nlohmann::json::array())) {
        const std::string option = o.is_string() ? o.get<std::string>() : o.dump();
        {
          absl::MutexLock lock(&mu_);
          session_options_.push_back(option);
        }
      }
      reply("NOTE", {{"task", task}, {"kind", "writeln"}, {"message", "Starting " + session}});
      if (std::find(sessions_.begin(), sessions_.end(), session) == sessions_.end()) {
        reply("FAILED", {{"task", task}, {"kind", "error"}, {"message", "Bad session " + session}});
      } else {
        reply("FINISHED", {{"task", task}, {"session_id", "session-1"}, {"tmp_dir", "/tmp/fake"}});
      }
    } else if (name == "use_theories") {
      reply("OK", {{"task", task}});
      nlohmann::json errors = nlohmann::json::array();
      nlohmann::json nodes = nlohmann::json::array();
      {
        absl::MutexLock lock(&mu_);
        master_dirs_.push_back(j.value("master_dir", std::string(".")));
      }
      for (const auto& th : j.value("theories", nlohmann::json::array())) {
        std::string path = j.value("master_dir", std::string(".")) + "/" + th.get<std::string>() + ".thy";
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        nlohmann::json messages = nlohmann::json::array();
        if (!in) {
          errors.push_back({{"kind", "error"}, {"message", "No such file: " + path}});
        } else {
          absl::MutexLock lock(&mu_);
          theories_.push_back(text.str());
        }
        if (in) {
          for (const auto& [kind, message] : Check(text.str())) {
            messages.push_back({{"kind", kind}, {"message", message},
                                {"pos", {{"file", path}, {"line", 1}}}});
          }
        }
        bool node_ok = std::none_of(messages.begin(), messages.end(), [](const nlohmann::json& m) {
          return m.value("kind", std::string()) == "error";
        });
        nodes.push_back({{"node_name", path}, {"theory_name", th}, {"messages", messages},
                         {"status", {{"ok", node_ok}}}});
      }
      bool ok = errors.empty() && nodes.size() > 0 && nodes[0]["status"]["ok"].get<bool>();
      // Sent as a long (length-prefixed) message, as Isabelle does for big results.
      std::string body = absl::StrCat("FINISHED ", nlohmann::json{{"task", task}, {"ok", ok},
                                      {"errors", errors}, {"nodes", nodes}}.dump(2));
      SendAll(fd, absl::StrCat(body.size(), "\n", body));
    } else if (name == "purge_theories") {
      reply("OK", {{"purged", j.value("theories", nlohmann::json::array())}, {"retained", nlohmann::json::array()}});
    } else if (name == "session_stop") {
      reply("OK", {{"task", task}});
      reply("FINISHED", {{"task", task}, {"ok", true}, {"return_code", 0}});
    } else {
      reply("ERROR", "Bad command " + name);
    }
  }
}

}  // namespace thor::isabelle::fake
