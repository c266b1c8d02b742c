// The JSON configuration file and the Prometheus endpoint.
#include <httplib.h>

#include <cstdint>
#include <ctime>

#include <gtest/gtest.h>

#include "server/config.h"
#include "server/convert.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/paths.h"

namespace thor::testing {
namespace {

TEST(ConfigTest, ReadsEverySectionOverDefaults) {
  auto c = ParseServerConfig(R"({
    "listen": "127.0.0.1:6000", "metrics_listen": "127.0.0.1:0", "default_policy": "fixed",
    "admission": {"max_concurrent": 3, "max_queued": 0, "retry_after_s": 2.5},
    "clamps": {"max_wall_time_s": 60, "max_model_queries": 10},
    "search_defaults": {"queue_size": 8, "wall_time_s": 30},
    "policies": {"local": {"kind": "openai", "base_url": "http://127.0.0.1:8000"}},
    "provers": {"isabelle": {"pisa": "127.0.0.1:9000"}, "coq": {"enabled": false}}
  })");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "127.0.0.1:6000");
  EXPECT_EQ(c->admission.max_concurrent, 3);
  EXPECT_EQ(c->admission.max_queued, 0);
  EXPECT_EQ(c->admission.retry_after, absl::Milliseconds(2500));
  EXPECT_EQ(c->clamps.max_wall_time, absl::Seconds(60));
  EXPECT_EQ(c->clamps.max_step_timeout, BudgetClamps().max_step_timeout);  // Untouched.
  EXPECT_EQ(c->search_defaults.queue_size, 8);
  EXPECT_EQ(c->policies.at("local").kind, "openai");
  EXPECT_NE(c->policies.at("local").options.find("base_url"), std::string::npos);
  EXPECT_FALSE(c->provers.at("coq").enabled);
  EXPECT_TRUE(c->provers.at("isabelle").enabled);
}

TEST(ConfigTest, ErrorsNameTheKey) {
  auto typo = ParseServerConfig(R"({"admission": {"max_concurent": 3}})");
  EXPECT_EQ(typo.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(typo.status().message().find("config.admission.max_concurent: unknown key"),
            std::string::npos)
      << typo.status();
  auto type = ParseServerConfig(R"({"clamps": {"max_wall_time_s": "long"}})");
  EXPECT_NE(type.status().message().find("config.clamps.max_wall_time_s: must be a number"),
            std::string::npos)
      << type.status();
  auto policy = ParseServerConfig(R"({"policies": {"x": {"url": "y"}}})");
  EXPECT_NE(policy.status().message().find("config.policies.x"), std::string::npos);
  EXPECT_EQ(ParseServerConfig("{not json").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadServerConfig("/no/such/file.json").status().code(), absl::StatusCode::kNotFound);
}

TEST(ConfigTest, TheSystemdExampleConfigIsValid) {
  auto c = LoadServerConfig(SourceDir() + "/deploy/systemd/server.json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "0.0.0.0:50051");
  EXPECT_EQ(c->drain_timeout, absl::Seconds(30));
  EXPECT_FALSE(c->provers.at("isabelle").enabled);
  // Off loopback with TLS files but no token: refused until a token is given.
  EXPECT_FALSE(CheckSecurity(*c).ok());
  c->auth_token = "t";
  EXPECT_TRUE(CheckSecurity(*c).ok());
}

TEST(ConfigTest, RequestBudgetsAreClampedByTheServer) {
  ServerConfig server;
  server.clamps.max_wall_time = absl::Seconds(60);
  server.clamps.max_model_queries = 10;
  v1::SearchConfig req;
  req.set_wall_time_s(1e6);
  req.set_max_model_queries(5000);
  req.set_queue_size(4);
  auto c = SearchConfigFromProto(req, server, "config");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->wall_time, absl::Seconds(60));
  EXPECT_EQ(c->max_model_queries, 10);
  EXPECT_EQ(c->queue_size, 4);
  EXPECT_EQ(c->temperature, 1.2);            // Unset: the paper's default.
  EXPECT_EQ(c->step_timeout, absl::Seconds(10));
}

TEST(ConfigTest, SeedAndReproducibleModeReachTheSearchAndComeBack) {
  ServerConfig server;
  v1::SearchConfig req;
  auto plain = SearchConfigFromProto(req, server, "config");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->reproducible);  // Off unless asked for.
  req.set_seed(42);
  req.set_reproducible(true);
  auto c = SearchConfigFromProto(req, server, "config");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->seed, 42u);
  EXPECT_TRUE(c->reproducible);
  v1::SearchConfig back;
  SearchConfigToProto(*c, &back);
  EXPECT_EQ(back.seed(), 42u);
  EXPECT_TRUE(back.reproducible());
}

TEST(ConfigTest, TheRootsHammerPlaceReachesTheSearchAndComesBack) {
  ServerConfig server;
  v1::SearchConfig req;
  auto plain = SearchConfigFromProto(req, server, "config");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->root_hammer_place, -1);  // Unset: the policy's order.
  req.set_root_hammer_place(0);  // Zero is a place: the hammer first.
  auto c = SearchConfigFromProto(req, server, "config");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->root_hammer_place, 0);
  v1::SearchConfig back;
  SearchConfigToProto(*c, &back);
  ASSERT_TRUE(back.has_root_hammer_place());
  EXPECT_EQ(back.root_hammer_place(), 0);
  req.set_root_hammer_place(-5);  // Any negative: the policy's order.
  auto off = SearchConfigFromProto(req, server, "config");
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->root_hammer_place, -1);
  req.set_root_hammer_place(2'000'000'000);
  auto huge = SearchConfigFromProto(req, server, "config");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("root_hammer_place"), std::string::npos)
      << huge.status();
  // A server's search defaults set it too; the requests' unset field takes it.
  auto parsed = ParseServerConfig(R"({"search_defaults": {"root_hammer_place": -1}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->search_defaults.root_hammer_place, -1);
  auto from_server = SearchConfigFromProto(v1::SearchConfig(), *parsed, "config");
  ASSERT_TRUE(from_server.ok()) << from_server.status();
  EXPECT_EQ(from_server->root_hammer_place, -1);
}

TEST(MetricsTest, EndpointReportsRpcsStepsAndChildren) {
  ServerConfig config;
  config.metrics_listen = "127.0.0.1:0";
  auto t = TestServer::Start(config);
  ASSERT_NE(t, nullptr);
  ASSERT_GT(t->server->metrics_port(), 0);
  v1::HammerRequest req;
  *req.mutable_state()->mutable_theorem() = FakeTheorem();
  v1::HammerResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  ASSERT_TRUE(t->stub->Hammer(ctx.get(), req, &resp).ok());
  v1::CheckProofRequest bad;  // INVALID_ARGUMENT
  v1::CheckProofResponse bad_resp;
  auto ctx2 = ContextWithTimeout(absl::Seconds(20));
  t->stub->CheckProof(ctx2.get(), bad, &bad_resp);

  // process_cpu_seconds_total counts clock ticks (10 ms): a test process
  // this young may not have one yet, so it spends 50 ms of CPU first.
  const std::clock_t until = std::clock() + CLOCKS_PER_SEC / 20;
  for (volatile uint64_t spin = 0; std::clock() < until;) spin = spin + 1;
  httplib::Client http("127.0.0.1", t->server->metrics_port());
  auto res = http.Get("/metrics");
  ASSERT_TRUE(res) << "no answer from the metrics endpoint";
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_NE(body.find(R"(thor_rpcs_total{code="OK",method="Hammer"} 1)"), std::string::npos)
      << body;
  EXPECT_NE(body.find(R"(thor_rpcs_total{code="INVALID_ARGUMENT",method="CheckProof"} 1)"),
            std::string::npos);
  EXPECT_NE(body.find(R"(thor_hammer_calls_total{outcome="proved",prover="coq"} 1)"),
            std::string::npos);
  EXPECT_NE(body.find("thor_children_alive 0"), std::string::npos);
  EXPECT_NE(body.find("thor_rpc_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(body.find(R"(thor_requests{state="running"} 0)"), std::string::npos);
  // One vocabulary for outcomes: no "success"/"failure" beside "proved".
  EXPECT_EQ(body.find(R"(outcome="success")"), std::string::npos);
  // The process's own resources, as Prometheus' standard process_* names.
  for (const char* name : {"process_resident_memory_bytes", "process_virtual_memory_bytes",
                           "process_cpu_seconds_total", "process_open_fds", "process_max_fds",
                           "process_start_time_seconds", "process_threads"}) {
    const size_t at = body.find(std::string("\n") + name + " ");
    ASSERT_NE(at, std::string::npos) << name << " missing:\n" << body;
    const double value = std::stod(body.substr(at + 2 + std::string(name).size()));
    EXPECT_GT(value, 0) << name;
  }
}

}  // namespace
}  // namespace thor::testing
