#include "server/log.h"

#include <iostream>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/bounded_text.h"

namespace thor {
namespace {

absl::Mutex g_mu;
std::ostream* g_out ABSL_GUARDED_BY(g_mu) = &std::cerr;

}  // namespace

void SetLogStream(std::ostream* out) {
  absl::MutexLock lock(&g_mu);
  g_out = out;
}

void LogEvent(const std::string& level, const std::string& event, nlohmann::json fields) {
  if (!fields.is_object()) fields = nlohmann::json::object();
  for (auto& [key, value] : fields.items()) {
    if (value.is_string()) {
      value = BoundedText(value.get_ref<const std::string&>(), kMaxLogFieldBytes);
    }
  }
  fields["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  fields["level"] = level;
  fields["event"] = event;
  std::string line = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  absl::MutexLock lock(&g_mu);
  if (g_out != nullptr) *g_out << line << std::endl;
}

}  // namespace thor
