#include "cli/flag_groups.h"

#include <algorithm>

namespace thor {

std::vector<const absl::CommandLineFlag*> FlagsDefinedIn(const std::vector<const char*>& files) {
  const auto all = absl::GetAllFlags();
  std::vector<const absl::CommandLineFlag*> out;
  for (const char* file : files) {
    const size_t first = out.size();
    for (const auto& [name, flag] : all) {
      if (flag->Filename() == file) out.push_back(flag);
    }
    std::sort(out.begin() + first, out.end(),
              [](const absl::CommandLineFlag* a, const absl::CommandLineFlag* b) {
                return a->Name() < b->Name();
              });
  }
  return out;
}

}  // namespace thor
