#include "cli/tls_flags.h"

#include "absl/flags/flag.h"
#include "cli/flag_groups.h"

ABSL_FLAG(std::string, tls_ca, "", "PEM root certificates: connect with TLS.");
ABSL_FLAG(std::string, tls_server_name, "", "Name expected in the server's certificate.");

namespace thor {

const char* const kTlsFlags = __FILE__;

ClientOptions ClientTlsFromFlags() {
  ClientOptions options;
  options.tls_ca_file = absl::GetFlag(FLAGS_tls_ca);
  options.tls_server_name = absl::GetFlag(FLAGS_tls_server_name);
  return options;
}

}  // namespace thor
