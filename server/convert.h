// Translation between thor.v1 messages and the domain types of search/, with
// the validation every request goes through. Errors are InvalidArgument and
// name the offending field by its path in the request ("theorem.statement",
// "config.wall_time_s") and the reason.
#ifndef THOR_SERVER_CONVERT_H_
#define THOR_SERVER_CONVERT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hammer/hammer.h"
#include "proto/thor/v1/thor.pb.h"
#include "search/search_result.h"
#include "search/observer.h"
#include "search/types.h"
#include "search/verbs.h"
#include "server/config.h"

namespace thor {

// Validates `t` (prover and statement required, sizes and characters sane)
// and converts it. `field` is the field's path, e.g. "theorem".
// `file_path` and `working_directory`, when set, must resolve inside
// `file_root` (the server's theorem_file_root; empty: the server reads no
// file a client names) and are replaced by their canonical forms; see
// ResolveClientPath (server/client_paths.h) for the codes.
absl::StatusOr<Theorem> TheoremFromProto(const v1::Theorem& t, const std::string& field,
                                         const std::string& file_root);

// Validates step texts (each non-empty, bounded, no NUL). `field` is e.g. "steps".
absl::Status CheckSteps(const google::protobuf::RepeatedPtrField<std::string>& steps,
                        const std::string& field);
// One step text, as CheckSteps checks each. `field` is e.g. "step".
absl::Status CheckStepText(const std::string& step, const std::string& field);

// The search configuration a request gets: the server's defaults for unset
// fields, the request's values where set (refused if out of range), then
// clamped to the server's limits. `field` is e.g. "config".
absl::StatusOr<SearchConfig> SearchConfigFromProto(const v1::SearchConfig& c,
                                                   const ServerConfig& server,
                                                   const std::string& field);
void SearchConfigToProto(const SearchConfig& c, v1::SearchConfig* out);

// An optional duration in seconds: `fallback` when unset; refused unless
// finite and > 0; then at most `max`.
absl::StatusOr<absl::Duration> SecondsField(bool has, double seconds, absl::Duration fallback,
                                            absl::Duration max, const std::string& field);

// A theorem (required: `has_theorem`) and the steps that reach a state,
// validated, with the server's default start and step timeouts. `prefix`
// is the fields' path, e.g. "state.".
absl::StatusOr<StateRequest> StateFromProto(
    bool has_theorem, const v1::Theorem& theorem,
    const google::protobuf::RepeatedPtrField<std::string>& steps, const std::string& prefix,
    const ServerConfig& server);

// Domain to proto.
v1::StepOutcome::Kind StepKindToProto(StepKind kind);
void StepResultToProto(const StepResult& r, v1::StepOutcome* out);
void PreparingEventToProto(const PreparingEvent& e, v1::PreparingProver* out);
v1::RecheckVerdict RecheckVerdictToProto(RecheckVerdict v);
v1::AtpStatus AtpStatusToProto(hammer::AtpStatus s);
void SuggestResultToProto(const SuggestResult& r, v1::SuggestStepsResponse* out);
// The hammer on a proof state (elapsed_s left to the caller).
void HammerStepResultToProto(const HammerStepResult& r, v1::HammerResponse* out);
// The hammer on a TPTP problem.
void HammerResultToProto(const hammer::HammerResult& r, v1::HammerResponse* out);
void RecheckResultToProto(const RecheckResult& r, v1::CheckProofResponse* out);
// A proof's steps and its text (the text only when there are steps).
void FoundStepsToProto(const std::vector<FoundStep>& steps, const std::string& text,
                       v1::Proof* out);

}  // namespace thor

#endif  // THOR_SERVER_CONVERT_H_
