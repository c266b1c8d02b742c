// The keys of Theorem::options the Isabelle bridge reads. Both travel in
// thor.v1.Theorem fields of the same names.
#ifndef THOR_ISABELLE_BRIDGE_THEOREM_OPTIONS_H_
#define THOR_ISABELLE_BRIDGE_THEOREM_OPTIONS_H_

#include <string>

#include "search/types.h"

namespace thor::isabelle {

// The two keys are thor::kSessionOption (the session, or logic, the theorem
// needs, e.g. HOL or an AFP entry) and thor::kWorkingDirectoryOption (the
// folder PISA works in, where it infers the session of a theory file),
// from search/types.h: both travel in thor.v1.Theorem fields.
using ::thor::kSessionOption;
using ::thor::kWorkingDirectoryOption;

inline const std::string& SessionOf(const Theorem& t) { return t.options.Get(kSessionOption); }
inline const std::string& WorkingDirectoryOf(const Theorem& t) {
  return t.options.Get(kWorkingDirectoryOption);
}

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_THEOREM_OPTIONS_H_
