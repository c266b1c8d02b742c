// Translation between the thor.v1.ProofSession messages and the domain of
// sessions/ (SessionManager), with the validation of those requests.
// Errors are InvalidArgument naming the field.
#ifndef THOR_SERVER_SESSION_CONVERT_H_
#define THOR_SERVER_SESSION_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.pb.h"
#include "server/config.h"
#include "sessions/session_manager.h"

namespace thor {

// The session's timeouts: step_timeout_s (default the server's step
// timeout, at most its clamp), idle_timeout_s (default and at most
// session_idle_timeout_s), and the server's start timeout.
absl::StatusOr<SessionOptions> SessionOptionsFromProto(const v1::OpenSessionRequest& q,
                                                       const ServerConfig& server);

// session_id and state_id (when not null) are required, and short lines.
absl::Status CheckSessionIds(const std::string& session_id, const std::string* state_id);

void SessionStateToProto(const SessionStateInfo& s, v1::SessionState* out);
void StepReplyToProto(const SessionStepReply& r, v1::RunStepResponse* out);
void HammerReplyToProto(const SessionHammerReply& r, v1::SessionHammerResponse* out);
void ProofCheckToProto(const SessionProofCheck& c, v1::CheckSessionProofResponse* out);

}  // namespace thor

#endif  // THOR_SERVER_SESSION_CONVERT_H_
