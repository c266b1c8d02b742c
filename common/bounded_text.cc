#include "common/bounded_text.h"

#include "absl/strings/str_cat.h"

namespace thor {

std::string BoundedText(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  // The note's length depends on the numbers in it; this bound covers them.
  constexpr size_t kNoteBytes = 48;
  size_t keep = max_bytes > kNoteBytes ? max_bytes - kNoteBytes : 0;
  // Back off to the start of a UTF-8 character (continuation bytes are
  // 10xxxxxx), so the result stays valid UTF-8 for protobuf string fields.
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
  return absl::StrCat(text.substr(0, keep), " ... [", text.size() - keep, " of ", text.size(),
                      " bytes cut]");
}

}  // namespace thor
