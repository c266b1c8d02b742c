// Structured logs: one JSON object per line ("ts", "level", "event" and the
// caller's fields such as "search_id" and "theorem"), on stderr by default.
#ifndef THOR_SERVER_LOG_H_
#define THOR_SERVER_LOG_H_

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace thor {

// Writes `fields` plus "ts" (RFC 3339, UTC), "level" and "event" as one line.
// Thread-safe; lines never interleave.
void LogEvent(const std::string& level, const std::string& event, nlohmann::json fields = {});

// Where log lines go; null silences them. Not owned; must outlive its use.
void SetLogStream(std::ostream* out);

}  // namespace thor

#endif  // THOR_SERVER_LOG_H_
