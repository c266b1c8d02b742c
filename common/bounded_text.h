// Text that came from a client or a prover, made safe to send back or log:
// at most a bounded number of bytes, cut on a UTF-8 character boundary,
// with how much was cut said at the end. A 5 MB statement echoed whole in an
// error message made the client's own receive limit fail the call, and it
// filled the log twice.
#ifndef THOR_COMMON_BOUNDED_TEXT_H_
#define THOR_COMMON_BOUNDED_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace thor {

// For messages in responses and gRPC statuses.
inline constexpr size_t kMaxMessageBytes = 8 << 10;
// For each string field of a log line.
inline constexpr size_t kMaxLogFieldBytes = 2 << 10;

// `text` if it has at most `max_bytes` bytes; otherwise its first bytes and
// " ... [N of M bytes cut]", max_bytes in all (a little more when max_bytes
// is too small to hold the note).
std::string BoundedText(absl::string_view text, size_t max_bytes = kMaxMessageBytes);

}  // namespace thor

#endif  // THOR_COMMON_BOUNDED_TEXT_H_
