#include "tests/eval/fake_server.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "eval/budget.h"

namespace thor::testing {
namespace {

// The value of "#sleep=MS" in `text`, or -1.
int SleepDirective(const std::string& text) {
  size_t at = text.find("#sleep=");
  if (at == std::string::npos) return -1;
  size_t begin = at + 7, end = begin;
  while (end < text.size() && isdigit(static_cast<unsigned char>(text[end]))) ++end;
  int ms = -1;
  return absl::SimpleAtoi(text.substr(begin, end - begin), &ms) ? ms : -1;
}

}  // namespace

int FakeProofSearch::peak_running() const {
  absl::MutexLock lock(&mu_);
  return peak_;
}

grpc::Status FakeProofSearch::Prove(grpc::ServerContext* context,
                                    const v1::ProveRequest* request,
                                    grpc::ServerWriter<v1::SearchEvent>* writer) {
  const int n = ++calls_;
  if (options_.on_call) options_.on_call(n);
  const std::string& text = request->theorem().statement();
  if (absl::StrContains(text, "#unavailable")) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fake: scripted UNAVAILABLE");
  }
  if (absl::StrContains(text, "#refused_after_preparing")) {
    // As thor serve answers a statement the prover cannot parse: events
    // first, then the status (thor.proto, "Errors").
    v1::SearchEvent preparing;
    preparing.mutable_preparing()->set_phase("starting_prover");
    writer->Write(preparing);
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "theorem: coq could not open the theorem: Coq rejected the statement: "
                        "Syntax error");
  }
  if (absl::StrContains(text, "#invalid")) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "fake: scripted INVALID_ARGUMENT");
  }
  {
    absl::MutexLock lock(&mu_);
    auto free = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return options_.capacity <= 0 || running_ < options_.capacity;
    };
    mu_.Await(absl::Condition(&free));
    peak_ = std::max(peak_, ++running_);
  }
  const absl::Time start = absl::Now();
  const std::string search_id = absl::StrCat(options_.name, "-", n);
  v1::SearchEvent started;
  started.mutable_started()->set_search_id(search_id);
  started.mutable_started()->set_prover(request->theorem().prover());
  writer->Write(started);
  int sleep_ms = SleepDirective(text);
  absl::Time until = start + absl::Milliseconds(sleep_ms >= 0 ? sleep_ms : options_.latency_ms);
  while (absl::Now() < until && !context->IsCancelled()) {
    absl::SleepFor(std::min(absl::Milliseconds(20), until - absl::Now()));
  }
  {
    absl::MutexLock lock(&mu_);
    --running_;
  }
  if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");

  bool solve = absl::StrContains(text, "#solve") ||
               (!absl::StrContains(text, "#fail") && !absl::StrContains(text, "#error") &&
                static_cast<int>(eval::StableHash(request->theorem().name()) % 100) <
                    options_.solve_percent);
  v1::SearchEvent done;
  done.set_t_s(absl::ToDoubleSeconds(absl::Now() - start));
  v1::ProveResult* r = done.mutable_finished();
  r->set_search_id(search_id);
  r->set_seed(request->config().seed() != 0 ? request->config().seed() : 42);
  r->mutable_stats()->set_wall_s(done.t_s());
  r->mutable_stats()->set_model_queries(3);
  if (absl::StrContains(text, "#error")) {
    r->set_status(v1::ERROR);
    r->set_message("fake: scripted search error");
  } else if (solve) {
    r->set_status(v1::PROVED);
    r->set_recheck(v1::RECHECK_PASSED);
    v1::ProofStep* step = r->mutable_proof()->add_steps();
    bool hammer = absl::StrContains(text, "#hammer");
    step->set_text(hammer ? "sauto use: fake_lemma" : "auto");
    step->set_from_hammer(hammer);
    r->mutable_proof()->set_text(absl::StrCat("Proof. ", step->text(), ". Qed."));
  } else {
    r->set_status(v1::EXHAUSTED);
  }
  writer->Write(done);
  return grpc::Status::OK;
}

}  // namespace thor::testing
