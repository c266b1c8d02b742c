#include "server/rpc_runner.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/cancel_watcher.h"
#include "server/grpc_server.h"
#include "server/log.h"
#include "server/rpc_util.h"
#include "server/security.h"

namespace thor {

grpc::Status RpcRunner::Run(
    const char* method, grpc::ServerContext* context,
    const std::function<absl::Status(std::atomic<bool>* cancel)>& body) const {
  const absl::Time start = absl::Now();
  absl::Status status = CheckBearerToken(*context, auth_token);
  if (status.ok()) {
    std::atomic<bool> cancel{false};
    {
      CancelWatcher watcher(
          [this, context] {
            return context->IsCancelled() || (server_cancels && server_cancels());
          },
          [&cancel] { cancel.store(true); });
      status = body(&cancel);
    }
    if (context->IsCancelled()) {
      status = TimeLeft(*context) <= absl::ZeroDuration()
                   ? absl::DeadlineExceededError("the client's deadline passed")
                   : absl::CancelledError("the client cancelled the call");
    }
  }
  grpc::Status out = ToGrpcStatus(status);
  if (out.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    context->AddTrailingMetadata("retry-after-s",
                                 absl::StrCat(absl::ToInt64Seconds(retry_after)));
  }
  if (metrics != nullptr) {
    metrics->RpcFinished(method, GrpcCodeName(out.error_code()), absl::Now() - start);
  }
  if (!out.ok()) {
    LogEvent("warning", "rpc_failed",
             {{"method", method}, {"code", GrpcCodeName(out.error_code())},
              {"message", out.error_message()}, {"peer", context->peer()}});
  }
  return out;
}

}  // namespace thor
