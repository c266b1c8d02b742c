// The fake PISA server as a program, for tests of other components:
//   fake_pisa_server --port 8000 [--world world.json]
// Prints PISA's "Server is running. Press Ctrl-C to stop." once it listens.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tests/isabelle_bridge/fake_pisa_service.h"

ABSL_FLAG(int, port, 8000, "Port to listen on (127.0.0.1); 0 picks one and prints it.");
ABSL_FLAG(std::string, world, "", "Scripted world (JSON, see fake_pisa_world.h); default built in.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace thor::isabelle::fake;
  FakeWorld world = DefaultFakeWorld();
  if (!absl::GetFlag(FLAGS_world).empty()) {
    std::ifstream in(absl::GetFlag(FLAGS_world));
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<FakeWorld> parsed = ParseFakeWorld(text.str());
    if (!in || !parsed.ok()) {
      std::fprintf(stderr, "fake_pisa_server: cannot load world %s: %s\n",
                   absl::GetFlag(FLAGS_world).c_str(),
                   in ? std::string(parsed.status().message()).c_str() : "unreadable");
      return 2;
    }
    world = *std::move(parsed);
  }
  absl::StatusOr<RunningFakePisa> running = StartFakePisa(std::move(world), absl::GetFlag(FLAGS_port));
  if (!running.ok()) {
    std::fprintf(stderr, "fake_pisa_server: %s\n", std::string(running.status().message()).c_str());
    return 1;
  }
  std::printf("Listening on port %d\nServer is running. Press Ctrl-C to stop.\n", running->port);
  std::fflush(stdout);
  running->server->Wait();
  return 0;
}
