#include "search/session_slots.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace thor {

void SessionSlots::Resize(int n) {
  slots_.resize(static_cast<size_t>(n));
  starting_ = n > 0 ? n - 1 : 0;
}

void SessionSlots::InstallFirst(std::unique_ptr<ProverSession> session) {
  slots_[0].session = std::move(session);
}

std::unique_ptr<ProverSession> SessionSlots::TakeFirst() {
  if (slots_.empty()) return nullptr;
  Slot& s = slots_[0];
  if (!s.live || s.busy || s.session == nullptr) return nullptr;
  s.live = false;
  --live_;
  --idle_;
  return std::move(s.session);
}

ProverSession* SessionSlots::BeginStart(int slot,
                                        std::unique_ptr<ProverSession> session) {
  Slot& s = slots_[slot];
  s.session = std::move(session);
  s.busy = true;
  return s.session.get();
}

void SessionSlots::Started(int slot) {
  Slot& s = slots_[slot];
  if (slot > 0) --starting_;
  s.busy = false;
  s.live = true;
  ++live_;
  ++idle_;
}

void SessionSlots::StartFailed(int slot) {
  if (slot > 0) --starting_;
  slots_[slot].busy = false;
}

int SessionSlots::IdleSlot(int preferred) const {
  const Slot& p = slots_[static_cast<size_t>(preferred)];
  if (p.live && !p.busy) return preferred;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].live && !slots_[i].busy) return static_cast<int>(i);
  }
  return preferred;  // Unreachable while idle_ > 0.
}

ProverSession* SessionSlots::Acquire(int slot, absl::Time call_deadline) {
  Slot& s = slots_[slot];
  s.busy = true;
  s.call_deadline = call_deadline;
  --idle_;
  return s.session.get();
}

void SessionSlots::Release(int slot) {
  Slot& s = slots_[slot];
  s.busy = false;
  s.call_deadline = absl::InfiniteFuture();
  if (s.live) ++idle_;
}

bool SessionSlots::NoteOutcome(int slot, StepKind kind) {
  Slot& s = slots_[slot];
  if (kind != StepKind::kProverLost) {
    s.consecutive_lost = 0;
    return false;
  }
  if (++s.consecutive_lost >= kMaxConsecutiveLost && s.live) {
    s.live = false;
    --live_;
    if (!s.busy) --idle_;
    last_error_ = absl::StrCat("prover session ", slot, " was lost ",
                               s.consecutive_lost, " times in a row");
  }
  return true;
}

std::vector<ProverSession*> SessionSlots::ToInterrupt(absl::Time now,
                                                      absl::Duration every) {
  std::vector<ProverSession*> out;
  for (Slot& slot : slots_) {
    // Within kLetFinish of its own limit, either side: one past it by more
    // has not stopped by itself and is interrupted after all.
    const bool ending_by_itself =
        slot.call_deadline - now <= kLetFinish && now - slot.call_deadline < kLetFinish;
    if (slot.busy && slot.session != nullptr && now - slot.last_interrupt >= every &&
        !ending_by_itself) {
      slot.last_interrupt = now;
      out.push_back(slot.session.get());
    }
  }
  return out;
}

}  // namespace thor
