// The machine's process table, read from /proc, and the two kills that need
// it: a process's whole tree across process groups, and a process group
// without its leader. common/subprocess kills one group; these are for the
// children that leave it (a prover server's JVM, a prover's ATPs under a
// prover process that must survive) and for tests that check nothing was
// left behind.
#ifndef THOR_COMMON_PROCESS_TABLE_H_
#define THOR_COMMON_PROCESS_TABLE_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace thor {

struct ProcessEntry {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  char state = '?';  // /proc/PID/stat's state letter; 'Z' is a zombie.
  std::string comm;  // The command name, as the kernel keeps it (15 chars).

  bool zombie() const { return state == 'Z'; }
};

// Parses one /proc/PID/stat line (the command name may hold spaces and
// parentheses). nullopt if it is malformed.
std::optional<ProcessEntry> ParseProcStat(pid_t pid, const std::string& line);

// One process; nullopt if it is gone.
std::optional<ProcessEntry> ReadProcess(pid_t pid);

// Every process on the machine, zombies included.
std::vector<ProcessEntry> ReadProcessTable();

// The processes descended from `root` in `table` (children, grandchildren,
// ...), not `root` itself; zombies included.
std::vector<ProcessEntry> DescendantsOf(pid_t root, const std::vector<ProcessEntry>& table);

// SIGKILLs `root`'s process group and every descendant of `root` together
// with its own process group, wherever it moved (never the caller's group).
// For children that call setsid/setpgid, which a group kill would miss.
void KillProcessTree(pid_t root);

// Sends `signal` to every live member of process group `pgid` except its
// leader (pid == pgid); returns how many were signalled. For killing a
// tool's children (ATPs) while the tool itself stays usable.
int SignalGroupExceptLeader(pid_t pgid, int signal);

}  // namespace thor

#endif  // THOR_COMMON_PROCESS_TABLE_H_
