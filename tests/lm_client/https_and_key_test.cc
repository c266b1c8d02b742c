// Hosted OpenAI-compatible APIs: https with the server's certificate checked
// against a CA file (a self-signed certificate made here, served by the
// fake model server on loopback), and the API key from a file or an
// environment variable, sent as a bearer token and never quoted in errors.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lm_client/api_key.h"
#include "lm_client/openai_policy.h"
#include "tests/lm_client/fake_model_server.h"
#include "tests/testing/certs.h"
#include "tests/testing/paths.h"

namespace thor {
namespace {

using testing::FakeModelServer;
using testing::FakeTls;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kKey[] = "sk-thor-secret-0123456789";

std::string WriteKeyFile(const std::string& content, mode_t mode) {
  const std::string path = testing::MakeTempDir() + "/key";
  std::ofstream(path) << content;
  EXPECT_EQ(chmod(path.c_str(), mode), 0);
  return path;
}

PolicyOptions Options(const std::string& url) {
  PolicyOptions o;
  o.base_url = url;
  o.model = "gpt-test";
  o.api_key_env = "";
  o.http.retries = 0;
  return o;
}

PolicyQuery Query() {
  PolicyQuery q;
  q.state_text = "goal: x = x";
  q.n = 2;
  return q;
}

class HttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::CertFiles> cert = testing::MakeSelfSignedCert();
    ASSERT_TRUE(cert.ok()) << cert.status();
    cert_ = *cert;
    server_ = std::make_unique<FakeModelServer>(FakeTls{cert_.cert, cert_.key});
  }
  testing::CertFiles cert_;
  std::unique_ptr<FakeModelServer> server_;
};

TEST_F(HttpsTest, VerifiedAgainstTheCaFileWithTheKeyAsBearerToken) {
  PolicyOptions o = Options(server_->base_url() + "/v1");
  ASSERT_THAT(o.base_url, ::testing::StartsWith("https://"));
  o.http.ca_file = cert_.cert;
  o.api_key_file = WriteKeyFile(absl::StrCat(kKey, "\n"), 0600);
  auto policy = OpenAiPolicy::Create(o, /*chat=*/true);
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto got = (*policy)->Propose(Query(), absl::Seconds(10));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(got->empty());
  const auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/v1/chat/completions");
  EXPECT_EQ(requests[0].authorization, absl::StrCat("Bearer ", kKey));
}

TEST_F(HttpsTest, AWrongCertificateIsUnavailableSayingSoWithoutTheKey) {
  absl::StatusOr<testing::CertFiles> other = testing::MakeSelfSignedCert();
  ASSERT_TRUE(other.ok()) << other.status();
  setenv("THOR_TEST_HOSTED_KEY", kKey, 1);
  PolicyOptions o = Options(server_->base_url());
  o.api_key_env = "THOR_TEST_HOSTED_KEY";
  o.http.retries = 2;  // Not used: a certificate does not change on retry.
  for (const std::string& ca : {other->cert, std::string()}) {
    o.http.ca_file = ca;  // Another CA, then the system's (which never signed it).
    auto policy = OpenAiPolicy::Create(o, false);
    ASSERT_TRUE(policy.ok()) << policy.status();
    auto got = (*policy)->Propose(Query(), absl::Seconds(10));
    ASSERT_EQ(got.status().code(), absl::StatusCode::kUnavailable) << got.status();
    EXPECT_THAT(got.status().message(), HasSubstr("certificate did not verify"));
    EXPECT_THAT(got.status().message(), HasSubstr(server_->base_url()));
    EXPECT_THAT(got.status().message(), Not(HasSubstr(kKey)));
  }
  EXPECT_TRUE(server_->requests().empty());  // Nothing was sent: no key left the client.
  unsetenv("THOR_TEST_HOSTED_KEY");
}

TEST_F(HttpsTest, CaFileErrorsShowAtCreation) {
  PolicyOptions o = Options(server_->base_url());
  o.http.ca_file = testing::MakeTempDir() + "/missing.pem";
  auto missing = OpenAiPolicy::Create(o, false);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing.pem"));
  o.http.ca_file = cert_.key;  // A key, not a certificate.
  EXPECT_EQ(OpenAiPolicy::Create(o, false).status().code(), absl::StatusCode::kInvalidArgument);
  o = Options("http://127.0.0.1:8000");
  o.http.ca_file = cert_.cert;  // A CA file for plain http is a mistake.
  auto plain = OpenAiPolicy::Create(o, false);
  EXPECT_EQ(plain.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(plain.status().message(), HasSubstr("not https"));
}

TEST(ApiKeyTest, FromAFileOnlyItsOwnerCanRead) {
  auto key = ReadApiKeyFile(WriteKeyFile(absl::StrCat("  ", kKey, "  \nignored\n"), 0600));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, kKey);
  const std::string open = WriteKeyFile(kKey, 0644);
  auto refused = ReadApiKeyFile(open);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("chmod 600"));
  EXPECT_THAT(refused.status().message(), HasSubstr("0644"));
  EXPECT_THAT(refused.status().message(), Not(HasSubstr(kKey)));
  EXPECT_EQ(ReadApiKeyFile(WriteKeyFile("\n", 0600)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadApiKeyFile(testing::MakeTempDir() + "/none").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadApiKeyFile(testing::MakeTempDir()).status().code(),
            absl::StatusCode::kInvalidArgument);  // A directory.
}

TEST(ApiKeyTest, FileBeforeEnvironmentVariableBeforeNone) {
  setenv("THOR_TEST_KEY_VAR", "from-env", 1);
  PolicyOptions o;
  o.api_key_env = "THOR_TEST_KEY_VAR";
  EXPECT_EQ(*ApiKey(o), "from-env");
  o.api_key_file = WriteKeyFile("from-file", 0600);
  EXPECT_EQ(*ApiKey(o), "from-file");
  o.api_key_file.clear();
  unsetenv("THOR_TEST_KEY_VAR");
  EXPECT_EQ(*ApiKey(o), "");  // A local server needs no key.
}

TEST(BaseUrlTest, HttpsAndMalformedUrls) {
  auto https = ParseBaseUrl("https://api.example.com/v1/");
  ASSERT_TRUE(https.ok()) << https.status();
  EXPECT_TRUE(https->https);
  EXPECT_EQ(https->scheme_host_port, "https://api.example.com");
  EXPECT_EQ(https->prefix, "/v1");
  for (const char* bad : {"localhost:8000", "ftp://h/v1", "http://", "http://:80", "http://h:99999",
                          "http://h:8a", "https://user:pw@h/v1", "http://h /v1"}) {
    EXPECT_EQ(ParseBaseUrl(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // Credentials in a URL are refused without being quoted.
  EXPECT_THAT(ParseBaseUrl("https://user:sk-in-url@h/v1").status().message(),
              Not(HasSubstr("sk-in-url")));
}

}  // namespace
}  // namespace thor
