// What the client subcommands print: RPC errors, the "checked by / rests on"
// line, messages as JSON lines.
#ifndef THOR_CLI_OUTPUT_H_
#define THOR_CLI_OUTPUT_H_

#include <string>

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_ptr_field.h>
#include <grpcpp/grpcpp.h>

#include "proto/thor/v1/thor.pb.h"

namespace thor {

// Prints `status` as "thor <command>: CODE: message" on stderr; returns the
// exit code for it (2 for INVALID_ARGUMENT, else 1).
int ReportRpcError(const std::string& command, const grpc::Status& status);

// What a result rests on, for people: "checked by: CHECKER, CHECKER; rests
// on: nothing" (or the axioms, comma-separated). "checked by: nothing" when
// no checker accepted the proof (not re-checked, or rejected).
std::string CheckedByLine(const google::protobuf::RepeatedPtrField<std::string>& checkers,
                          const google::protobuf::RepeatedPtrField<std::string>& axioms);

// A preparing event, for people: "[  0.0s] preparing coq: starting_prover
// (starting coq)".
std::string PreparingLine(const v1::SearchEvent& e);

// `m` as one line of JSON with the .proto field names.
std::string ToJsonLine(const google::protobuf::Message& m);

}  // namespace thor

#endif  // THOR_CLI_OUTPUT_H_
