// The external hammer's AtpRunner backed by Thor's portfolio (hammer/):
// premise selection plus E, cvc5, cvc4, SPASS, z3 on CoqHammer's TPTP export.
#ifndef THOR_COQ_BRIDGE_HAMMER_ATP_H_
#define THOR_COQ_BRIDGE_HAMMER_ATP_H_

#include "coq_bridge/coq_session.h"
#include "hammer/hammer.h"

namespace thor::coq {

// An AtpRunner that solves each problem with a fresh thor::hammer::Hammer
// built from `options` (its timeout replaced by the call's budget; without a
// schedule_path, CoqExportSchedule() is used). The call's cancel flag
// cancels that Hammer (its provers are killed).
// The portfolio schedule (hammer/schedule.h JSON) for CoqHammer exports:
// cvc5, cvc4 and E on the whole exported problem, then cvc5 on a MePo cut.
const char* CoqExportSchedule();

AtpRunner MakeHammerAtpRunner(hammer::HammerOptions options = hammer::HammerOptions());

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_HAMMER_ATP_H_
