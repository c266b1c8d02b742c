// The limits a server puts on interactive proof sessions (server
// configuration keys in brackets; `thor serve` has a flag of each name).
#ifndef THOR_SESSIONS_SESSION_LIMITS_H_
#define THOR_SESSIONS_SESSION_LIMITS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace thor {

struct SessionLimits {
  // Sessions open at once on the server, each with its own prover process
  // ("max_sessions").
  int max_sessions = 16;
  // Proof states one session may hold, its root included
  // ("max_states_per_session").
  int max_states_per_session = 10000;
  // Proof states all sessions together may hold ("max_session_states").
  int max_states = 200000;
  // Bytes of proof states (goal text and the steps of each path, as
  // StateTree::bytes counts them) one session may hold
  // ("max_session_memory_mb"): a client that keeps branching on huge goals
  // is stopped here, not by the server's memory. With max_sessions, this
  // bounds what all sessions hold. The prover process's own memory has its
  // own cap (the bridge's memory_limit_bytes, an RLIMIT_AS).
  int64_t max_session_bytes = int64_t{64} << 20;
  // A session with no call for this long is closed and its prover process
  // ended; also the most a client may ask for ("session_idle_timeout_s").
  absl::Duration idle_timeout = absl::Seconds(600);
};

}  // namespace thor

#endif  // THOR_SESSIONS_SESSION_LIMITS_H_
