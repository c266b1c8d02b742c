// The external hammer's AtpRunner backed by Thor's portfolio (hammer/):
// premise selection plus E, cvc5, cvc4, SPASS, z3 on CoqHammer's TPTP export.
#ifndef THOR_COQ_BRIDGE_HAMMER_ATP_H_
#define THOR_COQ_BRIDGE_HAMMER_ATP_H_

#include "coq_bridge/coq_session.h"
#include "hammer/hammer.h"

namespace thor::coq {

// The portfolio schedule (hammer/schedule.h JSON) for CoqHammer exports:
// cvc5, cvc4 and E on the whole exported problem, then cvc5 on a MePo cut.
const char* CoqExportSchedule();

// An AtpRunner that solves each problem on `hammer` (the server's
// long-lived one, so its proofs go into the premise database), or on one
// Hammer the runner keeps when it is null, with `options` (its timeout
// replaced by the call's budget; without a schedule or schedule_path,
// CoqExportSchedule() as a value). The call's cancel flag stops that call
// only (its provers are killed).
AtpRunner MakeHammerAtpRunner(hammer::HammerOptions options = hammer::HammerOptions(),
                              std::shared_ptr<hammer::Hammer> hammer = nullptr);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_HAMMER_ATP_H_
