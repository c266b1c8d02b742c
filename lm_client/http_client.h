// A small JSON-over-HTTP client for model servers: connection reuse (a pool
// of keep-alive connections), per-request deadlines, retries with
// exponential backoff, response-size cap, cancellation. Thread-safe.
#ifndef THOR_LM_CLIENT_HTTP_CLIENT_H_
#define THOR_LM_CLIENT_HTTP_CLIENT_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "lm_client/policy_options.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace thor {

// A parsed "http[s]://host:port/prefix" base URL.
struct BaseUrl {
  std::string scheme_host_port;  // "http://host:port" or "https://host:port"
  std::string prefix;            // "" or "/v1" (no trailing slash)
  bool https = false;
};

// Returns InvalidArgument for anything but "http[s]://host[:port][/path]".
absl::StatusOr<BaseUrl> ParseBaseUrl(const std::string& url);

// OK if options.ca_file is empty, or `base` is https and the file is a
// readable PEM file holding a certificate; InvalidArgument naming the file
// otherwise (so a typo shows at start-up, not as a failed handshake per
// query).
absl::Status CheckTransport(const BaseUrl& base, const HttpOptions& options);

class HttpJsonClient {
 public:
  // `bearer_token` may be empty (no Authorization header).
  HttpJsonClient(BaseUrl base, std::string bearer_token, HttpOptions options);
  ~HttpJsonClient();

  // POSTs `body` (JSON text) to base prefix + `path` and returns the response
  // body of a 2xx answer. Retries connection errors, 429 and 5xx up to
  // options.retries times with backoff while time remains. Errors:
  // Unavailable (cannot connect; 5xx; 429 after retries), DeadlineExceeded
  // (no answer within `deadline`), Cancelled (`*cancel` became true),
  // ResourceExhausted (response over max_response_bytes), InvalidArgument /
  // PermissionDenied / NotFound for 400 / 401-403 / 404 (with the server's
  // message). An https server whose certificate does not verify (against
  // options.ca_file, or the system's CAs) is Unavailable at once, without
  // retries, saying so. Every message names the URL, none the API key.
  absl::StatusOr<std::string> PostJson(const std::string& path,
                                       const std::string& body,
                                       absl::Duration deadline,
                                       const std::atomic<bool>* cancel);

  std::string Url(const std::string& path) const;

 private:
  std::unique_ptr<httplib::Client> Acquire();
  void Release(std::unique_ptr<httplib::Client> client);

  BaseUrl base_;
  std::string bearer_token_;
  HttpOptions options_;
  Env* const env_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<httplib::Client>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_HTTP_CLIENT_H_
