#include "cli/flag_groups.h"

#include <algorithm>

namespace thor {
namespace {

// A file name as Abseil reports where a flag is defined: CommandLineFlag::
// Filename() drops the leading "/", "./" and "../" of __FILE__ (which is
// relative or absolute depending on the build), so both sides are compared
// in that form.
absl::string_view Normalized(absl::string_view file) {
  const size_t start = file.find_first_not_of("\\/.");
  return start == absl::string_view::npos ? "" : file.substr(start);
}

}  // namespace

std::vector<const absl::CommandLineFlag*> FlagsDefinedIn(const std::vector<const char*>& files) {
  const auto all = absl::GetAllFlags();
  std::vector<const absl::CommandLineFlag*> out;
  for (const char* file : files) {
    const size_t first = out.size();
    for (const auto& [name, flag] : all) {
      if (Normalized(flag->Filename()) == Normalized(file)) out.push_back(flag);
    }
    std::sort(out.begin() + first, out.end(),
              [](const absl::CommandLineFlag* a, const absl::CommandLineFlag* b) {
                return a->Name() < b->Name();
              });
  }
  return out;
}

}  // namespace thor
