// Self-signed certificates for TLS tests on loopback, made by the openssl
// command (Debian's openssl package, which scripts/bootstrap installs).
#ifndef THOR_TESTS_TESTING_CERTS_H_
#define THOR_TESTS_TESTING_CERTS_H_

#include <string>

#include "absl/status/statusor.h"

namespace thor::testing {

struct CertFiles {
  std::string cert;  // PEM certificate (also its own CA).
  std::string key;   // PEM private key.
};

// A new self-signed certificate for CN=localhost with the subject names
// localhost and 127.0.0.1, valid for a day, in a fresh temporary directory.
// An error says how to install openssl when it is missing.
absl::StatusOr<CertFiles> MakeSelfSignedCert();

}  // namespace thor::testing

#endif  // THOR_TESTS_TESTING_CERTS_H_
