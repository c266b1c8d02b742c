#include "eval/targets.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thor::eval {
namespace {

struct Resolved {
  std::string address;  // "1.2.3.4:p" or "[::1]:p"
  bool v6 = false;
};

absl::StatusOr<Resolved> Resolve(const std::string& entry) {
  size_t colon = entry.rfind(':');
  if (colon == std::string::npos || colon + 1 == entry.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--servers entry '", entry, "' must be host:port"));
  }
  std::string host = entry.substr(0, colon);
  std::string port = entry.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot resolve server '", entry, "': ", gai_strerror(rc)));
  }
  // Prefer IPv4 (loopback names resolve to both).
  const addrinfo* pick = res;
  for (const addrinfo* a = res; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      pick = a;
      break;
    }
  }
  char text[INET6_ADDRSTRLEN] = {0};
  Resolved out;
  if (pick->ai_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(pick->ai_addr)->sin_addr, text,
              sizeof text);
    out.address = absl::StrCat(text, ":", port);
  } else {
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(pick->ai_addr)->sin6_addr, text,
              sizeof text);
    out.address = absl::StrCat("[", text, "]:", port);
    out.v6 = true;
  }
  freeaddrinfo(res);
  return out;
}

bool HasScheme(const std::string& s) {
  for (const char* scheme : {"dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:"}) {
    if (absl::StartsWith(s, scheme)) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> ServersToTarget(const std::vector<std::string>& servers) {
  if (servers.empty()) {
    return absl::InvalidArgumentError(
        "--servers is empty: give host:port[,host:port...], a dns:/// name, or in-process");
  }
  if (servers.size() == 1 && HasScheme(servers[0])) return servers[0];
  std::vector<std::string> addresses;
  int v6 = 0;
  for (const std::string& s : servers) {
    if (HasScheme(s)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--servers: '", s, "' has a scheme; a URI must be the only entry"));
    }
    absl::StatusOr<Resolved> r = Resolve(s);
    if (!r.ok()) return r.status();
    v6 += r->v6;
    addresses.push_back(r->address);
  }
  if (v6 != 0 && v6 != static_cast<int>(addresses.size())) {
    return absl::InvalidArgumentError(
        "--servers mixes IPv4 and IPv6 addresses; gRPC needs one family per channel");
  }
  return absl::StrCat(v6 ? "ipv6:" : "ipv4:", absl::StrJoin(addresses, ","));
}

std::shared_ptr<grpc::Channel> CreateBalancedChannel(
    const std::string& target, std::shared_ptr<grpc::ChannelCredentials> credentials,
    const std::string& tls_server_name) {
  grpc::ChannelArguments args;
  if (!tls_server_name.empty()) args.SetSslTargetNameOverride(tls_server_name);
  args.SetServiceConfigJSON(R"({"loadBalancingConfig": [{"round_robin": {}}]})");
  args.SetMaxReceiveMessageSize(64 << 20);
  // Reconnect to a restarted server quickly.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return grpc::CreateCustomChannel(
      target, credentials ? credentials : grpc::InsecureChannelCredentials(), args);
}

}  // namespace thor::eval
