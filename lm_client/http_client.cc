#include "lm_client/http_client.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "common/env.h"

namespace thor {
namespace {

constexpr size_t kExcerpt = 300;
constexpr absl::Duration kWatchPoll = absl::Milliseconds(5);

std::chrono::microseconds Micros(absl::Duration d) {
  return std::chrono::microseconds(
      absl::ToInt64Microseconds(std::max(d, absl::Milliseconds(1))));
}

bool Retryable(int http_status) {
  return http_status == 429 || http_status >= 500;
}

absl::Status HttpError(int code, const std::string& url, const std::string& body) {
  std::string msg = absl::StrCat("model server at ", url, " answered HTTP ", code,
                                 ": ", body.substr(0, kExcerpt));
  if (code == 400 || code == 422) return absl::InvalidArgumentError(msg);
  if (code == 401 || code == 403) {
    return absl::PermissionDeniedError(
        absl::StrCat(msg, " (check the API key environment variable)"));
  }
  if (code == 404) {
    return absl::NotFoundError(
        absl::StrCat(msg, " (check the base URL and the model name)"));
  }
  if (code == 408) return absl::DeadlineExceededError(msg);
  if (code == 429 || code >= 500) return absl::UnavailableError(msg);
  return absl::UnknownError(msg);
}

}  // namespace

absl::StatusOr<BaseUrl> ParseBaseUrl(const std::string& url) {
  absl::string_view rest = url;
  if (absl::StartsWith(rest, "https://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "base URL '", url, "': https is not supported by this build; use a "
        "plain http endpoint (e.g. a local vLLM / llama.cpp server or a proxy)"));
  }
  if (!absl::ConsumePrefix(&rest, "http://") || rest.empty() ||
      rest.front() == '/' || rest.front() == ':') {
    return absl::InvalidArgumentError(absl::StrCat(
        "base URL '", url, "' must look like http://host:port[/v1]"));
  }
  BaseUrl out;
  size_t slash = rest.find('/');
  absl::string_view host_port = rest.substr(0, slash);
  out.scheme_host_port = absl::StrCat("http://", host_port);
  if (slash != absl::string_view::npos) {
    absl::string_view prefix = rest.substr(slash);
    while (absl::ConsumeSuffix(&prefix, "/")) {
    }
    out.prefix = std::string(prefix);
  }
  return out;
}

HttpJsonClient::HttpJsonClient(BaseUrl base, std::string bearer_token,
                               HttpOptions options)
    : base_(std::move(base)),
      bearer_token_(std::move(bearer_token)),
      options_(options),
      env_(options.env != nullptr ? options.env : Env::Default()) {}

HttpJsonClient::~HttpJsonClient() = default;

std::string HttpJsonClient::Url(const std::string& path) const {
  return absl::StrCat(base_.scheme_host_port, base_.prefix, path);
}

std::unique_ptr<httplib::Client> HttpJsonClient::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      std::unique_ptr<httplib::Client> c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto c = std::make_unique<httplib::Client>(base_.scheme_host_port);
  c->set_keep_alive(true);
  c->set_connection_timeout(Micros(options_.connect_timeout));
  if (!bearer_token_.empty()) c->set_bearer_token_auth(bearer_token_);
  return c;
}

void HttpJsonClient::Release(std::unique_ptr<httplib::Client> client) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(client));
}

absl::StatusOr<std::string> HttpJsonClient::PostJson(
    const std::string& path, const std::string& body, absl::Duration deadline,
    const std::atomic<bool>* cancel) {
  const std::string url = Url(path);
  const absl::Time end = env_->Now() + std::min(deadline, options_.request_timeout);
  absl::Duration backoff = options_.initial_backoff;
  absl::Status last = absl::DeadlineExceededError(
      absl::StrCat("model server at ", url, " did not answer in time"));
  for (int attempt = 0; attempt <= options_.retries; ++attempt) {
    const absl::Duration left = end - env_->Now();
    if (left <= absl::ZeroDuration()) break;
    std::unique_ptr<httplib::Client> client = Acquire();
    // The watcher below enforces the deadline and cancellation exactly; the
    // socket timeouts are a backstop.
    client->set_read_timeout(Micros(left + absl::Seconds(1)));
    client->set_write_timeout(Micros(left + absl::Seconds(1)));
    std::string received;
    bool too_big = false;
    auto keep_going = [&] {
      return !(cancel != nullptr && cancel->load()) && env_->Now() < end;
    };
    httplib::Request req;
    req.method = "POST";
    req.path = base_.prefix + path;
    req.body = body;
    req.set_header("Content-Type", "application/json");
    req.set_header("Accept", "application/json");
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      if (received.size() + n > options_.max_response_bytes) {
        too_big = true;
        return false;
      }
      received.append(data, n);
      return keep_going();
    };
    req.progress = [&](uint64_t, uint64_t) { return keep_going(); };
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    bool sent = false;
    {
      // A blocked read sees neither flag, so a watcher shuts the socket down.
      absl::Notification finished;
      httplib::Client* raw = client.get();
      std::thread watcher([&] {
        while (!finished.WaitForNotificationWithTimeout(kWatchPoll)) {
          if (!keep_going()) {
            raw->stop();
            return;
          }
        }
      });
      sent = client->send(req, res, err);
      finished.Notify();
      watcher.join();
    }
    if (cancel != nullptr && cancel->load()) {
      return absl::CancelledError(absl::StrCat("query to ", url, " cancelled"));
    }
    if (too_big) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "model server at ", url, " sent more than ",
          options_.max_response_bytes, " bytes; refusing the response"));
    }
    if (!sent) {
      if (env_->Now() >= end) break;
      last = absl::UnavailableError(absl::StrCat(
          "cannot reach model server at ", url, ": ", httplib::to_string(err)));
    } else if (res.status >= 200 && res.status < 300) {
      Release(std::move(client));
      return received;
    } else {
      last = HttpError(res.status, url, received);
      if (!Retryable(res.status)) return last;
      Release(std::move(client));
    }
    if (attempt == options_.retries) break;
    const absl::Duration wait = std::min(backoff, end - env_->Now());
    if (wait <= absl::ZeroDuration()) break;
    env_->SleepFor(wait);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  return last;
}

}  // namespace thor
