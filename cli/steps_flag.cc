// The steps already applied: `thor suggest` and `thor check`.
#include "cli/flag_groups.h"

ABSL_FLAG(std::vector<std::string>, steps, {},
          "Steps already applied after the statement, comma-separated (suggest, check).");

namespace thor {
const char* const kStepsFlag = __FILE__;
}  // namespace thor
