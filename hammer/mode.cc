#include "hammer/mode.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace thor::hammer {

absl::StatusOr<HammerMode> ParseHammerMode(absl::string_view name) {
  if (name == "native") return HammerMode::kNative;
  if (name == "external") return HammerMode::kExternal;
  if (name == "both") return HammerMode::kBoth;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown hammer mode '", name, "' (native, external or both)"));
}

const char* HammerModeName(HammerMode mode) {
  switch (mode) {
    case HammerMode::kNative:
      return "native";
    case HammerMode::kExternal:
      return "external";
    case HammerMode::kBoth:
      return "both";
  }
  return "?";
}

}  // namespace thor::hammer
