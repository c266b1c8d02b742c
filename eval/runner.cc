#include "eval/runner.h"

#include <chrono>
#include <optional>
#include <thread>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/env.h"
#include "eval/budget.h"
#include "eval/progress.h"
#include "eval/targets.h"
#include "proto/thor/v1/thor.grpc.pb.h"

namespace thor::eval {
namespace {

using nlohmann::json;

json StatsToJson(const v1::SearchStats& stats) {
  std::string text;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  opts.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(stats, &text, opts).ok()) {
    return json::object();
  }
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

std::string CodeName(grpc::StatusCode code) {
  static const char* kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                                 "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                                 "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  int c = static_cast<int>(code);
  return c >= 0 && c < 17 ? kNames[c] : absl::StrCat(c);
}

class Run {
 public:
  Run(const RunnerOptions& options, const std::vector<SuiteTheorem>& theorems,
      ResultWriter* writer)
      : options_(options),
        theorems_(theorems),
        writer_(writer),
        env_(options.env != nullptr ? options.env : Env::Default()),
        stub_(v1::ProofSearch::NewStub(CreateBalancedChannel(
            options.target, options.credentials, options.tls_server_name))),
        config_hash_(ConfigHash(options.config, options.suite_version)) {}

  absl::StatusOr<RunSummary> Execute() {
    absl::flat_hash_set<std::string> ids;
    for (const SuiteTheorem& t : theorems_) ids.insert(t.id);
    absl::flat_hash_set<std::string> done;
    // No worker runs yet; the lock is for the annotations (summary_ is
    // guarded by mu_ once they do).
    absl::ReleasableMutexLock setup(&mu_);
    for (const EvalRecord& r : writer_->existing().records) {
      if (!ids.contains(r.id)) continue;
      done.insert(r.id);
      summary_.solved += r.solved;
    }
    for (const SuiteTheorem& t : theorems_) {
      if (!done.contains(t.id)) todo_.push_back(&t);
    }
    summary_.total = theorems_.size();
    summary_.skipped = done.size();
    setup.Release();
    start_ = env_->Now();
    std::vector<std::thread> workers;
    int n = std::max(1, std::min<int>(options_.concurrency, todo_.size()));
    for (int i = 0; i < n; ++i) workers.emplace_back([this] { Work(); });
    std::thread ticker([this] { Tick(); });
    for (std::thread& w : workers) w.join();
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
    }
    ticker.join();
    absl::MutexLock lock(&mu_);
    PrintProgress(/*final=*/true);
    summary_.elapsed = env_->Now() - start_;
    summary_.stopped = Stopping();
    if (!write_error_.ok()) return write_error_;
    return summary_;
  }

 private:
  void Work() {
    for (;;) {
      const SuiteTheorem* t;
      {
        absl::MutexLock lock(&mu_);
        if (next_ >= todo_.size() || !write_error_.ok() ||
            (options_.stop != nullptr && options_.stop->load())) {
          summary_.unfinished += todo_.size() - next_;
          next_ = todo_.size();
          return;
        }
        t = todo_[next_++];
        ++in_flight_;
      }
      std::optional<EvalRecord> record = ProveWithRetries(*t);
      absl::Status written = record ? writer_->Append(*record) : absl::OkStatus();
      absl::MutexLock lock(&mu_);
      --in_flight_;
      if (!written.ok() && write_error_.ok()) write_error_ = written;
      if (record && written.ok()) {
        ++summary_.recorded;
        summary_.solved += record->solved;
      } else {
        ++summary_.unfinished;
      }
      if (options_.progress_is_tty) PrintProgress(false);
    }
  }

  // One theorem: calls until a result comes back or the attempts run out.
  std::optional<EvalRecord> ProveWithRetries(const SuiteTheorem& t) {
    v1::ProveRequest request;
    *request.mutable_theorem() = t.theorem;
    *request.mutable_config() = options_.config;
    if (uint64_t seed = TheoremSeed(options_.config.seed(), t.id); seed != 0) {
      request.mutable_config()->set_seed(seed);
    }
    absl::Duration deadline = options_.call_deadline;
    if (deadline == absl::ZeroDuration()) {
      double wall = options_.config.has_wall_time_s() ? options_.config.wall_time_s() : 500;
      deadline = absl::Seconds(2 * wall + 120);
    }
    absl::Duration backoff = options_.initial_backoff;
    std::string last_error;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      grpc::ClientContext ctx;
      // gRPC times the call by the real clock, whatever env_ says.
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
      if (!options_.auth_token.empty()) {
        ctx.AddMetadata("authorization", "Bearer " + options_.auth_token);
      }
      absl::Time began = env_->Now();
      InFlight registered(this, &ctx);
      auto reader = stub_->Prove(&ctx, request);
      v1::SearchEvent event;
      std::optional<v1::ProveResult> result;
      while (reader->Read(&event)) {
        if (event.has_finished()) result = event.finished();
      }
      grpc::Status status = reader->Finish();
      double wall = absl::ToDoubleSeconds(env_->Now() - began);
      // Stopped: a search cut short (the call cancelled, or a result the
      // server made because the call was cancelled) is not the theorem's
      // result; a rerun does it again.
      if (Stopping() && (!result || result->status() == v1::CANCELLED)) {
        absl::MutexLock lock(&mu_);
        ++summary_.cancelled;
        return std::nullopt;
      }
      EvalRecord record;
      if (result) {
        record = RecordFromResult(t, *result);
      } else if (Retryable(status.error_code()) || status.ok()) {
        last_error = status.ok() ? "stream ended without a result" : status.error_message();
        if (attempt == options_.max_attempts) break;
        if (Stopping()) return std::nullopt;
        thread_local absl::BitGen jitter;
        // In slices, so that a stop does not wait for a long backoff.
        for (absl::Duration left = backoff * absl::Uniform(jitter, 0.5, 1.5);
             left > absl::ZeroDuration() && !Stopping();) {
          absl::Duration slice = std::min(left, absl::Milliseconds(100));
          env_->SleepFor(slice);
          left -= slice;
        }
        if (Stopping()) return std::nullopt;
        backoff = std::min(backoff * 2, options_.max_backoff);
        continue;
      } else {
        record.id = t.id;
        record.prover = t.theorem.prover();
        record.status = "RPC_" + CodeName(status.error_code());
        record.message = status.error_message();
      }
      record.suite = options_.suite;
      record.suite_version = options_.suite_version;
      record.config_hash = config_hash_;
      if (record.seed == 0) record.seed = request.config().seed();
      record.server = ctx.peer();
      record.attempts = attempt;
      record.wall_s = wall;
      return record;
    }
    absl::MutexLock lock(&mu_);
    if (options_.progress != nullptr) {
      if (options_.progress_is_tty) *options_.progress << "\r\033[K";
      *options_.progress << "thor eval: giving up on " << t.id << " for now after "
                         << options_.max_attempts << " calls: " << last_error
                         << " (a rerun will retry it)\n";
    }
    return std::nullopt;
  }

  bool Stopping() const { return options_.stop != nullptr && options_.stop->load(); }

  // Registers a call in flight for the whole of its scope, so that a stop
  // can cancel it; a call registered after the stop is cancelled at once.
  class InFlight {
   public:
    InFlight(Run* run, grpc::ClientContext* ctx) : run_(run), ctx_(ctx) {
      absl::MutexLock lock(&run_->mu_);
      if (run_->cancelling_) ctx_->TryCancel();
      run_->calls_.insert(ctx_);
    }
    ~InFlight() {
      absl::MutexLock lock(&run_->mu_);
      run_->calls_.erase(ctx_);
    }

   private:
    Run* const run_;
    grpc::ClientContext* const ctx_;
  };

  // Prints the progress line every period (real time: 1 s on a terminal,
  // `log_every` in a log) and, once `stop` is set, cancels the calls in
  // flight. Wakes every 50 ms so a stop is acted on promptly; `stop` is set
  // by a signal handler, which can take no lock to wake it.
  void Tick() {
    absl::Duration period = options_.progress_is_tty ? absl::Seconds(1) : options_.log_every;
    absl::Time next_print = absl::Now() + period;
    absl::MutexLock lock(&mu_);
    while (!finished_) {
      mu_.AwaitWithTimeout(absl::Condition(&finished_),
                           std::min(absl::Milliseconds(50), next_print - absl::Now()));
      if (finished_) break;
      if (Stopping() && !cancelling_) {
        cancelling_ = true;
        for (grpc::ClientContext* ctx : calls_) ctx->TryCancel();
      }
      if (absl::Now() >= next_print) {
        PrintProgress(false);
        next_print = absl::Now() + period;
      }
    }
  }

  void PrintProgress(bool final) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (options_.progress == nullptr) return;
    ProgressSnapshot s;
    s.total = summary_.total;
    s.done = summary_.skipped + summary_.recorded;
    s.solved = summary_.solved;
    s.done_this_run = summary_.recorded;
    s.in_flight = in_flight_;
    s.elapsed = env_->Now() - start_;
    std::ostream& out = *options_.progress;
    if (options_.progress_is_tty) out << "\r\033[K";
    out << "thor eval: " << FormatProgress(s);
    if (!options_.progress_is_tty || final) out << "\n";
    out.flush();
  }

  const RunnerOptions& options_;
  const std::vector<SuiteTheorem>& theorems_;
  ResultWriter* const writer_;
  Env* const env_;
  std::unique_ptr<v1::ProofSearch::Stub> stub_;
  const std::string config_hash_;
  std::vector<const SuiteTheorem*> todo_;
  absl::Time start_;
  absl::Mutex mu_;
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // The calls in flight, and whether a stop has cancelled them.
  absl::flat_hash_set<grpc::ClientContext*> calls_ ABSL_GUARDED_BY(mu_);
  bool cancelling_ ABSL_GUARDED_BY(mu_) = false;
  RunSummary summary_ ABSL_GUARDED_BY(mu_);
  absl::Status write_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

EvalRecord RecordFromResult(const SuiteTheorem& theorem, const v1::ProveResult& result) {
  EvalRecord r;
  r.id = theorem.id;
  r.prover = theorem.theorem.prover();
  r.status = v1::SearchStatus_Name(result.status());
  r.solved = IsSolvedStatus(r.status);
  r.axioms.assign(result.axioms().begin(), result.axioms().end());
  r.checkers.assign(result.checkers().begin(), result.checkers().end());
  r.recheck = v1::RecheckVerdict_Name(result.recheck());
  r.proof = result.proof().text();
  for (const v1::ProofStep& step : result.proof().steps()) {
    r.proof_steps.push_back(step.text());
    r.used_hammer |= step.from_hammer();
  }
  r.message = result.message();
  r.stats = StatsToJson(result.stats());
  r.search_id = result.search_id();
  r.seed = result.seed();
  return r;
}

absl::StatusOr<RunSummary> RunEval(const RunnerOptions& options,
                                   const std::vector<SuiteTheorem>& theorems,
                                   ResultWriter* writer) {
  if (options.concurrency < 1) {
    return absl::InvalidArgumentError("--concurrency must be at least 1");
  }
  if (options.max_attempts < 1) {
    return absl::InvalidArgumentError("max_attempts must be at least 1");
  }
  Run run(options, theorems, writer);
  return run.Execute();
}

}  // namespace thor::eval
