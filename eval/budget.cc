#include "eval/budget.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace thor::eval {
namespace {

using google::protobuf::FieldDescriptor;

absl::Status SetField(thor::v1::SearchConfig* config, const std::string& key,
                      const std::string& value) {
  const FieldDescriptor* f = config->GetDescriptor()->FindFieldByName(key);
  if (f == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--budget: unknown field '", key, "' (use thor.v1.SearchConfig names, e.g. "
        "wall_time_s, max_model_queries, step_timeout_s, hammer_timeout_s, policy)"));
  }
  const auto* r = config->GetReflection();
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("--budget: bad value '", value, "' for ", key));
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad();
      r->SetUInt32(config, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad();
      r->SetUInt64(config, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!absl::SimpleAtod(value, &v)) return bad();
      r->SetDouble(config, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(value, &v)) return bad();
      r->SetBool(config, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING:
      r->SetString(config, f, value);
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat("--budget: cannot set ", key));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<thor::v1::SearchConfig> ParseBudget(const std::string& text) {
  thor::v1::SearchConfig config;
  std::string t(absl::StripAsciiWhitespace(text));
  if (!t.empty() && t[0] == '{') {
    auto s = google::protobuf::util::JsonStringToMessage(t, &config);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--budget: bad SearchConfig JSON: ", s.ToString()));
    }
    return config;
  }
  bool first = true;
  for (absl::string_view part : absl::StrSplit(t, ',', absl::SkipWhitespace())) {
    std::string item(absl::StripAsciiWhitespace(part));
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      if (!first) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--budget: '", item, "' must be key=value (a preset may only come first)"));
      }
      if (item == "quick") {
        config.set_wall_time_s(60);
        config.set_max_model_queries(50);
      } else if (item == "ci") {
        config.set_wall_time_s(20);
        config.set_max_model_queries(16);
        config.set_hammer_timeout_s(10);
        config.set_step_timeout_s(5);
      } else if (item != "paper") {
        return absl::InvalidArgumentError(absl::StrCat(
            "--budget: unknown preset '", item, "' (paper, quick, ci)"));
      }
    } else {
      absl::Status s = SetField(&config, item.substr(0, eq), item.substr(eq + 1));
      if (!s.ok()) return s;
    }
    first = false;
  }
  return config;
}

uint64_t StableHash(const std::string& data) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string ConfigHash(const thor::v1::SearchConfig& config, const std::string& suite_version) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    config.SerializeToCodedStream(&out);
  }
  if (!suite_version.empty()) {
    bytes += std::string(1, '\0') + "suite_version=" + suite_version;
  }
  return absl::StrFormat("%016x", StableHash(bytes));
}

uint64_t TheoremSeed(uint64_t run_seed, const std::string& theorem_id) {
  if (run_seed == 0) return 0;
  uint64_t s = StableHash(absl::StrCat(run_seed, "/", theorem_id));
  return s == 0 ? 1 : s;
}

}  // namespace thor::eval
