// A pool of PISA servers: launched here (N `java -cp <jar>
// pisa.server.PisaOneStageServer<port>` or a configured command, each in its
// own process group) or already running elsewhere (a list of addresses).
// Each server serves one session at a time (PISA holds one theory per
// server). The pool health-checks idle servers, restarts launched servers
// that died or hang, and kills every launched server's whole process tree
// (JVM, Poly/ML, ATPs) on shutdown.
#ifndef THOR_ISABELLE_BRIDGE_PISA_POOL_H_
#define THOR_ISABELLE_BRIDGE_PISA_POOL_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "isabelle_bridge/pisa_client.h"

namespace thor::isabelle {

struct PisaPoolConfig {
  // Connect mode: servers that already run ("host:port"). Nothing is launched.
  std::vector<std::string> addresses;
  // Launch mode (when `addresses` is empty): this many servers.
  int num_servers = 1;
  // The PISA assembly jar; the default command is
  // `java <jvm_flags> -cp <jar> pisa.server.PisaOneStageServer<port>`.
  std::string pisa_jar;
  std::string java = "java";
  std::vector<std::string> jvm_flags = {"-Xss4M"};
  // Or a full command; "{port}" in any argument is replaced by the port.
  std::vector<std::string> command;
  // Ports for launched servers: `ports` if given, else base_port + i; PISA
  // has servers for fixed ports only (PisaOneStageServer8000 ...). With
  // base_port 0, free ports are picked (for commands that take any port).
  std::vector<int> ports;
  int base_port = 8000;
  std::string cwd;
  std::vector<std::string> env;
  uint64_t memory_limit_bytes = 0;
  // The line PISA prints once it listens.
  std::string ready_text = "Server is running";
  absl::Duration startup_timeout = absl::Minutes(3);
  absl::Duration health_interval = absl::Seconds(5);
  absl::Duration health_timeout = absl::Seconds(3);
};

class PisaServerPool {
 public:
  // Launches (and waits for) or connects to every server. Unavailable if a
  // server does not come up (the message holds its last output); NotFound if
  // java / the command is missing.
  static absl::StatusOr<std::unique_ptr<PisaServerPool>> Create(const PisaPoolConfig& config);
  // Shuts down: kills every launched server's process tree.
  ~PisaServerPool();

  // Exclusive use of one server until the Lease is destroyed.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();
    bool valid() const { return pool_ != nullptr; }
    // The server's client; replaced by Replace(), so re-read it after.
    std::shared_ptr<PisaClient> client() const;
    std::string address() const;
    // Incremented each time the server is replaced.
    int generation() const;
    // Replaces the server: kills and relaunches it (launch mode) or
    // reconnects and waits until it answers (connect mode). Blocks until the
    // server is ready or `deadline`; Unavailable if it does not come back.
    absl::Status Replace(const std::string& reason, absl::Time deadline);
    // The server is hung or in an unknown state: once released, the pool
    // restarts it (launch mode) before leasing it again.
    void MarkBroken();

   private:
    friend class PisaServerPool;
    Lease(PisaServerPool* pool, int slot) : pool_(pool), slot_(slot) {}
    void Release();
    PisaServerPool* pool_ = nullptr;
    int slot_ = -1;
  };

  // Waits until a healthy server is free, up to `timeout`. DeadlineExceeded
  // if none became free.
  absl::StatusOr<Lease> Acquire(absl::Duration timeout);

  int size() const;
  bool launched() const { return config_.addresses.empty(); }
  // Servers restarted so far (by leases and by health checks).
  int restarts() const;
  // Pids of the launched servers (0 for none / connect mode).
  std::vector<pid_t> ServerPids() const;

 private:
  struct Slot;
  explicit PisaServerPool(const PisaPoolConfig& config);
  absl::Status StartSlot(Slot& slot, absl::Time deadline);
  void StopSlot(Slot& slot);
  void HealthLoop();

  const PisaPoolConfig config_;
  std::vector<std::unique_ptr<Slot>> slots_;
  mutable absl::Mutex mu_;
  int restarts_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread health_;
};

// A port no one listens on now (bind to 0, read, close).
int PickFreePort();

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_PISA_POOL_H_
