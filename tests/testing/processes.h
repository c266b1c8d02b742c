// Test helpers: find processes this test left behind.
#ifndef THOR_TESTS_TESTING_PROCESSES_H_
#define THOR_TESTS_TESTING_PROCESSES_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/process_table.h"

namespace thor::testing {

using ProcessInfo = ProcessEntry;

// Every live process on the machine (zombies left out), read from /proc.
std::vector<ProcessInfo> ListProcesses();

// Processes descended from `root` (children, grandchildren, ...), excluding
// `root` itself and zombies.
std::vector<ProcessInfo> Descendants(pid_t root);

// Processes (not zombies) whose command name is one of `names`.
std::vector<ProcessInfo> ProcessesNamed(const std::vector<std::string>& names);

// Waits up to `timeout_ms` for Descendants(getpid()) to be empty and returns
// what is left ("pid comm" joined by ", "); "" means none.
std::string LeftoverChildren(int timeout_ms = 2000);

}  // namespace thor::testing

#endif  // THOR_TESTS_TESTING_PROCESSES_H_
