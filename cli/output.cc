#include "cli/output.h"

#include <iostream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/rpc_util.h"

namespace thor {

int ReportRpcError(const std::string& command, const grpc::Status& status) {
  std::cerr << "thor " << command << ": " << GrpcCodeName(status.error_code()) << ": "
            << status.error_message() << "\n";
  return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ? 2 : 1;
}

std::string CheckedByLine(const google::protobuf::RepeatedPtrField<std::string>& checkers,
                          const google::protobuf::RepeatedPtrField<std::string>& axioms) {
  return absl::StrCat("checked by: ", checkers.empty() ? "nothing" : absl::StrJoin(checkers, ", "),
                      "; rests on: ", axioms.empty() ? "nothing" : absl::StrJoin(axioms, ", "));
}

std::string PreparingLine(const v1::SearchEvent& e) {
  const v1::PreparingProver& p = e.preparing();
  return absl::StrFormat("[%6.1fs] preparing %s: %s%s", e.t_s(), p.prover(), p.phase(),
                         p.message().empty() ? "" : absl::StrCat(" (", p.message(), ")"));
}

std::string ToJsonLine(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

}  // namespace thor
