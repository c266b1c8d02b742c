#include "tests/testing/certs.h"

#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "tests/testing/paths.h"

namespace thor::testing {

absl::StatusOr<CertFiles> MakeSelfSignedCert() {
  const std::string dir = MakeTempDir();
  CertFiles files{dir + "/cert.pem", dir + "/key.pem"};
  SubprocessOptions o;
  o.argv = {"openssl",  "req",           "-x509",   "-newkey",
            "rsa:2048", "-nodes",        "-keyout", files.key,
            "-out",     files.cert,      "-days",   "1",
            "-subj",    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"};
  absl::StatusOr<RunResult> run = RunSubprocess(o, "", absl::Seconds(60));
  if (!run.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(run.status().message(), " (install openssl: apt-get install openssl)"));
  }
  if (run->exit_code != 0) {
    return absl::InternalError(absl::StrCat("openssl req failed: ", run->err));
  }
  return files;
}

}  // namespace thor::testing
