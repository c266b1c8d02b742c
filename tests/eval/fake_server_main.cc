// A standalone fake ProofSearch server (see fake_server.h) for tests and
// bench/eval_scale: several run as separate processes. Prints "PORT <n>" on
// stdout once it serves, then serves until killed.
#include <unistd.h>

#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "server/grpc_server.h"
#include "tests/eval/fake_server.h"

ABSL_FLAG(int, port, 0, "Port on 127.0.0.1; 0 picks a free one");
ABSL_FLAG(std::string, name, "fake", "Prefix of search ids");
ABSL_FLAG(int, latency_ms, 0, "Simulated time of each search");
ABSL_FLAG(int, capacity, 0, "Searches at once (more wait); 0: unlimited");
ABSL_FLAG(int, solve_percent, 50, "Share of theorems solved without a directive");
ABSL_FLAG(int, die_after, 0, "Exit abruptly when call number N starts (0: never)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  thor::testing::FakeServerOptions options;
  options.name = absl::GetFlag(FLAGS_name);
  options.latency_ms = absl::GetFlag(FLAGS_latency_ms);
  options.capacity = absl::GetFlag(FLAGS_capacity);
  options.solve_percent = absl::GetFlag(FLAGS_solve_percent);
  if (int die_after = absl::GetFlag(FLAGS_die_after); die_after > 0) {
    options.on_call = [die_after](int n) {
      if (n >= die_after) _exit(17);  // A crash: no goodbye to clients.
    };
  }
  thor::testing::FakeProofSearch service(options);
  thor::GrpcServerOptions server_options;
  server_options.address = absl::StrCat("127.0.0.1:", absl::GetFlag(FLAGS_port));
  auto running = thor::StartGrpcServer(server_options, {&service});
  if (!running.ok()) {
    std::fprintf(stderr, "fake_server: %s\n", std::string(running.status().message()).c_str());
    return 1;
  }
  std::printf("PORT %d\n", running->port);
  std::fflush(stdout);
  running->server->Wait();
  return 0;
}
