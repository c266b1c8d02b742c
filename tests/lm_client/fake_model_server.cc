#include "tests/lm_client/fake_model_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace thor::testing {
namespace {

using ojson = nlohmann::ordered_json;

// Splits like a BPE tokenizer would roughly: a leading space stays with its
// word.
std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ' ' && !cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
    cur += c;
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

ojson Usage(int prompt, int completion) {
  return {{"prompt_tokens", prompt},
          {"completion_tokens", completion},
          {"total_tokens", prompt + completion}};
}

std::unique_ptr<httplib::Server> MakeServer(const FakeTls& tls) {
  if (tls.cert_file.empty()) return std::make_unique<httplib::Server>();
  return std::make_unique<httplib::SSLServer>(tls.cert_file.c_str(), tls.key_file.c_str());
}

}  // namespace

FakeModelServer::FakeModelServer() : FakeModelServer(FakeTls{}) {}

FakeModelServer::FakeModelServer(const FakeTls& tls)
    : server_(MakeServer(tls)), https_(!tls.cert_file.empty()) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    const int now = ++concurrent_;
    int seen = max_concurrent_.load();
    while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
    }
    {
      absl::MutexLock lock(&mu_);
      requests_.push_back({req.path, req.body, req.get_header_value("Authorization"),
                           req.remote_port});
    }
    FakeReply reply = Next();
    const absl::Time end = absl::Now() + reply.latency;
    while (absl::Now() < end && !stopping_.load()) {
      absl::SleepFor(std::min(absl::Milliseconds(5), end - absl::Now()));
    }
    int status = 200;
    std::string body = Answer(req.path, req.body, reply, &status);
    res.status = status;
    res.set_content(body, "application/json");
    --concurrent_;
  };
  server_->Post("/v1/completions", handler);
  server_->Post("/v1/chat/completions", handler);
  server_->Post("/complete", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
}

FakeModelServer::~FakeModelServer() { Stop(); }

void FakeModelServer::Stop() {
  stopping_ = true;
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeModelServer::base_url() const {
  return absl::StrCat(https_ ? "https://" : "http://", "127.0.0.1:", port_);
}

void FakeModelServer::Enqueue(FakeReply reply) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(reply));
}

void FakeModelServer::SetDefault(FakeReply reply) {
  absl::MutexLock lock(&mu_);
  default_ = std::move(reply);
}

std::vector<RecordedRequest> FakeModelServer::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

FakeReply FakeModelServer::Next() {
  absl::MutexLock lock(&mu_);
  ++counter_;
  if (queue_.empty()) return default_;
  FakeReply r = std::move(queue_.front());
  queue_.pop_front();
  return r;
}

std::string FakeModelServer::Answer(const std::string& path,
                                    const std::string& body,
                                    const FakeReply& reply, int* status) const {
  *status = reply.http_status;
  if (reply.http_status < 200 || reply.http_status >= 300) {
    return ojson{{"error",
                  {{"message", absl::StrCat("fake error ", reply.http_status)},
                   {"type", reply.http_status >= 500 ? "server_error"
                                                     : "invalid_request_error"},
                   {"param", nullptr},
                   {"code", nullptr}}}}
        .dump();
  }
  if (reply.kind == FakeReply::Kind::kRaw) return reply.raw_body;
  if (reply.kind == FakeReply::Kind::kMalformed) {
    return "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"text\":";
  }
  ojson req = ojson::parse(body, nullptr, false);
  int n = 1;
  std::string model = "fake-model";
  if (req.is_object()) {
    if (req.contains("n") && req["n"].is_number_integer()) n = req["n"].get<int>();
    if (req.contains("model") && req["model"].is_string()) model = req["model"];
  }
  std::vector<std::pair<std::string, double>> texts;
  if (reply.kind == FakeReply::Kind::kHuge) {
    texts.push_back({std::string(reply.huge_bytes, 'x'), -1.0});
  } else {
    for (int i = 0; i < n; ++i) {
      const size_t k = reply.texts.empty() ? 0 : i % reply.texts.size();
      std::string text = reply.kind == FakeReply::Kind::kEmpty || reply.texts.empty()
                             ? ""
                             : reply.texts[k];
      double lp = k < reply.logprobs.size() ? reply.logprobs[k] : -0.5;
      texts.push_back({text, lp});
    }
  }
  if (path == "/complete") {
    ojson out = {{"completions", ojson::array()}, {"logprobs", ojson::array()}};
    for (auto& [t, lp] : texts) {
      out["completions"].push_back(t);
      out["logprobs"].push_back(lp);
    }
    return out.dump();
  }
  const bool chat = path == "/v1/chat/completions";
  const bool want_logprobs =
      req.is_object() && req.contains("logprobs") &&
      (chat ? req["logprobs"].is_boolean() && req["logprobs"].get<bool>()
            : req["logprobs"].is_number_integer());
  ojson choices = ojson::array();
  int completion_tokens = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto& [text, lp] = texts[i];
    std::vector<std::string> toks = Tokens(text);
    completion_tokens += static_cast<int>(toks.size());
    const double per = toks.empty() ? 0.0 : lp / static_cast<double>(toks.size());
    ojson choice;
    if (chat) {
      choice["index"] = i;
      choice["message"] = {{"role", "assistant"}, {"content", text}};
      if (want_logprobs) {
        ojson content = ojson::array();
        for (const std::string& t : toks) {
          ojson bytes = ojson::array();
          for (unsigned char c : t) bytes.push_back(static_cast<int>(c));
          content.push_back({{"token", t}, {"logprob", per}, {"bytes", bytes},
                             {"top_logprobs", ojson::array()}});
        }
        choice["logprobs"] = {{"content", content}};
      } else {
        choice["logprobs"] = nullptr;
      }
      choice["finish_reason"] = "stop";
    } else {
      choice["text"] = text;
      choice["index"] = i;
      if (want_logprobs) {
        ojson tokens = ojson::array(), lps = ojson::array(), top = ojson::array(),
              offsets = ojson::array();
        size_t off = 0;
        for (const std::string& t : toks) {
          tokens.push_back(t);
          lps.push_back(per);
          top.push_back({{t, per}});
          offsets.push_back(off);
          off += t.size();
        }
        choice["logprobs"] = {{"tokens", tokens}, {"token_logprobs", lps},
                              {"top_logprobs", top}, {"text_offset", offsets}};
      } else {
        choice["logprobs"] = nullptr;
      }
      choice["finish_reason"] = "stop";
    }
    choices.push_back(std::move(choice));
  }
  ojson out;
  out["id"] = chat ? "chatcmpl-fake" : "cmpl-fake";
  out["object"] = chat ? "chat.completion" : "text_completion";
  out["created"] = absl::ToUnixSeconds(absl::Now());
  out["model"] = model;
  if (chat) out["system_fingerprint"] = nullptr;
  out["choices"] = std::move(choices);
  out["usage"] = Usage(16, completion_tokens);
  return out.dump();
}

int FakeModelServer::UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

}  // namespace thor::testing
