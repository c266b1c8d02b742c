// Runs a schedule's slices on a problem within one wall budget: `parallelism`
// workers take slices in order; the first proof stops the others (their
// process groups are killed). Then minimises the winning core.
#ifndef THOR_HAMMER_PORTFOLIO_H_
#define THOR_HAMMER_PORTFOLIO_H_

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hammer/atp.h"
#include "hammer/schedule.h"
#include "hammer/select.h"

namespace thor::hammer {

struct PortfolioRequest {
  const Problem* problem = nullptr;
  std::vector<Slice> slices;
  absl::Time deadline;
  absl::Duration budget;  // The whole call's budget (slice shares are of it).
  int parallelism = 2;
  int max_premises = 0;   // 0 = no cap.
  bool minimize = true;
  // Returns the ranking for a selector ("none" = input order); called from
  // worker threads, must be thread-safe.
  std::function<const Ranking&(const std::string& selector)> ranking;
  // Set by the caller to cancel the call (stops slices and minimisation).
  const std::atomic<bool>* cancel = nullptr;
  // Per-call flag the running slices watch; the portfolio sets it on the
  // first proof, and the caller sets it together with `cancel`. REQUIRED.
  std::atomic<bool>* stop = nullptr;
  // The clock and the prover processes; null: Env::Default().
  Env* env = nullptr;
};

struct PortfolioOutcome {
  AtpStatus status = AtpStatus::kUnknown;
  std::string szs = "Timeout";
  std::string slice;
  std::vector<int> used;  // Indices into problem->formulas.
  // Wall time of the busiest worker inside provers (incl. minimisation).
  absl::Duration prover_time;
  std::vector<std::string> notes;  // One per slice run: "label: szs t".
};

PortfolioOutcome RunPortfolio(const PortfolioRequest& request);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_PORTFOLIO_H_
