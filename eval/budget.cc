#include "eval/budget.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad();
      r->SetInt32(config, f, v);
      break;
    }
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

const std::vector<BudgetPreset>& BudgetPresets() {
  static const auto* presets = new std::vector<BudgetPreset>{
      {"paper", "",
       "the Thor paper's budget, which is the server's search defaults unless its --config "
       "changes them: 500 s per theorem, 300 model queries, 10 s per step, 30 s per hammer "
       "call (the default)"},
      {"quick", "wall_time_s=60,max_model_queries=50", "a first look at a suite"},
      {"ci", "wall_time_s=20,max_model_queries=16,hammer_timeout_s=10,step_timeout_s=5",
       "smoke runs in CI"},
      {"short", "wall_time_s=6,step_timeout_s=0.6,hammer_timeout_s=6,sequential=true",
       "6 s per theorem, one prover call at a time, 0.6 s per step, hammer calls up to 6 s: "
       "the setting of the learned-policy tables (bench/coq_suite)"},
  };
  return *presets;
}

const BudgetPreset* FindPreset(const std::string& name) {
  for (const BudgetPreset& p : BudgetPresets()) {
    if (name == p.name) return &p;
  }
  return nullptr;
}

std::string BudgetPresetsHelp() {
  std::string out = "Budget presets (--budget=NAME[,key=value...]):\n";
  for (const BudgetPreset& p : BudgetPresets()) {
    absl::StrAppend(&out, "  ", p.name, "  ", p.fields.empty() ? "no field set" : p.fields,
                    ": ", p.note, "\n");
  }
  return out;
}

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
      const BudgetPreset* preset = FindPreset(item);
      if (preset == nullptr) {
        std::vector<std::string> names;
        for (const BudgetPreset& p : BudgetPresets()) names.push_back(p.name);
        return absl::InvalidArgumentError(absl::StrCat("--budget: unknown preset '", item, "' (",
                                                       absl::StrJoin(names, ", "), ")"));
      }
      for (absl::string_view kv : absl::StrSplit(preset->fields, ',', absl::SkipEmpty())) {
        std::pair<std::string, std::string> field = absl::StrSplit(kv, '=');
        if (absl::Status s = SetField(&config, field.first, field.second); !s.ok()) return s;
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
