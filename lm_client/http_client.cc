#include "lm_client/http_client.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
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
        absl::StrCat(msg, " (check the API key: api_key_file or api_key_env; "
                          "--lm_api_key_file or --lm_api_key_env)"));
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
  BaseUrl out;
  out.https = absl::ConsumePrefix(&rest, "https://");
  if ((!out.https && !absl::ConsumePrefix(&rest, "http://")) || rest.empty() ||
      rest.front() == '/' || rest.front() == ':') {
    return absl::InvalidArgumentError(absl::StrCat(
        "base URL '", url, "' must look like http://host:port[/v1] or https://host[:port][/v1]"));
  }
  size_t slash = rest.find('/');
  absl::string_view host_port = rest.substr(0, slash);
  // Credentials in the URL would be printed with it in every message (so
  // this one does not quote it): the key belongs in api_key_file or
  // api_key_env.
  if (host_port.find('@') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "base URL: credentials (user:password@) are not accepted in it; give the API key "
        "in a file or an environment variable");
  }
  if (host_port.find_first_of("?# \t\r\n") != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "base URL '", url, "': the host may not contain '?', '#' or blanks"));
  }
  const size_t colon = host_port.rfind(':');
  if (colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat("base URL '", url, "': no host"));
  }
  if (colon != absl::string_view::npos && host_port.back() != ']') {
    absl::string_view port = host_port.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
        std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535) {
      return absl::InvalidArgumentError(
          absl::StrCat("base URL '", url, "': bad port '", port, "'"));
    }
  }
  out.scheme_host_port = absl::StrCat(out.https ? "https://" : "http://", host_port);
  if (slash != absl::string_view::npos) {
    absl::string_view prefix = rest.substr(slash);
    while (absl::ConsumeSuffix(&prefix, "/")) {
    }
    out.prefix = std::string(prefix);
  }
  return out;
}

absl::Status CheckTransport(const BaseUrl& base, const HttpOptions& options) {
  if (options.ca_file.empty()) return absl::OkStatus();
  if (!base.https) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CA file '", options.ca_file, "' given for ", base.scheme_host_port,
        ", which is not https"));
  }
  std::ifstream in(options.ca_file);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || !absl::StrContains(text.str(), "-----BEGIN CERTIFICATE-----")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CA file '", options.ca_file, "' cannot be read or holds no PEM certificate"));
  }
  return absl::OkStatus();
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
  if (base_.https) {
    c->enable_server_certificate_verification(true);
    if (!options_.ca_file.empty()) c->set_ca_cert_path(options_.ca_file);
  }
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
    if (!sent && (err == httplib::Error::SSLServerVerification ||
                  err == httplib::Error::SSLLoadingCerts)) {
      // Retrying cannot help: the certificate stays what it is.
      return absl::UnavailableError(absl::StrCat(
          "model server at ", url, ": its TLS certificate did not verify against ",
          options_.ca_file.empty() ? "the system's CA certificates"
                                   : absl::StrCat("the CA file '", options_.ca_file, "'"),
          " (", httplib::to_string(err), "; check the URL's host name and the CA file)"));
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
