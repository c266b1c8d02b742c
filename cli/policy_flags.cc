// How next steps are sampled and tried: `thor prove` and `thor suggest`.
// Unset, the server's own defaults apply (its search_defaults). --policy
// itself is with the model flags (model_flags.cc), which `thor serve` takes
// too.
#include "cli/flag_groups.h"

ABSL_FLAG(double, temperature, 1.2,
          "Sampling temperature; unset: the server's search_defaults (Thor's 1.2).");
ABSL_FLAG(double, step_timeout, 10,
          "Time limit of one step, seconds; unset: the server's search_defaults (Thor's 10).");

namespace thor {
const char* const kPolicyFlags = __FILE__;
}  // namespace thor
