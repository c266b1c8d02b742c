#include "tests/testing/processes.h"

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace thor::testing {
namespace {

bool ReadStat(pid_t pid, ProcessInfo* info, char* state) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  size_t open = line.find('(');
  size_t close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return false;
  info->pid = pid;
  info->comm = line.substr(open + 1, close - open - 1);
  std::istringstream rest(line.substr(close + 2));
  rest >> *state >> info->ppid >> info->pgid;
  return true;
}

}  // namespace

std::vector<ProcessInfo> ListProcesses() {
  std::vector<ProcessInfo> out;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return out;
  while (dirent* e = readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    ProcessInfo info;
    char state = '?';
    if (ReadStat(static_cast<pid_t>(pid), &info, &state) && state != 'Z') out.push_back(info);
  }
  closedir(dir);
  return out;
}

std::vector<ProcessInfo> Descendants(pid_t root) {
  std::vector<ProcessInfo> all = ListProcesses();
  std::multimap<pid_t, ProcessInfo> by_parent;
  for (const ProcessInfo& p : all) by_parent.emplace(p.ppid, p);
  std::vector<ProcessInfo> out;
  std::vector<pid_t> todo = {root};
  while (!todo.empty()) {
    pid_t p = todo.back();
    todo.pop_back();
    auto range = by_parent.equal_range(p);
    for (auto it = range.first; it != range.second; ++it) {
      out.push_back(it->second);
      todo.push_back(it->second.pid);
    }
  }
  return out;
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
