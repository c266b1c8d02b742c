// The hammer's time limit: `thor hammer` (its wall budget) and `thor prove`
// (each hammer call; unset there, the server's search_defaults apply).
#include "cli/flag_groups.h"

ABSL_FLAG(double, hammer_timeout, 30,
          "Time limit of the hammer, seconds: thor hammer's wall budget; for thor prove each "
          "call's (unset: the server's search_defaults, Thor's 30).");

namespace thor {
const char* const kHammerTimeoutFlag = __FILE__;
}  // namespace thor
