// A fake `isabelle server` on 127.0.0.1 with the real framing (password
// first; short and length-prefixed messages; OK/ERROR; async tasks with NOTE
// and FINISHED/FAILED). use_theories reads the theory from master_dir and
// fails it when it contains one of `rejected` (else it passes). Test-only.
#ifndef THOR_TESTS_ISABELLE_BRIDGE_FAKE_ISABELLE_SERVER_H_
#define THOR_TESTS_ISABELLE_BRIDGE_FAKE_ISABELLE_SERVER_H_

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace thor::isabelle::fake {

class FakeIsabelleServer {
 public:
  FakeIsabelleServer(std::string password, std::vector<std::string> rejected,
                     std::vector<std::string> sessions = {"HOL"});
  ~FakeIsabelleServer();

  // Listens on a free port; false if it cannot.
  bool Start();
  int port() const { return port_; }
  // The line `isabelle server` prints.
  std::string InfoLine() const;

  // Theory texts use_theories checked, and every command name received.
  std::vector<std::string> theories() const;
  std::vector<std::string> commands() const;

 private:
  void Serve(int fd);
  const std::string password_;
  const std::vector<std::string> rejected_;
  const std::vector<std::string> sessions_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  mutable absl::Mutex mu_;
  std::vector<std::string> theories_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> commands_ ABSL_GUARDED_BY(mu_);
  int next_task_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace thor::isabelle::fake

#endif  // THOR_TESTS_ISABELLE_BRIDGE_FAKE_ISABELLE_SERVER_H_
