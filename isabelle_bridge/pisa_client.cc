#include "isabelle_bridge/pisa_client.h"

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace thor::isabelle {

std::shared_ptr<grpc::Channel> MakePisaChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kPisaMaxMessageBytes);
  args.SetMaxSendMessageSize(kPisaMaxMessageBytes);
  // Reconnect quickly after a server restart on the same port.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

absl::Status FromPisaStatus(const grpc::Status& status, const char* what,
                            const std::string& address) {
  if (status.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat("PISA ", what, " at ", address, ": ", status.error_message());
  switch (status.error_code()) {
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::DeadlineExceededError(msg);
    case grpc::StatusCode::UNAVAILABLE:
      return absl::UnavailableError(msg);
    case grpc::StatusCode::CANCELLED:
      return absl::CancelledError(msg);
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return absl::ResourceExhaustedError(msg);
    default:
      return absl::InternalError(msg);
  }
}

PisaClient::PisaClient(const std::string& address)
    : address_(address), stub_(server::Server::NewStub(MakePisaChannel(address))) {}

template <typename Request, typename Reply, typename Method>
absl::Status PisaClient::Call(Method method, const Request& request, Reply* reply,
                              absl::Time deadline, const char* what) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(deadline));
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_) {
      cancelled_ = false;
      return absl::CancelledError(absl::StrCat("PISA ", what, ": interrupted"));
    }
    active_ = &context;
  }
  grpc::Status status = (stub_.get()->*method)(&context, request, reply);
  {
    absl::MutexLock lock(&mu_);
    active_ = nullptr;
    cancelled_ = false;
  }
  return FromPisaStatus(status, what, address_);
}

void PisaClient::Cancel() {
  absl::MutexLock lock(&mu_);
  if (active_ != nullptr) {
    active_->TryCancel();
  } else {
    cancelled_ = true;
  }
}

absl::Status PisaClient::InitialiseIsabelle(const std::string& isabelle_home,
                                            absl::Time deadline) {
  server::IsaPath request;
  request.set_path(isabelle_home);
  server::IsaMessage reply;
  return Call(&server::Server::Stub::InitialiseIsabelle, request, &reply, deadline,
              "InitialiseIsabelle");
}

absl::Status PisaClient::WorkingDirectory(const std::string& dir, absl::Time deadline) {
  server::IsaPath request;
  request.set_path(dir);
  server::IsaMessage reply;
  return Call(&server::Server::Stub::IsabelleWorkingDirectory, request, &reply, deadline,
              "IsabelleWorkingDirectory");
}

absl::Status PisaClient::Context(const std::string& theory_file, absl::Time deadline) {
  server::IsaContext request;
  request.set_context(theory_file);
  server::IsaMessage reply;
  return Call(&server::Server::Stub::IsabelleContext, request, &reply, deadline,
              "IsabelleContext");
}

absl::StatusOr<std::string> PisaClient::Command(const std::string& command,
                                                absl::Time deadline) {
  server::IsaCommand request;
  request.set_command(command);
  server::IsaState reply;
  absl::Status s =
      Call(&server::Server::Stub::IsabelleCommand, request, &reply, deadline, "IsabelleCommand");
  if (!s.ok()) return s;
  return std::move(*reply.mutable_state());
}

absl::StatusOr<std::string> PisaClient::ProceedAfter(const std::string& statement,
                                                     absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(ProceedAfterCommand(statement), deadline);
  if (!reply.ok()) return reply.status();
  // PISA replies with the state after the statement's transition; when the
  // text is not found it replies with the state at the end of the file (no
  // proof: empty) or, on newer branches, "error: Did not find ...".
  if (reply->empty() || absl::StartsWith(*reply, "error: Did not find")) {
    return absl::NotFoundError(
        absl::StrCat("PISA at ", address_, " found no transition whose text is '",
                     NormalizeTransitionText(statement), "' in the theory file"));
  }
  if (absl::StartsWith(*reply, kStepErrorPrefix) || absl::StartsWith(*reply, kUnknownErrorPrefix)) {
    return absl::InvalidArgumentError(absl::StrCat("PISA at ", address_, ": ", *reply));
  }
  return reply;
}

absl::Status PisaClient::Initialise(absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(InitialiseCommand(), deadline);
  if (!reply.ok()) return reply.status();
  if (*reply != kInitialiseReply) {
    return absl::InternalError(absl::StrCat("PISA at ", address_,
                                            ": unexpected reply to <initialise>: ", *reply));
  }
  return absl::OkStatus();
}

absl::StatusOr<ApplyReply> PisaClient::Apply(const std::string& from, const std::string& step,
                                             const std::string& to, bool hammer,
                                             absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(ApplyCommand(from, step, to), deadline);
  if (!reply.ok()) return reply.status();
  return ParseApplyReply(*reply, hammer);
}

absl::StatusOr<bool> PisaClient::IsFinished(const std::string& name, absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(IsFinishedCommand(name), deadline);
  if (!reply.ok()) return reply.status();
  if (*reply == "true") return true;
  if (*reply == "false") return false;
  if (absl::StartsWith(*reply, kMissingStatePrefix)) {
    return absl::NotFoundError(absl::StrCat("PISA at ", address_, ": ", *reply));
  }
  return absl::InternalError(
      absl::StrCat("PISA at ", address_, ": unexpected reply to <is finished>: ", *reply));
}

absl::StatusOr<std::string> PisaClient::GetState(const std::string& name, absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(GetStateCommand(name), deadline);
  if (!reply.ok()) return reply.status();
  if (absl::StartsWith(*reply, kMissingStatePrefix)) {
    return absl::NotFoundError(absl::StrCat("PISA at ", address_, ": ", *reply));
  }
  return reply;
}

absl::Status PisaClient::Clone(const std::string& from, const std::string& to,
                               absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(CloneCommand(from, to), deadline);
  if (!reply.ok()) {
    // PISA's clone_tls throws (NoSuchElementException) for an unknown source.
    if (absl::IsInternal(reply.status())) return absl::NotFoundError(reply.status().message());
    return reply.status();
  }
  if (*reply != absl::StrCat("Successfully copied top level state named: ", to)) {
    return absl::InternalError(
        absl::StrCat("PISA at ", address_, ": unexpected reply to <clone>: ", *reply));
  }
  return absl::OkStatus();
}

absl::Status PisaClient::Delete(const std::string& name, absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(DeleteCommand(name), deadline);
  if (!reply.ok()) return reply.status();
  if (absl::StartsWith(*reply, kMissingStatePrefix)) {
    return absl::NotFoundError(absl::StrCat("PISA at ", address_, ": ", *reply));
  }
  if (*reply != absl::StrCat("Successfully deleted state named: ", name)) {
    return absl::InternalError(
        absl::StrCat("PISA at ", address_, ": unexpected reply to <delete>: ", *reply));
  }
  return absl::OkStatus();
}

absl::Status PisaClient::Exit(absl::Time deadline) {
  absl::StatusOr<std::string> reply = Command(ExitCommand(), deadline);
  if (!reply.ok()) return reply.status();
  if (*reply != "Exited" && *reply != "Destroyed") {
    return absl::InternalError(
        absl::StrCat("PISA at ", address_, ": unexpected reply to exit: ", *reply));
  }
  return absl::OkStatus();
}

absl::Status PisaClient::Ping(absl::Time deadline) {
  server::IsaSearchWidth request;
  request.set_width(1);
  server::IsaMessage reply;
  return Call(&server::Server::Stub::IsabelleSetSearchWidth, request, &reply, deadline,
              "IsabelleSetSearchWidth");
}

}  // namespace thor::isabelle
