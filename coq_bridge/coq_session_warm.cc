// CoqSession's start-up without waiting for CoqHammer: which process a
// session starts on (hammer-ready or light), the move to a hammer-ready one
// before the first hammer call, and the progress reports on the way.
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "coq_bridge/coq_session.h"

namespace thor::coq {

void CoqSession::SetProgressCallback(ProverProgressCallback callback) {
  progress_ = std::move(callback);
}

void CoqSession::Report(const char* phase, std::string message) {
  if (progress_) progress_(ProverProgress{phase, std::move(message)});
}

void CoqSession::NoteHammerReady() {
  if (!light_ || hammer_ready_reported_ || pool_->idle() == 0) return;
  hammer_ready_reported_ = true;
  Report("hammer_ready", "CoqHammer is ready (the next hammer call moves to its process)");
}

absl::StatusOr<std::unique_ptr<Coqtop>> CoqSession::AcquireProcess(absl::Time deadline,
                                                                   bool* light) {
  *light = false;
  if (light_pool_ == nullptr) {
    if (pool_->idle() == 0) Report("starting_prover", "starting coqtop with CoqHammer");
    return pool_->Acquire(deadline, &interrupted_, head_, whole_);
  }
  if (std::unique_ptr<Coqtop> warm = pool_->TryAcquire(head_, whole_)) return warm;
  // None is ready: one warms up in the background (CoqHammer's feature
  // extraction takes half a minute or more) while this session works on a
  // process that starts in about a second.
  pool_->StartInBackground();
  *light = true;
  if (light_pool_->idle() == 0) {
    Report("starting_prover", "starting coqtop; CoqHammer loads in another one meanwhile");
  }
  return light_pool_->Acquire(deadline, &interrupted_, head_, whole_);
}

absl::Status CoqSession::EnsureHammerReady(absl::Time deadline) {
  absl::Status loaded = EnsureLoaded(deadline);
  if (!loaded.ok() || !light_) return loaded;
  if (pool_->idle() == 0) Report("hammer_loading", "the hammer call waits for CoqHammer to load");
  // Waits for the background start (Interrupt() stops the wait).
  absl::StatusOr<std::unique_ptr<Coqtop>> warm =
      pool_->Acquire(deadline, &interrupted_, head_, whole_);
  if (!warm.ok()) return warm.status();
  absl::StatusOr<std::string> text = LoadTheorem(**warm, deadline);
  if (!text.ok()) {
    pool_->Release(std::move(*warm));
    return text.status();
  }
  // The states of the light process are replayed on the new one when a
  // call names them (GoTo sees another process id).
  const int initial = (*warm)->state();
  std::unique_ptr<Coqtop> previous;
  {
    absl::MutexLock lock(&mu_);
    previous = std::move(coq_);
    coq_ = std::move(*warm);
  }
  live_ = {Node{initial, ""}};
  light_ = false;
  if (previous != nullptr) light_pool_->Release(std::move(previous));
  if (!hammer_ready_reported_) {
    hammer_ready_reported_ = true;
    Report("hammer_ready", "CoqHammer is ready");
  }
  return absl::OkStatus();
}

}  // namespace thor::coq
