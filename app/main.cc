// The `thor` binary: the command line (cli/) with the real provers and
// policies (app/wiring.h) for the servers it serves or runs in-process.
#include "app/wiring.h"
#include "cli/cli.h"

int main(int argc, char** argv) { return thor::RunCli(argc, argv, thor::BuildRegistry); }
