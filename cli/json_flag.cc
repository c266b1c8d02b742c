// --json, for the subcommands that can print JSON instead of text.
#include "cli/flag_groups.h"

ABSL_FLAG(bool, json, false,
          "Print JSON instead of text: one object (hammer, suggest, check), or one line per "
          "event (prove).");

namespace thor {
const char* const kJsonFlag = __FILE__;
}  // namespace thor
