// A fake model server on loopback for tests: speaks OpenAI's
// /v1/completions and /v1/chat/completions (responses in OpenAI's exact
// format and key order) and PISA's POST /complete, over real HTTP
// (cpp-httplib). Scriptable per request: latency, HTTP errors, malformed
// JSON, empty or huge completions; Stop() takes it down.
#ifndef THOR_TESTS_LM_CLIENT_FAKE_MODEL_SERVER_H_
#define THOR_TESTS_LM_CLIENT_FAKE_MODEL_SERVER_H_

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace thor::testing {

// How the server answers one request.
struct FakeReply {
  enum class Kind {
    kCompletions,  // texts[i % size] for each of the n requested choices.
    kMalformed,    // A truncated JSON body with status 200.
    kEmpty,        // Every choice's text is "".
    kHuge,         // One choice of huge_bytes bytes.
    kRaw,          // raw_body verbatim.
  };
  Kind kind = Kind::kCompletions;
  absl::Duration latency = absl::ZeroDuration();
  int http_status = 200;  // Non-2xx: OpenAI's {"error": {...}} body.
  std::vector<std::string> texts = {"by simp"};
  // Per text: the completion's total log-probability, spread evenly over its
  // tokens (default -0.5 each). Empty: -0.5 per text.
  std::vector<double> logprobs;
  size_t huge_bytes = 16u << 20;
  std::string raw_body;
};

struct RecordedRequest {
  std::string path;
  std::string body;
  std::string authorization;
  int remote_port = 0;  // Same port on two requests: the connection was reused.
};

// PEM files of the certificate an https fake serves, and its key.
struct FakeTls {
  std::string cert_file;
  std::string key_file;
};

class FakeModelServer {
 public:
  // Starts listening on 127.0.0.1 at an ephemeral port; ready on return.
  FakeModelServer();
  // The same over https with `tls`'s certificate (base_url() says https).
  explicit FakeModelServer(const FakeTls& tls);
  ~FakeModelServer();  // Stops.
  FakeModelServer(const FakeModelServer&) = delete;
  FakeModelServer& operator=(const FakeModelServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:<port>" (or https)

  // Replies used in order, one per request; then the default.
  void Enqueue(FakeReply reply);
  void SetDefault(FakeReply reply);

  // Closes the listener (the server is "down"); idempotent.
  void Stop();

  std::vector<RecordedRequest> requests() const;
  int max_concurrent() const { return max_concurrent_.load(); }

  // A loopback port that nothing listens on (for "server down" tests).
  static int UnusedPort();

 private:
  FakeReply Next();
  std::string Answer(const std::string& path, const std::string& body,
                     const FakeReply& reply, int* status) const;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool https_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<int> concurrent_{0};
  std::atomic<int> max_concurrent_{0};
  mutable absl::Mutex mu_;
  std::deque<FakeReply> queue_ ABSL_GUARDED_BY(mu_);
  FakeReply default_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordedRequest> requests_ ABSL_GUARDED_BY(mu_);
  int counter_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_LM_CLIENT_FAKE_MODEL_SERVER_H_
