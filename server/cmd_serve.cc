#include <csignal>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "server/commands.h"
#include "server/grpc_server.h"
#include "server/service.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to listen on; host:0 picks a free port (printed on start).");

namespace thor {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int RunServe(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "thor serve: unexpected argument '" << args[0] << "'\n";
    return 2;
  }
  ProofSearchService service;
  GrpcServerOptions options;
  options.address = absl::GetFlag(FLAGS_listen);
  auto running = StartGrpcServer(options, {&service});
  if (!running.ok()) {
    std::cerr << "thor serve: " << running.status().message() << "\n";
    return 1;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::cout << "thor serve: listening on port " << running->port << std::endl;
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::cout << "thor serve: shutting down" << std::endl;
  running->server->Shutdown();
  return 0;
}

}  // namespace

Subcommand ServeCommand() {
  return {"serve",
          "thor serve [--listen=HOST:PORT]",
          "Run the thor.v1.ProofSearch gRPC server (with grpc.health.v1 and reflection).",
          "Listens on loopback by default. SIGTERM or SIGINT stops it gracefully.",
          {"listen"},
          RunServe};
}

}  // namespace thor
