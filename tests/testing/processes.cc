#include "tests/testing/processes.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace thor::testing {
namespace {

std::vector<ProcessInfo> WithoutZombies(std::vector<ProcessInfo> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](const ProcessInfo& p) { return p.zombie(); }),
          v.end());
  return v;
}

}  // namespace

std::vector<ProcessInfo> ListProcesses() { return WithoutZombies(ReadProcessTable()); }

std::vector<ProcessInfo> Descendants(pid_t root) {
  return DescendantsOf(root, ListProcesses());
}

std::vector<ProcessInfo> ProcessesNamed(const std::vector<std::string>& names) {
  std::vector<ProcessInfo> out;
  for (const ProcessInfo& p : ListProcesses()) {
    for (const std::string& n : names) {
      if (p.comm == n) out.push_back(p);
    }
  }
  return out;
}

std::string LeftoverChildren(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    std::vector<ProcessInfo> left = Descendants(getpid());
    if (left.empty()) return "";
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string s;
      for (const ProcessInfo& p : left) {
        if (!s.empty()) s += ", ";
        s += std::to_string(p.pid) + " " + p.comm;
      }
      return s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace thor::testing
