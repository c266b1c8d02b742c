#include "hammer/hammer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "common/cancel_watcher.h"
#include "common/env.h"
#include "hammer/atp.h"
#include "hammer/encode.h"
#include "hammer/portfolio.h"
#include "hammer/proof_store.h"
#include "hammer/schedule.h"
#include "hammer/select.h"

namespace thor::hammer {
namespace {

constexpr size_t kCacheCapacity = 4096;

// One Solve in flight, so that Cancel() can reach it.
struct Call {
  std::atomic<bool> cancel{false};
  std::atomic<bool> stop{false};
};

void HashExpr(const Expr& e, size_t& h) {
  h = absl::HashOf(h, static_cast<int>(e.kind), e.name, e.vars, e.args.size());
  for (const Expr& a : e.args) HashExpr(a, h);
}

// A structural hash of the whole problem (cheaper than printing it).
size_t HashProblem(const Problem& p) {
  size_t h = p.formulas.size();
  for (const Formula& f : p.formulas) {
    h = absl::HashOf(h, f.name, f.role, static_cast<int>(f.language), f.type_symbol,
                     f.type.args, f.type.result);
    HashExpr(f.formula, h);
  }
  return h;
}

Env* EnvOf(const HammerOptions& options) {
  return options.env != nullptr ? options.env : Env::Default();
}

}  // namespace

const char* AtpStatusName(AtpStatus status) {
  switch (status) {
    case AtpStatus::kProved: return "proved";
    case AtpStatus::kDisproved: return "disproved";
    case AtpStatus::kUnknown: return "unknown";
    case AtpStatus::kError: return "error";
  }
  return "unknown";
}

struct Hammer::Impl {
  absl::Mutex mu;
  absl::flat_hash_set<Call*> calls ABSL_GUARDED_BY(mu);
  // Copy-on-write: a call takes the current snapshot under the lock (a
  // pointer copy); recording a proof builds the next one. Proofs are rare
  // (each costs ATP seconds), rankings are made on every call.
  std::shared_ptr<const ProofDb> proofs ABSL_GUARDED_BY(mu) = std::make_shared<const ProofDb>();

  // Replaces the snapshot with a copy that `change` edited.
  void EditProofs(const std::function<void(ProofDb&)>& change) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    auto next = std::make_shared<ProofDb>(*proofs);
    change(*next);
    proofs = std::move(next);
  }
  std::shared_ptr<const ProofDb> Proofs() ABSL_LOCKS_EXCLUDED(mu) {
    absl::MutexLock lock(&mu);
    return proofs;
  }
  absl::flat_hash_map<size_t, HammerResult> cache ABSL_GUARDED_BY(mu);
  absl::flat_hash_map<std::string, Schedule> schedules ABSL_GUARDED_BY(mu);
  // Included files parsed by earlier SolveFile / SolveText calls.
  IncludeCache includes;
  // PersistProofs' file, open for appending; not open without one.
  std::ofstream persist ABSL_GUARDED_BY(mu);

  absl::StatusOr<Schedule> GetSchedule(const std::string& path) {
    if (path.empty()) return DefaultSchedule();
    absl::MutexLock lock(&mu);
    auto it = schedules.find(path);
    if (it != schedules.end()) return it->second;
    auto s = LoadSchedule(path);
    if (s.ok()) schedules[path] = *s;
    return s;
  }
};

Hammer::Hammer(HammerOptions options) : options_(std::move(options)), impl_(new Impl) {}
Hammer::~Hammer() = default;

// Reading is part of the call: it counts in elapsed and overhead, and comes
// out of the budget.
absl::StatusOr<HammerResult> Hammer::SolveFile(const std::string& path) {
  const absl::Time start = EnvOf(options_)->Now();
  auto problem = ReadProblemFile(path, options_.cache_includes ? &impl_->includes : nullptr);
  if (!problem.ok()) return problem.status();
  return SolveOwned(*std::move(problem), options_, start);
}

absl::StatusOr<HammerResult> Hammer::SolveText(const std::string& text, const std::string& base) {
  return SolveText(text, base, options_);
}

absl::StatusOr<HammerResult> Hammer::SolveText(const std::string& text, const std::string& base,
                                               const HammerOptions& options) {
  const absl::Time start = EnvOf(options)->Now();
  auto problem =
      ParseProblem(text, base, "<text>", options.cache_includes ? &impl_->includes : nullptr);
  if (!problem.ok()) return problem.status();
  return SolveOwned(*std::move(problem), options, start);
}

absl::StatusOr<HammerResult> Hammer::Solve(const Problem& problem) {
  return Solve(problem, options_);
}

absl::StatusOr<HammerResult> Hammer::Solve(const Problem& input, const HammerOptions& options) {
  return SolveOwned(input, options, EnvOf(options)->Now());
}

static std::vector<Slice> PickSlices(const Schedule& schedule, const HammerOptions& options,
                                     std::string& missing) {
  std::vector<Prover> wanted;
  for (const auto& name : options.provers) {
    auto p = ProverFromName(name);
    if (p.ok()) wanted.push_back(*p);
    else absl::StrAppend(&missing, p.status().message(), "; ");
  }
  std::vector<Slice> out;
  for (const Slice& s : schedule.slices) {
    bool ok = wanted.empty() || std::find(wanted.begin(), wanted.end(), s.prover) != wanted.end();
    if (ok && ProverInstalled(s.prover)) out.push_back(s);
  }
  for (Prover p : wanted) {
    bool has = std::any_of(out.begin(), out.end(), [&](const Slice& s) { return s.prover == p; });
    if (!ProverInstalled(p)) {
      absl::StrAppend(&missing, ProverName(p), " is not installed; ");
    } else if (!has) {
      Slice s;
      s.prover = p;
      s.premises = 256;
      out.push_back(s);
    }
  }
  return out;
}

absl::StatusOr<HammerResult> Hammer::SolveOwned(Problem problem, const HammerOptions& options,
                                                absl::Time start) {
  if (problem.formulas.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("problem '", problem.name, "' is empty"));
  }
  if (problem.GoalIndices().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "problem '", problem.name, "' has no conjecture or negated_conjecture to prove"));
  }
  for (const auto& name : options.provers) {
    if (auto p = ProverFromName(name); !p.ok()) return p.status();
  }
  NormaliseNumerals(problem);

  absl::StatusOr<Schedule> schedule = options.schedule != nullptr
                                         ? absl::StatusOr<Schedule>(*options.schedule)
                                         : impl_->GetSchedule(options.schedule_path);
  if (!schedule.ok()) return schedule.status();
  // What the cache key knows of the schedule: its path, or a value's slices.
  std::string schedule_key = options.schedule_path;
  if (options.schedule != nullptr) {
    schedule_key = "value:";
    for (const Slice& slice : options.schedule->slices) {
      absl::StrAppend(&schedule_key, slice.Label(), "*", slice.share, ";");
    }
  }
  std::string missing;
  std::vector<Slice> slices = PickSlices(*schedule, options, missing);
  if (slices.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no usable prover: ", missing, ProverAvailabilityReport()));
  }

  const size_t key = absl::HashOf(HashProblem(problem),
                                  absl::ToInt64Milliseconds(options.timeout), options.provers,
                                  options.max_premises, options.minimize, schedule_key);
  {
    absl::MutexLock lock(&impl_->mu);
    auto it = impl_->cache.find(key);
    if (it != impl_->cache.end()) {
      HammerResult r = it->second;
      r.from_cache = true;
      r.elapsed = EnvOf(options)->Now() - start;
      r.overhead = r.elapsed;
      return r;
    }
  }

  // Rankings, computed once per selector.
  const std::string goal_name = GoalName(problem);
  RankingCache rankings(problem, impl_->Proofs(), goal_name);
  // Selection before any slice starts, MePo and k-NN side by side (MeSh
  // combines the two); left to the workers, each would compute both.
  const absl::Time select_start = EnvOf(options)->Now();
  const absl::Duration read_time = select_start - start;
  bool need_mepo = false, need_knn = false;
  for (const Slice& s : slices) {
    need_mepo |= s.selector == "mepo" || s.selector == "mesh";
    need_knn |= s.selector == "knn" || s.selector == "mesh";
  }
  {
    std::thread knn;
    if (need_knn && need_mepo) knn = std::thread([&rankings] { rankings.Get("knn"); });
    else if (need_knn) rankings.Get("knn");
    if (need_mepo) rankings.Get("mepo");
    if (knn.joinable()) knn.join();
  }
  const absl::Duration select_time = EnvOf(options)->Now() - select_start;

  Call call;
  {
    absl::MutexLock lock(&impl_->mu);
    impl_->calls.insert(&call);
  }
  // The caller's flag stops this call alone (CancelWatcher's shared thread
  // polls it; the portfolio looks at `call`).
  std::optional<CancelWatcher> watch;
  if (options.cancel != nullptr) {
    watch.emplace(options.cancel, [&call] {
      call.cancel = true;
      call.stop = true;
    });
  }
  PortfolioRequest req;
  req.problem = &problem;
  req.slices = slices;
  req.budget = options.timeout;
  req.deadline = start + options.timeout;
  req.parallelism = options.parallelism > 0
                        ? options.parallelism
                        : std::max(1u, std::thread::hardware_concurrency());
  req.max_premises = options.max_premises;
  req.minimize = options.minimize;
  req.ranking = [&rankings](const std::string& selector) -> const Ranking& {
    return rankings.Get(selector);
  };
  req.cancel = &call.cancel;
  req.stop = &call.stop;
  req.env = EnvOf(options);
  PortfolioOutcome out = RunPortfolio(req);
  watch.reset();  // After this the callback never runs: `call` may go.
  {
    absl::MutexLock lock(&impl_->mu);
    impl_->calls.erase(&call);
  }
  if (call.cancel.load() && out.status != AtpStatus::kProved) {
    return absl::CancelledError("hammer call cancelled");
  }

  HammerResult r;
  r.status = out.status;
  r.szs_status = out.szs;
  r.slice = out.slice;
  for (int i : out.used) r.used_premises.push_back(problem.formulas[i].name);
  r.elapsed = EnvOf(options)->Now() - start;
  r.overhead = std::max(absl::ZeroDuration(), r.elapsed - out.prover_time);
  r.read_time = read_time;
  r.select_time = select_time;
  r.message = absl::StrJoin(out.notes, "; ");
  if (!missing.empty()) r.message = absl::StrCat(missing, r.message);
  if (r.status == AtpStatus::kProved && !goal_name.empty()) {
    std::vector<int> goals = problem.GoalIndices();
    RecordProof(goal_name, problem.formulas[goals[0]].formula, r.used_premises);
  }
  if (r.status != AtpStatus::kUnknown) {
    absl::MutexLock lock(&impl_->mu);
    if (impl_->cache.size() >= kCacheCapacity) impl_->cache.clear();
    impl_->cache[key] = r;
  }
  return r;
}

void Hammer::Cancel() {
  absl::MutexLock lock(&impl_->mu);
  for (Call* c : impl_->calls) {
    c->cancel = true;
    c->stop = true;
  }
}

absl::StatusOr<std::vector<RankedPremise>> Hammer::SelectPremises(const Problem& input,
                                                                  const std::string& method,
                                                                  int max) {
  Problem problem = input;
  NormaliseNumerals(problem);
  auto ranking = Rank(problem, method, *impl_->Proofs(), GoalName(problem));
  if (!ranking.ok()) return ranking.status();
  std::vector<RankedPremise> out;
  for (size_t i = 0; i < ranking->order.size(); ++i) {
    if (max > 0 && static_cast<int>(out.size()) >= max) break;
    out.push_back({input.formulas[ranking->order[i]].name, ranking->score[i]});
  }
  return out;
}

void Hammer::RecordProof(const std::string& goal_name, const Expr& goal,
                         const std::vector<std::string>& premises) {
  ProofRecord rec;
  rec.features = Symbols(goal);
  rec.premises = premises;
  absl::MutexLock lock(&impl_->mu);
  if (impl_->persist.is_open()) {
    // One line per proof, flushed: a killed server loses at most the line
    // being written, which the next load reports by its line number.
    impl_->persist << ProofLine(goal_name, rec) << "\n" << std::flush;
  }
  impl_->EditProofs([&](ProofDb& db) { db[goal_name] = std::move(rec); });
}

absl::Status Hammer::PersistProofs(const std::string& path) {
  std::error_code ec;
  ProofDb loaded;
  if (std::filesystem::exists(path, ec)) {
    absl::StatusOr<ProofDb> read = ReadProofFile(path);
    if (!read.ok()) return read.status();
    loaded = *std::move(read);
  }
  absl::MutexLock lock(&impl_->mu);
  impl_->EditProofs([&](ProofDb& db) {
    for (auto& [goal, proof] : loaded) db[goal] = std::move(proof);
  });
  impl_->persist.open(path, std::ios::app);
  if (!impl_->persist.is_open()) {
    return absl::PermissionDeniedError(
        absl::StrCat("premise database '", path, "': cannot open it for appending (",
                     std::strerror(errno), ")"));
  }
  return absl::OkStatus();
}

size_t Hammer::proof_count() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->proofs->size();
}

absl::Status Hammer::LoadDependencies(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("dependency file '", path, "' not found"));
  ProofDb loaded;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits(':', 1));
    if (parts.size() != 2 || absl::StripAsciiWhitespace(parts[0]).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", n, ": expected 'goal: premise premise ...'"));
    }
    ProofRecord rec;
    rec.premises = absl::StrSplit(parts[1], ' ', absl::SkipWhitespace());
    loaded[std::string(absl::StripAsciiWhitespace(parts[0]))] = std::move(rec);
  }
  absl::MutexLock lock(&impl_->mu);
  impl_->EditProofs([&](ProofDb& db) {
    for (auto& [goal, rec] : loaded) db.try_emplace(goal, std::move(rec));
  });
  return absl::OkStatus();
}

void Hammer::ForgetProof(const std::string& goal_name) {
  absl::MutexLock lock(&impl_->mu);
  impl_->EditProofs([&](ProofDb& db) { db.erase(goal_name); });
}

}  // namespace thor::hammer
