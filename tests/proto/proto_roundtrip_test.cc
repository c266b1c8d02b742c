#include <gtest/gtest.h>

#include "proto/pisa/server.pb.h"
#include "proto/thor/v1/thor.pb.h"

namespace thor {
namespace {

TEST(ThorProtoTest, ProveRequestRoundTrips) {
  v1::ProveRequest req;
  req.mutable_theorem()->set_prover("coq");
  req.mutable_theorem()->set_statement("Lemma x : 1 + 1 = 2.");
  req.mutable_theorem()->add_imports("From Coq Require Import Lia.");
  req.mutable_config()->set_queue_size(16);
  req.mutable_config()->set_temperature(0.7);
  req.set_include_trace(true);
  std::string wire;
  ASSERT_TRUE(req.SerializeToString(&wire));
  v1::ProveRequest back;
  ASSERT_TRUE(back.ParseFromString(wire));
  EXPECT_EQ(back.theorem().prover(), "coq");
  EXPECT_EQ(back.theorem().imports(0), "From Coq Require Import Lia.");
  EXPECT_EQ(back.config().queue_size(), 16u);
  EXPECT_TRUE(back.config().has_queue_size());
  EXPECT_FALSE(back.config().has_max_model_queries());  // Unset: server default.
  EXPECT_TRUE(back.include_trace());
}

TEST(ThorProtoTest, SearchEventOneofRoundTrips) {
  v1::SearchEvent ev;
  ev.set_t_s(1.5);
  v1::ProveResult* r = ev.mutable_finished();
  r->set_status(v1::PROVED);
  r->set_recheck(v1::RECHECK_PASSED);
  auto* step = r->mutable_proof()->add_steps();
  step->set_text("sauto use: app_length.");
  step->set_from_hammer(true);
  r->mutable_stats()->set_hammer_calls(1);
  std::string wire = ev.SerializeAsString();
  v1::SearchEvent back;
  ASSERT_TRUE(back.ParseFromString(wire));
  ASSERT_EQ(back.event_case(), v1::SearchEvent::kFinished);
  EXPECT_EQ(back.finished().status(), v1::PROVED);
  EXPECT_TRUE(back.finished().proof().steps(0).from_hammer());
  EXPECT_EQ(back.finished().stats().hammer_calls(), 1u);
}

TEST(PisaProtoTest, FieldNumbersMatchPisa) {
  // PISA's IsaSearchIndexCommand is { int32 index = 1; string command = 2; }:
  // field 1 varint 7 is 0x08 0x07; field 2 bytes "x" is 0x12 0x01 'x'.
  server::IsaSearchIndexCommand c;
  c.set_index(7);
  c.set_command("x");
  EXPECT_EQ(c.SerializeAsString(), std::string("\x08\x07\x12\x01x", 5));
  server::IsaCommand cmd;
  cmd.set_command("<is finished> default");
  server::IsaCommand back;
  ASSERT_TRUE(back.ParseFromString(cmd.SerializeAsString()));
  EXPECT_EQ(back.command(), "<is finished> default");
  EXPECT_EQ(server::IsaState::descriptor()->full_name(), "server.IsaState");
  const auto* service = server::IsaState::descriptor()->file()->FindServiceByName("Server");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->full_name(), "server.Server");
  EXPECT_EQ(service->method_count(), 6);
  EXPECT_NE(service->FindMethodByName("IsabelleCommand"), nullptr);
}

}  // namespace
}  // namespace thor
