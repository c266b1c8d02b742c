// The `thor` binary: the command line (cli/) with the real provers and
// policies (app/wiring.h) for the servers it serves or runs in-process.
#include "app/wiring.h"
#include "cli/cli.h"
#include "common/child_guard.h"

int main(int argc, char** argv) {
  // First, while this process has a single thread to fork: whatever this
  // process starts dies with it, even after a kill -9 (common/child_guard.h).
  thor::StartChildGuard();
  return thor::RunCli(argc, argv, thor::BuildRegistry);
}
