#include "tests/soundness/attack_rig.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "app/wiring.h"
#include "server/config.h"
#include "server/log.h"
#include "tests/testing/paths.h"

namespace thor::testing {
namespace {

std::unique_ptr<grpc::ClientContext> Deadline(absl::Duration timeout) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return c;
}

Outcome Failed(const grpc::Status& s) {
  Outcome o;
  o.rpc_ok = false;
  o.rpc_error = absl::StrCat("rpc error ", s.error_code(), ": ", s.error_message());
  o.verdict = o.rpc_error;
  o.everything = o.rpc_error;
  return o;
}

// The fake PISA world: any theorem starts at one goal; every scripted step
// closes it; anything else is Isabelle's "Failed to apply" error.
std::string IsabelleWorldJson() {
  nlohmann::json transitions = nlohmann::json::array();
  for (const std::string& step : IsabelleScriptedSteps()) {
    transitions.push_back({{"from", "*"}, {"step", step}, {"to", ""}});
  }
  nlohmann::json world = {
      {"version", "2022"},
      {"unknown_step_error", "Failed to apply initial proof method (line 1)"},
      {"theorems",
       {{{"match", ""},  // Every theorem.
         {"initial", "proof (prove)\ngoal (1 subgoal):\n 1. P"},
         {"transitions", transitions}}}}};
  return world.dump();
}

}  // namespace

std::vector<std::string> IsabelleScriptedSteps() {
  return {"sorry",
          "\\<proof>",
          "oops",
          "by sorry",
          "using [[quick_and_dirty]] sorry",
          "using [[quick_and_dirty=true]] \\<proof>",
          "ML_val \\<open>Thm.cterm_of\\<close>",
          "ML_prf \\<open>()\\<close>",
          "apply (tactic \\<open>Skip_Proof.cheat_tac \\<^context> 1\\<close>)",
          "by (tactic \\<open>Skip_Proof.cheat_tac \\<^context> 1\\<close>)",
          "lemma x: False sorry",
          "declare [[quick_and_dirty=true]]",
          "by (rule ax)",
          "by (rule FalseE) (rule ax)",
          "proof - show ?thesis sorry qed",
          "by simp"};
}

std::unique_ptr<AttackRig> AttackRig::Start(std::string* error) {
  SetLogStream(nullptr);
  std::unique_ptr<AttackRig> rig(new AttackRig());
  rig->scratch_ = MakeTempDir();
  rig->secret_file_ = rig->scratch_ + "/secret_notes.v";
  std::ofstream(rig->secret_file_) << "Check " << kSecretMarker << ".\n";
  rig->secret_theorem_file_ = rig->scratch_ + "/secret_theory.v";
  std::ofstream(rig->secret_theorem_file_)
      << "Check " << kSecretMarker << ".\nTheorem t : False.\n";

  rig->model_ = std::make_unique<FakeModelServer>();
  absl::StatusOr<isabelle::fake::FakeWorld> world =
      isabelle::fake::ParseFakeWorld(IsabelleWorldJson());
  if (!world.ok()) {
    *error = std::string(world.status().message());
    return nullptr;
  }
  absl::StatusOr<isabelle::fake::RunningFakePisa> pisa = isabelle::fake::StartFakePisa(*world);
  if (!pisa.ok()) {
    *error = std::string(pisa.status().message());
    return nullptr;
  }
  rig->pisa_ = *std::move(pisa);
  rig->isabelle_server_ =
      std::make_unique<isabelle::fake::FakeIsabelleServer>("pw", std::vector<std::string>{});
  if (!rig->isabelle_server_->Start()) {
    *error = "the fake isabelle server could not listen";
    return nullptr;
  }

  nlohmann::json config = {
      {"default_policy", "attack"},
      {"policies",
       {{"attack",
         {{"kind", "openai"}, {"base_url", rig->model_->base_url()}, {"model", "attacker"},
          {"retries", 0}}}}},
      {"provers",
       {{"coq", {{"warm_hammer", false}, {"max_idle_processes", 0}, {"spare_processes", 0}}},
        {"isabelle",
         {{"pisa", rig->pisa_.address()},
          {"isabelle_home", "/opt/Isabelle2022"},
          {"staging_dir", rig->scratch_ + "/isabelle_stage"},
          {"startup_timeout", "5s"},
          {"isabelle_server", absl::StrCat("127.0.0.1:", rig->isabelle_server_->port())},
          {"isabelle_server_password", "pw"}}}}}};
  rig->config_json_ = config.dump();
  absl::StatusOr<ServerConfig> parsed = ParseServerConfig(rig->config_json_);
  if (!parsed.ok()) {
    *error = absl::StrCat("config: ", parsed.status().message());
    return nullptr;
  }
  parsed->listen = "";  // In-process only.
  auto registry = BuildRegistry(*parsed);
  if (!registry.ok()) {
    *error = absl::StrCat("registry: ", registry.status().message());
    return nullptr;
  }
  auto server = ThorServer::Start(*parsed, *registry);
  if (!server.ok()) {
    *error = absl::StrCat("server: ", server.status().message());
    return nullptr;
  }
  rig->server_ = *std::move(server);
  rig->stub_ = v1::ProofSearch::NewStub(rig->server_->InProcessChannel());
  return rig;
}

AttackRig::~AttackRig() {
  stub_.reset();
  if (server_) server_->Shutdown(absl::Seconds(5));
  server_.reset();
  if (pisa_.server) pisa_.server->Shutdown();
  isabelle_server_.reset();
  model_.reset();
}

void AttackRig::ModelReturns(const std::vector<std::string>& steps) {
  FakeReply reply;
  reply.texts = steps;
  model_->SetDefault(reply);
}

std::string AttackRig::NewTargetDir(const std::string& label) {
  std::string dir = absl::StrCat(scratch_, "/target_", next_dir_++, "_", label);
  std::filesystem::create_directories(dir);
  return dir;
}

Outcome AttackRig::Prove(const v1::Theorem& theorem, int max_queries) {
  v1::ProveRequest req;
  *req.mutable_theorem() = theorem;
  v1::SearchConfig* c = req.mutable_config();
  c->set_policy("attack");
  c->set_sequential(true);
  c->set_max_model_queries(max_queries);
  c->set_samples_per_query(8);
  c->set_wall_time_s(40);
  c->set_step_timeout_s(5);
  c->set_hammer_timeout_s(3);
  auto ctx = Deadline(absl::Seconds(90));
  auto reader = stub_->Prove(ctx.get(), req);
  Outcome o;
  v1::SearchEvent e;
  while (reader->Read(&e)) {
    absl::StrAppend(&o.everything, e.ShortDebugString(), "\n");
    if (e.has_finished()) {
      const v1::ProveResult& r = e.finished();
      o.verdict = absl::StrCat(v1::SearchStatus_Name(r.status()), "/",
                               v1::RecheckVerdict_Name(r.recheck()), ": ", r.message());
      o.counted = r.status() == v1::PROVED || r.status() == v1::PROVED_UNCHECKED ||
                  r.recheck() == v1::RECHECK_PASSED;
    }
  }
  grpc::Status s = reader->Finish();
  if (!s.ok()) {
    Outcome f = Failed(s);
    f.everything += o.everything;
    return f;
  }
  o.rpc_ok = true;
  return o;
}

Outcome AttackRig::Suggest(const v1::Theorem& theorem, const std::vector<std::string>& steps,
                           bool try_steps) {
  v1::SuggestStepsRequest req;
  *req.mutable_theorem() = theorem;
  for (const std::string& s : steps) req.add_steps(s);
  req.set_n(8);
  req.set_policy("attack");
  req.set_try_steps(try_steps);
  req.set_step_timeout_s(5);
  v1::SuggestStepsResponse resp;
  auto ctx = Deadline(absl::Seconds(60));
  grpc::Status s = stub_->SuggestSteps(ctx.get(), req, &resp);
  if (!s.ok()) return Failed(s);
  Outcome o;
  o.rpc_ok = true;
  o.everything = resp.ShortDebugString();
  for (const v1::Suggestion& g : resp.suggestions()) {
    absl::StrAppend(&o.verdict, g.step(), " -> ",
                    v1::StepOutcome::Kind_Name(g.outcome().kind()), "; ");
    if (g.outcome().kind() == v1::StepOutcome::PROOF_FINISHED) o.counted = true;
  }
  return o;
}

namespace {
Outcome FromCheck(v1::ProofSearch::Stub& stub, const v1::CheckProofRequest& req) {
  v1::CheckProofResponse resp;
  auto ctx = Deadline(absl::Seconds(60));
  grpc::Status s = stub.CheckProof(ctx.get(), req, &resp);
  if (!s.ok()) return Failed(s);
  Outcome o;
  o.rpc_ok = true;
  o.everything = resp.ShortDebugString();
  o.verdict = absl::StrCat(v1::RecheckVerdict_Name(resp.verdict()), ": ", resp.message());
  o.counted = resp.verdict() == v1::RECHECK_PASSED;
  return o;
}
}  // namespace

Outcome AttackRig::CheckSteps(const v1::Theorem& theorem, const std::vector<std::string>& steps) {
  v1::CheckProofRequest req;
  *req.mutable_theorem() = theorem;
  for (const std::string& s : steps) req.add_steps(s);
  req.set_timeout_s(30);
  return FromCheck(*stub_, req);
}

Outcome AttackRig::CheckText(const v1::Theorem& theorem, const std::string& proof_text) {
  v1::CheckProofRequest req;
  *req.mutable_theorem() = theorem;
  req.set_proof_text(proof_text);
  req.set_timeout_s(30);
  return FromCheck(*stub_, req);
}

Outcome AttackRig::HammerState(const v1::Theorem& theorem, const std::vector<std::string>& steps) {
  v1::HammerRequest req;
  *req.mutable_state()->mutable_theorem() = theorem;
  for (const std::string& s : steps) req.mutable_state()->add_steps(s);
  req.set_timeout_s(3);
  v1::HammerResponse resp;
  auto ctx = Deadline(absl::Seconds(60));
  grpc::Status s = stub_->Hammer(ctx.get(), req, &resp);
  if (!s.ok()) return Failed(s);
  Outcome o;
  o.rpc_ok = true;
  o.everything = resp.ShortDebugString();
  o.verdict = absl::StrCat(v1::AtpStatus_Name(resp.status()), ": ", resp.message());
  o.counted = resp.status() == v1::ATP_PROVED;
  return o;
}

std::string Fill(const std::string& text, const std::string& target_dir, const AttackRig& rig) {
  return absl::StrReplaceAll(text, {{"@T@", target_dir},
                                    {"@SV@", rig.secret_theorem_file()},
                                    {"@S@", rig.secret_file()}});
}

std::string FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    names.push_back(entry.path().string());
  }
  return absl::StrJoin(names, ", ");
}

std::string EntryName(unsigned entry) {
  switch (entry) {
    case kProve: return "Prove";
    case kSuggest: return "SuggestTry";
    case kCheckSteps: return "CheckSteps";
    case kCheckText: return "CheckText";
    case kHammer: return "HammerState";
  }
  return "Unknown";
}

void RunAttack(AttackRig& rig, const Attack& attack, unsigned entry) {
  const std::string target = rig.NewTargetDir(attack.name);
  const v1::Theorem theorem =
      AttackTheorem(attack, target, rig.secret_file(), rig.secret_theorem_file());
  std::vector<std::string> steps;
  for (const std::string& s : attack.steps) steps.push_back(Fill(s, target, rig));
  std::vector<std::string> before_last = steps;
  if (!before_last.empty()) before_last.pop_back();
  Outcome o;
  switch (entry) {
    case kProve: {
      // Also all steps as one candidate: a step that leaves the goal as it
      // was (Context, Axiom, ...) reaches a state the search has seen and
      // does not expand again.
      std::vector<std::string> candidates = steps;
      if (steps.size() > 1) candidates.push_back(absl::StrJoin(steps, " "));
      rig.ModelReturns(candidates);
      o = rig.Prove(theorem, static_cast<int>(steps.size()) + 1);
      break;
    }
    case kSuggest:
      rig.ModelReturns({steps.empty() ? std::string("idtac.") : steps.back()});
      o = rig.Suggest(theorem, before_last);
      break;
    case kCheckSteps:
      o = rig.CheckSteps(theorem, steps);
      break;
    case kCheckText: {
      std::string text = Fill(attack.proof_text, target, rig);
      if (text.empty()) {
        text = attack.prover == "coq" ? absl::StrCat("Proof.\n", absl::StrJoin(steps, "\n"),
                                                     "\nQed.")
                                      : absl::StrJoin(steps, "\n");
      }
      o = rig.CheckText(theorem, text);
      break;
    }
    case kHammer:
      o = rig.HammerState(theorem, before_last);
      break;
  }
  // Why the attack was stopped (or not), for the log.
  std::cerr << "  outcome: " << o.verdict.substr(0, 400) << "\n";
  EXPECT_FALSE(o.counted) << attack.name << " through " << EntryName(entry)
                          << " counted as a proof: " << o.verdict;
  EXPECT_EQ(FilesIn(target), "") << attack.name << " wrote outside the prover's scratch";
  EXPECT_EQ(o.everything.find(kSecretMarker), std::string::npos)
      << attack.name << " leaked the secret file's contents: " << o.everything.substr(0, 2000);
  EXPECT_EQ(o.everything.find("root:x:0"), std::string::npos)
      << attack.name << " leaked /etc/passwd: " << o.everything.substr(0, 2000);
}

}  // namespace thor::testing
