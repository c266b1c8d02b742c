#include "eval/jsonl_suite.h"

#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "provers/provers.h"

namespace thor::eval {
namespace {

using nlohmann::json;

// The string field `key` of `obj`, or "" when absent; an error when present
// but not a string.
absl::Status GetString(const json& obj, const char* key, const std::string& where,
                       std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": field \"", key, "\" must be a string"));
  }
  *out = it->get<std::string>();
  return absl::OkStatus();
}

absl::StatusOr<SuiteTheorem> ParseLine(const std::string& line, const std::string& where,
                                       const std::string& fallback_id,
                                       const std::string& default_prover) {
  json obj = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (obj.is_discarded() || !obj.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": not a JSON object (one theorem per line expected)"));
  }
  SuiteTheorem t;
  v1::Theorem& th = t.theorem;
  std::string id, name, prover, statement, context, file_path, session, wd;
  for (auto [key, out] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"id", &id}, {"name", &name}, {"prover", &prover}, {"statement", &statement},
           {"context", &context}, {"file_path", &file_path}, {"session", &session},
           {"working_directory", &wd}}) {
    if (absl::Status s = GetString(obj, key, where, out); !s.ok()) return s;
  }
  if (statement.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": missing \"statement\""));
  }
  if (prover.empty()) prover = default_prover;
  if (prover.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": missing \"prover\" (one of: ", ProverNamesJoined(),
        "); add it to the line or pass --jsonl_prover"));
  }
  t.id = !id.empty() ? id : !name.empty() ? name : fallback_id;
  th.set_prover(prover);
  th.set_name(name.empty() ? t.id : name);
  th.set_statement(statement);
  th.set_context(context);
  th.set_file_path(file_path);
  th.set_session(session);
  th.set_working_directory(wd);
  for (auto [key, add] :
       std::initializer_list<std::pair<const char*, std::function<void(std::string)>>>{
           {"imports", [&th](std::string v) { th.add_imports(std::move(v)); }},
           {"allowed_axioms", [&th](std::string v) { th.add_allowed_axioms(std::move(v)); }}}) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) continue;
    const absl::Status not_strings = absl::InvalidArgumentError(
        absl::StrCat(where, ": field \"", key, "\" must be an array of strings"));
    if (!it->is_array()) return not_strings;
    for (const json& v : *it) {
      if (!v.is_string()) return not_strings;
      add(v.get<std::string>());
    }
  }
  return t;
}

std::string FileStem(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') + 1);
  return base.substr(0, base.find('.'));
}

}  // namespace

absl::StatusOr<std::vector<SuiteTheorem>> ParseJsonlSuite(const std::string& text,
                                                          const std::string& source,
                                                          const std::string& default_prover) {
  std::vector<SuiteTheorem> out;
  absl::flat_hash_set<std::string> ids;
  int line_no = 0;
  const std::string stem = FileStem(source);
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = absl::StrCat(source, ":", line_no);
    absl::StatusOr<SuiteTheorem> t = ParseLine(std::string(line), where,
                                               absl::StrCat(stem, ":", line_no),
                                               default_prover);
    if (!t.ok()) return t.status();
    if (!ids.insert(t->id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": duplicate id \"", t->id, "\""));
    }
    out.push_back(*std::move(t));
  }
  return out;
}

absl::StatusOr<std::vector<SuiteTheorem>> LoadJsonlSuite(const std::string& path,
                                                         const std::string& default_prover) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read suite file ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseJsonlSuite(buffer.str(), path, default_prover);
}

}  // namespace thor::eval
