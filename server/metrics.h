// Prometheus metrics of a Thor server (prometheus-cpp registry, text format
// served over HTTP by cpp-httplib). All recording methods are thread-safe and
// cheap (atomic increments after a label lookup).
#ifndef THOR_SERVER_METRICS_H_
#define THOR_SERVER_METRICS_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace httplib {
class Server;
}  // namespace httplib

namespace thor {

class Metrics {
 public:
  Metrics();
  ~Metrics();

  // One search ended with `outcome` ("proved", "exhausted", "cancelled", ...)
  // after `wall`.
  void SearchFinished(const std::string& outcome, absl::Duration wall);
  // `count` model queries took `total` together.
  void ModelQueries(int count, absl::Duration total);
  // One step was applied and ended with `outcome` ("new_state", ...).
  void StepApplied(const std::string& outcome, absl::Duration elapsed);
  // One hammer call by `prover` (a prover module's name, or "tptp") ended with
  // `outcome` ("success", "failure").
  void HammerCalled(const std::string& prover, const std::string& outcome,
                    absl::Duration elapsed);
  // One RPC finished with gRPC status `code` (e.g. "OK", "INVALID_ARGUMENT").
  void RpcFinished(const std::string& method, const std::string& code, absl::Duration elapsed);

  // Sources of gauges sampled at each scrape.
  void SetGaugeSources(std::function<int()> running, std::function<int()> queued);

  // The metrics in Prometheus text exposition format.
  std::string Render();

 private:
  void SampleProcess();  // The process_* metrics, from /proc/self.
  struct Families;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> f_;
  std::function<int()> running_;
  std::function<int()> queued_;
};

// An HTTP server answering GET /metrics (and /healthz) on its own thread.
class MetricsHttpServer {
 public:
  // Listens on `address` ("host:port"; port 0 picks one). Unavailable if it
  // cannot bind. `metrics` must outlive the server.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(const std::string& address,
                                                                 Metrics* metrics);
  ~MetricsHttpServer();  // Stops the server and joins its thread.
  int port() const { return port_; }

 private:
  MetricsHttpServer() = default;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace thor

#endif  // THOR_SERVER_METRICS_H_
