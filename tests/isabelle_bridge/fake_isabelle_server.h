// A fake `isabelle server` on 127.0.0.1 with the real framing (password
// first; short and length-prefixed messages; OK/ERROR; async tasks with NOTE
// and FINISHED/FAILED). use_theories reads the theory from master_dir and
// answers as Isabelle would, scripted:
//  - an error message "Failed to finish proof: M" for each `rejected` marker M
//    in the text, and an outer syntax error for an unterminated string;
//  - `sorry` / `\<proof>` are accepted, whatever quick_and_dirty says: the
//    server checks theories through PIDE, whose commands run as interactive,
//    and Method.cheating (Pure/Isar/method.ML) cheats when interactive OR
//    quick_and_dirty; only the oracle shows them;
//  - `thm_oracles NAME`: a writeln message as Pure's thm_oracles prints it,
//    "oracles:" then one "  \<bullet> ORACLE" line per oracle, where NAME's
//    oracles are skip_proof if its proof says sorry / \<proof>, the oracle of
//    each AddOracle marker in its proof, and the oracles of every earlier
//    lemma its proof names (transitively); `Undefined fact` if no lemma is
//    NAME. Test-only.
#ifndef THOR_TESTS_ISABELLE_BRIDGE_FAKE_ISABELLE_SERVER_H_
#define THOR_TESTS_ISABELLE_BRIDGE_FAKE_ISABELLE_SERVER_H_

#include <atomic>
#include <string>
#include <thread>
#include <utility>
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
  // The master_dir of every use_theories.
  std::vector<std::string> master_dirs() const;
  // The "options" of every session_start.
  std::vector<std::string> session_options() const;

  // A proof that contains the word `marker` uses the oracle `oracle`.
  void AddOracle(std::string marker, std::string oracle);

 private:
  void Serve(int fd);
  // The node messages use_theories reports for a theory `text`.
  std::vector<std::pair<std::string, std::string>> Check(const std::string& text) const;
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
  std::vector<std::string> session_options_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> master_dirs_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, std::string>> oracles_ ABSL_GUARDED_BY(mu_);
  int next_task_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace thor::isabelle::fake

#endif  // THOR_TESTS_ISABELLE_BRIDGE_FAKE_ISABELLE_SERVER_H_
