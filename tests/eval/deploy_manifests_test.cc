// Offline checks of deploy/kubernetes/ (no cluster here): every manifest
// parses as YAML (python3-yaml), the pieces refer to each other (kustomization
// resources, Service selector and ports, probes, the Job's dns:/// name), the
// ConfigMap's server.json is a configuration `thor serve` accepts, and every
// flag the containers pass is one `thor serve` / `thor eval` accepts.
// Not checked: that a cluster accepts the objects (no kubectl / API server),
// the image, the Secret and the benchmarks volume (not in the manifests).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "server/config.h"
#include "tests/eval/eval_testing.h"
#include "tests/testing/paths.h"

namespace thor::testing {
namespace {

using json = nlohmann::json;

constexpr char kToJson[] = R"(
import json, sys, yaml
out = {}
for path in sys.argv[1:]:
    with open(path) as f:
        out[path.rsplit("/", 1)[-1]] = [d for d in yaml.safe_load_all(f) if d is not None]
print(json.dumps(out))
)";

class DeployManifestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = SourceDir() + "/deploy/kubernetes";
    ASSERT_TRUE(std::ifstream(dir_ + "/kustomization.yaml").good()) << dir_;
    // Debian's python3, which scripts/bootstrap gives python3-yaml, rather
    // than whichever python3 comes first on PATH.
    const std::string python =
        FindProgram("/usr/bin/python3").empty() ? "python3" : "/usr/bin/python3";
    SubprocessOptions probe;
    probe.argv = {python, "-c", "import yaml"};
    auto has_yaml = RunSubprocess(probe, "", absl::Seconds(30));
    ASSERT_TRUE(has_yaml.ok() && has_yaml->exit_code == 0)
        << python << " has no yaml module: install it with `apt-get install python3-yaml` "
        << "(scripts/bootstrap does)";
    SubprocessOptions opts;
    opts.argv = {python, "-c", kToJson};
    for (const char* f : {"kustomization.yaml", "namespace.yaml", "serve-deployment.yaml",
                          "serve-service.yaml", "eval-job.yaml"}) {
      opts.argv.push_back(dir_ + "/" + f);
    }
    auto r = RunSubprocess(opts, "", absl::Seconds(30));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->exit_code, 0) << "a manifest does not parse as YAML:\n" << r->err;
    docs_ = json::parse(r->out);
  }

  // The one object of `kind` (named `name` if given) in `file`.
  json Find(const std::string& file, const std::string& kind, const std::string& name = "") {
    for (const json& d : docs_[file]) {
      if (d.value("kind", "") == kind &&
          (name.empty() || d["metadata"].value("name", "") == name)) {
        return d;
      }
    }
    ADD_FAILURE() << "no " << kind << " " << name << " in " << file;
    return json::object();
  }

  // Flags `thor <command> --help` lists.
  static std::set<std::string> HelpFlags(const std::string& command) {
    SubprocessOptions opts;
    opts.argv = {ThorBinary(), command, "--help"};
    auto r = RunSubprocess(opts, "", absl::Seconds(30));
    std::set<std::string> flags;
    if (!r.ok()) return flags;
    std::istringstream in(r->out + r->err);
    for (std::string line; std::getline(in, line);) {
      if (absl::StartsWith(line, "  --")) flags.insert(line.substr(4, line.find(' ', 4) - 4));
    }
    return flags;
  }

  static std::string FlagValue(const json& args, const std::string& flag) {
    for (const json& a : args) {
      const std::string s = a.get<std::string>();
      if (absl::StartsWith(s, flag + "=")) return s.substr(flag.size() + 1);
    }
    return "";
  }

  std::string dir_;
  json docs_;
};

TEST_F(DeployManifestsTest, KustomizationListsEveryManifest) {
  json k = Find("kustomization.yaml", "Kustomization");
  std::set<std::string> resources(k["resources"].begin(), k["resources"].end());
  EXPECT_EQ(resources, (std::set<std::string>{"namespace.yaml", "serve-deployment.yaml",
                                               "serve-service.yaml", "eval-job.yaml"}));
  EXPECT_EQ(Find("namespace.yaml", "Namespace")["metadata"]["name"], "thor");
}

TEST_F(DeployManifestsTest, ServiceProbesAndJobAgreeOnNamesAndPorts) {
  json dep = Find("serve-deployment.yaml", "Deployment", "thor-serve");
  json svc = Find("serve-service.yaml", "Service", "thor-serve");
  json job = Find("eval-job.yaml", "Job");
  const json& pod = dep["spec"]["template"];
  const json& c = pod["spec"]["containers"][0];
  // Headless, selecting the Deployment's pods, on the port thor serve listens on.
  EXPECT_EQ(svc["spec"]["clusterIP"], "None");
  for (const auto& item : svc["spec"]["selector"].items()) {
    EXPECT_EQ(pod["metadata"]["labels"][item.key()], item.value()) << item.key();
  }
  const std::string listen = FlagValue(c["args"], "--listen");
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(listen.substr(listen.rfind(':') + 1), &port)) << listen;
  EXPECT_EQ(c["ports"][0]["containerPort"], port);
  EXPECT_EQ(svc["spec"]["ports"][0]["targetPort"], c["ports"][0]["name"]);
  EXPECT_EQ(c["readinessProbe"]["grpc"]["port"], port);
  EXPECT_EQ(c["livenessProbe"]["grpc"]["port"], port);
  // The Job reaches every replica through the headless Service's DNS name.
  const json& eval_pod = job["spec"]["template"]["spec"];
  const json& eval = eval_pod["containers"][0];
  EXPECT_EQ(FlagValue(eval["args"], "--servers"),
            absl::StrCat("dns:///", svc["metadata"]["name"].get<std::string>(), ".",
                         svc["metadata"]["namespace"].get<std::string>(),
                         ".svc.cluster.local:", svc["spec"]["ports"][0]["port"].get<int>()));
  // Volumes the containers mount are declared.
  for (const json* spec : std::vector<const json*>{&pod["spec"], &eval_pod}) {
    std::set<std::string> volumes;
    for (const json& v : (*spec)["volumes"]) volumes.insert(v["name"]);
    for (const json& m : (*spec)["containers"][0]["volumeMounts"]) {
      EXPECT_TRUE(volumes.count(m["name"])) << m.dump();
    }
  }
}

TEST_F(DeployManifestsTest, ArgsAndConfigAreWhatThorAccepts) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  json dep = Find("serve-deployment.yaml", "Deployment", "thor-serve");
  json job = Find("eval-job.yaml", "Job");
  const json& serve = dep["spec"]["template"]["spec"]["containers"][0];
  const json& eval = job["spec"]["template"]["spec"]["containers"][0];
  for (const auto& [container, command] :
       std::vector<std::pair<const json*, std::string>>{{&serve, "serve"}, {&eval, "eval"}}) {
    const json& args = (*container)["args"];
    ASSERT_GE(args.size(), 1u);
    EXPECT_EQ(args[0], command);
    const std::set<std::string> known = HelpFlags(command);
    ASSERT_GT(known.size(), 5u) << "could not read thor " << command << " --help";
    for (size_t i = 1; i < args.size(); ++i) {
      std::string a = args[i];
      ASSERT_TRUE(absl::StartsWith(a, "--")) << a;
      EXPECT_TRUE(known.count(a.substr(2, a.find('=') - 2))) << "thor " << command << ": " << a;
    }
  }
  // The ConfigMap's server.json: a configuration thor serve accepts, off
  // loopback with TLS, and (with the token the Deployment passes) secure.
  json cm = Find("serve-deployment.yaml", "ConfigMap", "thor-serve-config");
  const std::string path = FlagValue(serve["args"], "--config");
  ASSERT_EQ(path.substr(0, path.rfind('/')), serve["volumeMounts"][0]["mountPath"]);
  auto config = ParseServerConfig(cm["data"][path.substr(path.rfind('/') + 1)]);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen, FlagValue(serve["args"], "--listen"));
  EXPECT_FALSE(IsLoopbackAddress(config->listen));
  EXPECT_FALSE(config->tls_cert_file.empty());
  EXPECT_FALSE(FlagValue(serve["args"], "--auth_token_file").empty());
  config->auth_token = "token from --auth_token_file";
  EXPECT_TRUE(CheckSecurity(*config).ok()) << CheckSecurity(*config);
}

}  // namespace
}  // namespace thor::testing
