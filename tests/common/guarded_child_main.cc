// Test helper for child_guard_test: `guarded_child [--no_guard] CMD...`
// starts CMD as a Subprocess (from a thread that ends at once), with the
// child guard unless --no_guard, prints "ready PID" and waits to be killed.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "common/child_guard.h"
#include "common/subprocess.h"

int main(int argc, char** argv) {
  int first = 1;
  if (argc > 1 && std::string(argv[1]) == "--no_guard") {
    first = 2;
  } else {
    thor::StartChildGuard();
  }
  thor::SubprocessOptions options;
  options.argv.assign(argv + first, argv + argc);
  std::unique_ptr<thor::Subprocess> child;
  // PR_SET_PDEATHSIG follows the thread that forked: a child started from a
  // thread that ends must live on (common/subprocess.cc forks from one
  // long-lived thread).
  std::thread([&] {
    auto started = thor::Subprocess::Start(options);
    if (started.ok()) child = *std::move(started);
  }).join();
  if (child == nullptr) return 1;
  std::cout << "ready " << child->pid() << std::endl;
  for (;;) ::pause();
}
