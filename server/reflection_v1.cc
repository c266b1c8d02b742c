#include "server/reflection_v1.h"

#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/impl/server_initializer.h>
#include <grpcpp/server_builder.h>

#include <memory>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"

namespace thor {
namespace {

namespace rv1 = grpc::reflection::v1;
using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

void Error(grpc::StatusCode code, const std::string& message, rv1::ServerReflectionResponse* out) {
  out->mutable_error_response()->set_error_code(static_cast<int>(code));
  out->mutable_error_response()->set_error_message(message);
}

// Adds `file` and then its dependencies, each at most once per stream
// (`sent`): a client builds its own pool from what it got so far.
void AddFile(const FileDescriptor* file, std::set<std::string>* sent,
             rv1::FileDescriptorResponse* out) {
  if (!sent->insert(file->name()).second) return;
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  out->add_file_descriptor_proto(proto.SerializeAsString());
  for (int i = 0; i < file->dependency_count(); ++i) AddFile(file->dependency(i), sent, out);
}

void AnswerFile(const FileDescriptor* file, const std::string& what, std::set<std::string>* sent,
                rv1::ServerReflectionResponse* out) {
  if (file == nullptr) {
    Error(grpc::StatusCode::NOT_FOUND, absl::StrCat(what, " is not known to this server"), out);
    return;
  }
  // The file asked for is always sent, even if it went out earlier.
  sent->erase(file->name());
  AddFile(file, sent, out->mutable_file_descriptor_response());
}

class ReflectionV1Plugin final : public grpc::ServerBuilderPlugin {
 public:
  std::string name() override { return "thor_reflection_v1"; }
  void InitServer(grpc::ServerInitializer* si) override { si->RegisterService(service_); }
  void Finish(grpc::ServerInitializer* si) override {
    service_->SetServiceNames(*si->GetServiceList());
  }
  void ChangeArguments(const std::string&, void*) override {}
  bool has_sync_methods() const override { return true; }

 private:
  std::shared_ptr<ReflectionV1Service> service_ = std::make_shared<ReflectionV1Service>();
};

std::unique_ptr<grpc::ServerBuilderPlugin> NewPlugin() {
  return std::make_unique<ReflectionV1Plugin>();
}

}  // namespace

void ReflectionV1Service::SetServiceNames(std::vector<std::string> names) {
  absl::MutexLock lock(&mu_);
  names_ = std::move(names);
}

grpc::Status ReflectionV1Service::ServerReflectionInfo(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<rv1::ServerReflectionResponse, rv1::ServerReflectionRequest>*
        stream) {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  std::set<std::string> sent;
  rv1::ServerReflectionRequest request;
  while (stream->Read(&request)) {
    rv1::ServerReflectionResponse response;
    response.set_valid_host(request.host());
    *response.mutable_original_request() = request;
    switch (request.message_request_case()) {
      case rv1::ServerReflectionRequest::kListServices: {
        absl::MutexLock lock(&mu_);
        for (const std::string& name : names_) {
          response.mutable_list_services_response()->add_service()->set_name(name);
        }
        break;
      }
      case rv1::ServerReflectionRequest::kFileByFilename:
        AnswerFile(pool->FindFileByName(request.file_by_filename()),
                   absl::StrCat("file '", request.file_by_filename(), "'"), &sent, &response);
        break;
      case rv1::ServerReflectionRequest::kFileContainingSymbol:
        AnswerFile(pool->FindFileContainingSymbol(request.file_containing_symbol()),
                   absl::StrCat("symbol '", request.file_containing_symbol(), "'"), &sent,
                   &response);
        break;
      case rv1::ServerReflectionRequest::kFileContainingExtension: {
        const rv1::ExtensionRequest& e = request.file_containing_extension();
        const Descriptor* type = pool->FindMessageTypeByName(e.containing_type());
        const FieldDescriptor* ext =
            type == nullptr ? nullptr : pool->FindExtensionByNumber(type, e.extension_number());
        AnswerFile(ext == nullptr ? nullptr : ext->file(),
                   absl::StrCat("extension ", e.extension_number(), " of '",
                                e.containing_type(), "'"),
                   &sent, &response);
        break;
      }
      case rv1::ServerReflectionRequest::kAllExtensionNumbersOfType: {
        const Descriptor* type = pool->FindMessageTypeByName(request.all_extension_numbers_of_type());
        if (type == nullptr) {
          Error(grpc::StatusCode::NOT_FOUND,
                absl::StrCat("message type '", request.all_extension_numbers_of_type(),
                             "' is not known to this server"),
                &response);
          break;
        }
        std::vector<const FieldDescriptor*> extensions;
        pool->FindAllExtensions(type, &extensions);
        rv1::ExtensionNumberResponse* out = response.mutable_all_extension_numbers_response();
        out->set_base_type_name(type->full_name());
        for (const FieldDescriptor* f : extensions) out->add_extension_number(f->number());
        break;
      }
      case rv1::ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
        Error(grpc::StatusCode::INVALID_ARGUMENT,
              "message_request: set one of file_by_filename, file_containing_symbol, "
              "file_containing_extension, all_extension_numbers_of_type, list_services",
              &response);
        break;
    }
    if (!stream->Write(response)) break;
    if (context->IsCancelled()) break;
  }
  return grpc::Status::OK;
}

void InitReflectionV1Plugin() {
  static const bool registered = [] {
    grpc::ServerBuilder::InternalAddPluginFactory(&NewPlugin);
    return true;
  }();
  (void)registered;
}

}  // namespace thor
