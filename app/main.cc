#include "cli/cli.h"

int main(int argc, char** argv) { return thor::RunCli(argc, argv); }
