// bench/session_step: the cost of one proof step for a client that drives
// the prover itself, today's way against a session, side by side on one
// in-process Thor server over loopback gRPC with real coqtop.
//
// The same 20-step Coq proof (each step cheap: intros, split, exact) is run
//   replay:  step by step through ProofSearch.SuggestSteps (steps = the
//            prefix, try_steps, a policy proposing the next step), as a
//            front end does without sessions: every call replays the prefix
//            in a prover process (one that kept the theorem loaded from the
//            call before, unless --reuse_context=false);
//   session: through ProofSession.RunStep on the state the last step
//            reached.
// Then --sessions concurrent sessions each run the proof (the steps start
// once all are open); the session's own overhead per step is the client-observed RPC time minus the outcome's
// elapsed_s (coqtop's time as the bridge measured it): p50 and p99.
// The concurrent phase runs --concurrent_rounds times; its figures are
// pooled. With every core busy, most of that overhead is time Thor's
// threads wait for a core, so the phase also reports this process's CPU
// time and context switches per step (server and client threads, from the
// moment all sessions are open).
// Prints a table, then one JSON line with every figure.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "app/wiring.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "search/policy.h"
#include "server/log.h"
#include "server/thor_server.h"

ABSL_FLAG(int, sessions, 16, "Concurrent sessions in the last phase.");
ABSL_FLAG(int, rounds, 1, "Times each single-client phase runs the proof.");
ABSL_FLAG(int, concurrent_rounds, 2, "Times the concurrent phase runs (figures pooled).");
ABSL_FLAG(bool, reuse_context, true,
          "The Coq bridge's reuse_context (a process keeps the theorem's loaded context for the "
          "next call); false: every SuggestSteps call loads it whole, as before session 19.");

namespace thor {
namespace {

constexpr int kConjuncts = 10;  // 1 + 2 * (kConjuncts - 1) + 1 = 20 steps.

std::string Statement() {
  std::string goal = "P";
  for (int i = 1; i < kConjuncts; ++i) goal += " /\\ P";
  return absl::StrCat("Lemma chain : forall P : Prop, P -> ", goal, ".");
}

// The step the proof takes next, read off the goals as a policy would.
std::string NextStep(const std::string& goals) {
  if (absl::StrContains(goals, "forall")) return "intros P H.";
  if (absl::StrContains(goals, " goals")) return "exact H.";  // P, then the rest.
  if (absl::StrContains(goals, "/\\")) return "split.";
  return "exact H.";
}

std::vector<std::string> Proof() {
  std::vector<std::string> steps = {"intros P H."};
  for (int i = 1; i < kConjuncts; ++i) {
    steps.push_back("split.");
    steps.push_back("exact H.");
  }
  steps.push_back("exact H.");
  return steps;
}

class NextStepPolicy : public Policy {
 public:
  std::string Name() const override { return "next-step"; }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& q, absl::Duration) override {
    return std::vector<Candidate>{{NextStep(q.state_text), 0.0, false}};
  }
};

v1::Theorem CoqTheorem() {
  v1::Theorem t;
  t.set_prover("coq");
  t.set_name("chain");
  t.set_statement(Statement());
  return t;
}

std::unique_ptr<grpc::ClientContext> Deadline(absl::Duration d) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(absl::ToChronoTime(absl::Now() + d));
  return c;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

double Mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / v.size();
}

void Die(const std::string& what, const grpc::Status& s) {
  std::fprintf(stderr, "session_step: %s: %s\n", what.c_str(), s.error_message().c_str());
  std::exit(1);
}

// Per-step client times of the replay way (seconds).
std::vector<double> RunReplay(v1::ProofSearch::Stub& stub, const std::vector<std::string>& proof) {
  std::vector<double> times;
  for (size_t i = 0; i < proof.size(); ++i) {
    v1::SuggestStepsRequest q;
    *q.mutable_theorem() = CoqTheorem();
    for (size_t k = 0; k < i; ++k) q.add_steps(proof[k]);
    q.set_n(1);
    q.set_try_steps(true);
    q.set_policy("next-step");
    v1::SuggestStepsResponse r;
    const absl::Time start = absl::Now();
    grpc::Status s = stub.SuggestSteps(Deadline(absl::Seconds(120)).get(), q, &r);
    times.push_back(absl::ToDoubleSeconds(absl::Now() - start));
    if (!s.ok()) Die("SuggestSteps", s);
    if (r.suggestions_size() != 1 || r.suggestions(0).step() != proof[i] ||
        (r.suggestions(0).outcome().kind() != v1::StepOutcome::NEW_STATE &&
         r.suggestions(0).outcome().kind() != v1::StepOutcome::PROOF_FINISHED)) {
      std::fprintf(stderr, "session_step: replay step %zu did not apply: %s\n", i,
                   r.DebugString().c_str());
      std::exit(1);
    }
  }
  return times;
}

struct SessionRun {
  double open_s = 0;
  std::vector<double> rpc_s;       // Client-observed RunStep times.
  std::vector<double> prover_s;    // The outcomes' elapsed_s.
};

// Counts sessions opened; the steps start once every session is open, so
// that they are not measured against the CPU that starting provers takes.
class Barrier {
 public:
  // `last` runs in the thread that arrives last, before any goes on.
  Barrier(int n, std::function<void()> last) : left_(n), last_(std::move(last)) {}
  void ArriveAndWait() {
    absl::MutexLock lock(&mu_);
    if (--left_ == 0 && last_) last_();
    mu_.Await(absl::Condition(
        +[](int* left) { return *left <= 0; }, &left_));
  }

 private:
  absl::Mutex mu_;
  int left_ ABSL_GUARDED_BY(mu_);
  const std::function<void()> last_;
};

SessionRun RunSession(v1::ProofSession::Stub& stub, const std::vector<std::string>& proof,
                      Barrier* opened_all = nullptr) {
  SessionRun run;
  v1::OpenSessionRequest open;
  *open.mutable_theorem() = CoqTheorem();
  v1::OpenSessionResponse opened;
  const absl::Time start = absl::Now();
  grpc::Status s = stub.OpenSession(Deadline(absl::Seconds(300)).get(), open, &opened);
  run.open_s = absl::ToDoubleSeconds(absl::Now() - start);
  if (!s.ok()) Die("OpenSession", s);
  if (opened_all != nullptr) opened_all->ArriveAndWait();
  std::string at = opened.root().state_id();
  for (const std::string& step : proof) {
    v1::RunStepRequest q;
    q.set_session_id(opened.session_id());
    q.set_state_id(at);
    q.set_step(step);
    v1::RunStepResponse r;
    const absl::Time t0 = absl::Now();
    s = stub.RunStep(Deadline(absl::Seconds(120)).get(), q, &r);
    run.rpc_s.push_back(absl::ToDoubleSeconds(absl::Now() - t0));
    if (!s.ok()) Die("RunStep", s);
    if (!r.has_state()) {
      std::fprintf(stderr, "session_step: '%s' did not apply: %s\n", step.c_str(),
                   r.outcome().message().c_str());
      std::exit(1);
    }
    run.prover_s.push_back(r.outcome().elapsed_s());
    at = r.state().state_id();
  }
  v1::CloseSessionRequest close;
  close.set_session_id(opened.session_id());
  v1::CloseSessionResponse closed;
  s = stub.CloseSession(Deadline(absl::Seconds(60)).get(), close, &closed);
  if (!s.ok()) Die("CloseSession", s);
  return run;
}

struct Usage {
  double cpu_s = 0;
  int64_t voluntary = 0, involuntary = 0;
};

Usage SelfUsage() {
  struct rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return Usage{secs(u.ru_utime) + secs(u.ru_stime), u.ru_nvcsw, u.ru_nivcsw};
}

// The concurrent phase's figures, over its rounds.
struct Concurrent {
  std::vector<double> overhead_ms, rpc_ms, prover_ms, open_s;
  double wall_s = 0;  // Summed over rounds.
  int rounds = 0;
  // This process (Thor's server and the client threads) over the phase:
  // CPU seconds and context switches, summed over rounds.
  double cpu_s = 0;
  int64_t voluntary_switches = 0, involuntary_switches = 0;
  int64_t steps() const { return static_cast<int64_t>(rpc_ms.size()); }

  void Add(const Concurrent& c) {
    for (auto [to, from] : {std::pair{&overhead_ms, &c.overhead_ms}, {&rpc_ms, &c.rpc_ms},
                            {&prover_ms, &c.prover_ms}, {&open_s, &c.open_s}}) {
      to->insert(to->end(), from->begin(), from->end());
    }
    wall_s += c.wall_s;
    rounds += c.rounds;
    cpu_s += c.cpu_s;
    voluntary_switches += c.voluntary_switches;
    involuntary_switches += c.involuntary_switches;
  }
};

Concurrent RunConcurrent(v1::ProofSession::Stub& stub, const std::vector<std::string>& proof,
                         int sessions) {
  std::vector<SessionRun> runs(sessions);
  const absl::Time start = absl::Now();
  Usage before;
  std::vector<std::thread> threads;
  Barrier opened_all(sessions, [&before] { before = SelfUsage(); });
  for (int i = 0; i < sessions; ++i) {
    threads.emplace_back([&, i] { runs[i] = RunSession(stub, proof, &opened_all); });
  }
  for (std::thread& t : threads) t.join();
  const Usage after = SelfUsage();
  Concurrent c;
  c.wall_s = absl::ToDoubleSeconds(absl::Now() - start);
  c.cpu_s = after.cpu_s - before.cpu_s;
  c.voluntary_switches = after.voluntary - before.voluntary;
  c.involuntary_switches = after.involuntary - before.involuntary;
  c.rounds = 1;
  for (const SessionRun& r : runs) {
    c.open_s.push_back(r.open_s);
    for (size_t k = 0; k < r.rpc_s.size(); ++k) {
      c.overhead_ms.push_back(1000 * (r.rpc_s[k] - r.prover_s[k]));
      c.rpc_ms.push_back(1000 * r.rpc_s[k]);
      c.prover_ms.push_back(1000 * r.prover_s[k]);
    }
  }
  return c;
}

void PrintConcurrent(const Concurrent& c) {
  std::printf("%-44s %12.2f\n", "  overhead ms per step, p50 (< 5)", Percentile(c.overhead_ms, 0.5));
  std::printf("%-44s %12.2f\n", "  overhead ms per step, p99", Percentile(c.overhead_ms, 0.99));
  std::printf("%-44s %12.2f\n", "  RunStep ms, p50", Percentile(c.rpc_ms, 0.5));
  std::printf("%-44s %12.2f\n", "  RunStep ms, p99", Percentile(c.rpc_ms, 0.99));
  std::printf("%-44s %12.2f\n", "  coqtop ms per step, p50", Percentile(c.prover_ms, 0.5));
  std::printf("%-44s %12.2f\n", "  OpenSession s, p50", Percentile(c.open_s, 0.5));
  const double per_step = c.steps() > 0 ? 1.0 / c.steps() : 0;
  std::printf("%-44s %12.3f\n", "  Thor CPU ms per step (server + client)", 1000 * c.cpu_s * per_step);
  std::printf("%-44s %12.1f\n", "  voluntary context switches per step",
              c.voluntary_switches * per_step);
  std::printf("%-44s %12.1f\n", "  involuntary context switches per step",
              c.involuntary_switches * per_step);
  std::printf("%-44s %12.2f\n", "  wall s per round (opens, 20 steps + close each)",
              c.rounds > 0 ? c.wall_s / c.rounds : 0);
}

void AddConcurrentJson(const Concurrent& c, nlohmann::json& j) {
  auto key = [](const char* name) { return absl::StrCat("concurrent_", name); };
  j[key("overhead_ms_p50")] = Percentile(c.overhead_ms, 0.5);
  j[key("overhead_ms_p99")] = Percentile(c.overhead_ms, 0.99);
  j[key("rpc_ms_p50")] = Percentile(c.rpc_ms, 0.5);
  j[key("rpc_ms_p99")] = Percentile(c.rpc_ms, 0.99);
  j[key("coqtop_ms_p50")] = Percentile(c.prover_ms, 0.5);
  j[key("open_s_p50")] = Percentile(c.open_s, 0.5);
  j[key("wall_s_per_round")] = c.rounds > 0 ? c.wall_s / c.rounds : 0;
  const double per_step = c.steps() > 0 ? 1.0 / c.steps() : 0;
  j[key("thor_cpu_ms_per_step")] = 1000 * c.cpu_s * per_step;
  j[key("voluntary_switches_per_step")] = c.voluntary_switches * per_step;
  j[key("involuntary_switches_per_step")] = c.involuntary_switches * per_step;
}

int Main() {
  if (std::getenv("THOR_BENCH_LOG") == nullptr) SetLogStream(nullptr);
  const int sessions = absl::GetFlag(FLAGS_sessions);
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.sessions.max_sessions = std::max(16, sessions);
  config.admission.max_concurrent = 4;
  // No CoqHammer warm-up (30-60 s per process): both ways pay its import
  // when they load the theorem. Idle processes are kept, as on a server.
  config.provers["coq"].options =
      absl::StrCat(R"({"warm_hammer": false, "spare_processes": 0, "max_idle_processes": )",
                   sessions + 1, R"(, "reuse_context": )",
                   absl::GetFlag(FLAGS_reuse_context) ? "true" : "false", "}");
  absl::StatusOr<std::shared_ptr<Registry>> registry = BuildRegistry(config);
  if (!registry.ok()) {
    std::fprintf(stderr, "session_step: %s\n", std::string(registry.status().message()).c_str());
    return 1;
  }
  (*registry)->AddPolicy("next-step", std::make_shared<NextStepPolicy>());
  absl::StatusOr<std::unique_ptr<ThorServer>> server = ThorServer::Start(config, *registry);
  if (!server.ok()) {
    std::fprintf(stderr, "session_step: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                                     grpc::InsecureChannelCredentials());
  auto search = v1::ProofSearch::NewStub(channel);
  auto session = v1::ProofSession::NewStub(channel);
  const std::vector<std::string> proof = Proof();

  // Warm both paths once (a coqtop started, the libraries in the page cache).
  RunSession(*session, proof);
  std::vector<double> replay;
  std::vector<double> single_rpc, single_prover, opens;
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    for (double t : RunReplay(*search, proof)) replay.push_back(t);
    SessionRun run = RunSession(*session, proof);
    single_rpc.insert(single_rpc.end(), run.rpc_s.begin(), run.rpc_s.end());
    single_prover.insert(single_prover.end(), run.prover_s.begin(), run.prover_s.end());
    opens.push_back(run.open_s);
  }

  Concurrent concurrent;
  for (int round = 0; round < absl::GetFlag(FLAGS_concurrent_rounds); ++round) {
    concurrent.Add(RunConcurrent(*session, proof, sessions));
  }
  (*server)->Shutdown(absl::Seconds(5));

  std::vector<double> single_overhead_ms;
  for (size_t k = 0; k < single_rpc.size(); ++k) {
    single_overhead_ms.push_back(1000 * (single_rpc[k] - single_prover[k]));
  }
  const double replay_ms = 1000 * Mean(replay);
  const double session_ms = 1000 * Mean(single_rpc);
  const double ratio = session_ms > 0 ? replay_ms / session_ms : 0;
  // Medians too: one step that waits for the CPU on a busy machine moves the
  // session's mean by tens of ms.
  const double session_p50_ms = 1000 * Percentile(single_rpc, 0.5);
  const double ratio_p50 = session_p50_ms > 0 ? 1000 * Percentile(replay, 0.5) / session_p50_ms : 0;
  std::printf("%-44s %12s\n", "figure", "value");
  std::printf("%-44s %12zu\n", "proof steps", proof.size());
  std::printf("%-44s %12.1f\n", "replay (SuggestSteps) ms per step, mean", replay_ms);
  std::printf("%-44s %12.1f\n", "replay ms per step, p50", 1000 * Percentile(replay, 0.5));
  std::printf("%-44s %12.2f\n", "session (RunStep) ms per step, mean", session_ms);
  std::printf("%-44s %12.2f\n", "session ms per step, p50", 1000 * Percentile(single_rpc, 0.5));
  std::printf("%-44s %12.2f\n", "session coqtop ms per step, mean", 1000 * Mean(single_prover));
  std::printf("%-44s %12.2f\n", "session overhead ms per step, p50",
              Percentile(single_overhead_ms, 0.5));
  std::printf("%-44s %12.1f\n", "ratio replay / session per step (>= 10)", ratio);
  std::printf("%-44s %12.1f\n", "ratio of the p50s", ratio_p50);
  std::printf("%-44s %12.2f\n", "OpenSession s (single)", Mean(opens));
  std::printf("%-44s %12d\n", "concurrent sessions", sessions);
  std::printf("%-44s %12d\n", "concurrent rounds", concurrent.rounds);
  PrintConcurrent(concurrent);
  nlohmann::json j = {
      {"bench", "session_step"},
      {"steps", proof.size()},
      {"rounds", absl::GetFlag(FLAGS_rounds)},
      {"reuse_context", absl::GetFlag(FLAGS_reuse_context)},
      {"replay_ms_per_step_mean", replay_ms},
      {"replay_ms_per_step_p50", 1000 * Percentile(replay, 0.5)},
      {"session_ms_per_step_mean", session_ms},
      {"session_ms_per_step_p50", session_p50_ms},
      {"session_coqtop_ms_per_step_mean", 1000 * Mean(single_prover)},
      {"session_overhead_ms_p50", Percentile(single_overhead_ms, 0.5)},
      {"ratio_replay_over_session", ratio},
      {"ratio_replay_over_session_p50", ratio_p50},
      {"open_session_s", Mean(opens)},
      {"concurrent_sessions", sessions},
      {"concurrent_rounds", concurrent.rounds},
  };
  AddConcurrentJson(concurrent, j);
  std::printf("%s\n", j.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace thor

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thor::Main();
}
