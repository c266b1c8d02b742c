// The limits a server puts on interactive proof sessions (server
// configuration keys in brackets; `thor serve` has a flag of each name).
#ifndef THOR_SESSIONS_SESSION_LIMITS_H_
#define THOR_SESSIONS_SESSION_LIMITS_H_

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
  // A session with no call for this long is closed and its prover process
  // ended; also the most a client may ask for ("session_idle_timeout_s").
  absl::Duration idle_timeout = absl::Seconds(600);
};

}  // namespace thor

#endif  // THOR_SESSIONS_SESSION_LIMITS_H_
