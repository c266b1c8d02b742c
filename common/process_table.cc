#include "common/process_table.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>

namespace thor {

std::optional<ProcessEntry> ParseProcStat(pid_t pid, const std::string& line) {
  const size_t open = line.find('(');
  const size_t close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open ||
      close + 2 > line.size()) {
    return std::nullopt;
  }
  ProcessEntry e;
  e.pid = pid;
  e.comm = line.substr(open + 1, close - open - 1);
  int ppid = 0, pgid = 0;
  char state = '?';
  if (std::sscanf(line.c_str() + close + 2, "%c %d %d", &state, &ppid, &pgid) != 3) {
    return std::nullopt;
  }
  e.state = state;
  e.ppid = ppid;
  e.pgid = pgid;
  return e;
}

std::optional<ProcessEntry> ReadProcess(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/stat", static_cast<int>(pid));
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return std::nullopt;
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  return ParseProcStat(pid, std::string(buf, n));
}

std::vector<ProcessEntry> ReadProcessTable() {
  std::vector<ProcessEntry> out;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return out;
  while (dirent* d = ::readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(d->d_name, &end, 10);
    if (end == d->d_name || *end != '\0' || pid <= 0) continue;
    if (std::optional<ProcessEntry> e = ReadProcess(static_cast<pid_t>(pid))) {
      out.push_back(std::move(*e));
    }
  }
  ::closedir(dir);
  return out;
}

std::vector<ProcessEntry> DescendantsOf(pid_t root, const std::vector<ProcessEntry>& table) {
  std::multimap<pid_t, const ProcessEntry*> by_parent;
  for (const ProcessEntry& e : table) by_parent.emplace(e.ppid, &e);
  std::vector<ProcessEntry> out;
  std::vector<pid_t> todo = {root};
  while (!todo.empty()) {
    const pid_t p = todo.back();
    todo.pop_back();
    auto [first, last] = by_parent.equal_range(p);
    for (auto it = first; it != last; ++it) {
      out.push_back(*it->second);
      todo.push_back(it->second->pid);
    }
  }
  return out;
}

void KillProcessTree(pid_t root) {
  if (root <= 0) return;  // Never kill(-1, ...) or kill(0, ...).
  // Read the tree before the first kill: killed parents reparent their
  // children to init, and the tree is lost.
  const std::vector<ProcessEntry> found = DescendantsOf(root, ReadProcessTable());
  const pid_t own_group = ::getpgrp();
  if (root != own_group) ::kill(-root, SIGKILL);
  ::kill(root, SIGKILL);
  for (const ProcessEntry& e : found) {
    if (e.pgid > 0 && e.pgid != own_group) ::kill(-e.pgid, SIGKILL);
    ::kill(e.pid, SIGKILL);
  }
}

int SignalGroupExceptLeader(pid_t pgid, int signal) {
  if (pgid <= 0) return 0;
  int signalled = 0;
  for (const ProcessEntry& e : ReadProcessTable()) {
    if (e.pgid == pgid && e.pid != pgid && !e.zombie() && ::kill(e.pid, signal) == 0) {
      ++signalled;
    }
  }
  return signalled;
}

}  // namespace thor
