#include "server/config.h"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thor {
namespace {

using json = nlohmann::json;

// Reads one object's keys with typed setters; remembers the first error.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) Fail(path_, "must be a JSON object");
  }

  void Int(const char* key, int* out, int min) {
    Visit(key, [&](const json& v, const std::string& where) {
      if (!v.is_number_integer() || v.get<long long>() < min) {
        return Fail(where, absl::StrCat("must be an integer >= ", min));
      }
      *out = v.get<int>();
    });
  }
  void Double(const char* key, double* out, double min) {
    Visit(key, [&](const json& v, const std::string& where) {
      if (!v.is_number() || v.get<double>() < min) {
        return Fail(where, absl::StrCat("must be a number >= ", min));
      }
      *out = v.get<double>();
    });
  }
  void Seconds(const char* key, absl::Duration* out) {
    double s = absl::ToDoubleSeconds(*out);
    Double(key, &s, 0.0);
    *out = absl::Seconds(s);
  }
  void String(const char* key, std::string* out) {
    Visit(key, [&](const json& v, const std::string& where) {
      if (!v.is_string()) return Fail(where, "must be a string");
      *out = v.get<std::string>();
    });
  }
  void Bool(const char* key, bool* out) {
    Visit(key, [&](const json& v, const std::string& where) {
      if (!v.is_boolean()) return Fail(where, "must be true or false");
      *out = v.get<bool>();
    });
  }
  void Object(const char* key, const std::function<void(ObjectReader&)>& read) {
    Visit(key, [&](const json& v, const std::string& where) {
      ObjectReader sub(v, where);
      if (sub.status_.ok()) read(sub);
      if (status_.ok()) status_ = sub.Finish();
    });
  }
  // Each member of the object at `key`, whatever its name.
  void EachMember(const char* key,
                  const std::function<void(const std::string&, const json&,
                                           const std::string&)>& read) {
    Visit(key, [&](const json& v, const std::string& where) {
      if (!v.is_object()) return Fail(where, "must be a JSON object");
      for (auto it = v.begin(); it != v.end(); ++it) {
        read(it.key(), it.value(), absl::StrCat(where, ".", it.key()));
      }
    });
  }

  void Fail(const std::string& where, const std::string& why) {
    if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat(where, ": ", why));
  }

  // Unknown keys are errors: a misspelt limit must not pass silently.
  absl::Status Finish() {
    if (!status_.ok() || !object_.is_object()) return status_;
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (!known_.count(it.key())) {
        return absl::InvalidArgumentError(
            absl::StrCat(path_, ".", it.key(), ": unknown key (known: ",
                         absl::StrJoin(known_, ", "), ")"));
      }
    }
    return status_;
  }

 private:
  void Visit(const char* key, const std::function<void(const json&, const std::string&)>& f) {
    known_.insert(key);
    if (!status_.ok() || !object_.is_object() || !object_.contains(key)) return;
    f(object_.at(key), absl::StrCat(path_, ".", key));
  }

  const json& object_;
  std::string path_;
  std::set<std::string> known_;
  absl::Status status_;
};

void ReadSearchDefaults(ObjectReader& r, SearchConfig* c) {
  r.Int("queue_size", &c->queue_size, 1);
  r.Double("temperature", &c->temperature, 0.0);
  r.Int("max_model_queries", &c->max_model_queries, 1);
  r.Seconds("wall_time_s", &c->wall_time);
  r.Seconds("step_timeout_s", &c->step_timeout);
  r.Seconds("hammer_timeout_s", &c->hammer_timeout);
  r.Int("samples_per_query", &c->samples_per_query, 1);
  r.Int("max_inflight_queries", &c->max_inflight_queries, 1);
  r.Int("max_inflight_steps", &c->max_inflight_steps, 1);
  r.String("hammer_token", &c->hammer_token);
  r.Int("root_hammer_place", &c->root_hammer_place, -1);
}

void ReadClamps(ObjectReader& r, BudgetClamps* c) {
  r.Int("max_queue_size", &c->max_queue_size, 1);
  r.Int("max_model_queries", &c->max_model_queries, 1);
  r.Seconds("max_wall_time_s", &c->max_wall_time);
  r.Seconds("max_step_timeout_s", &c->max_step_timeout);
  r.Seconds("max_hammer_timeout_s", &c->max_hammer_timeout);
  r.Int("max_samples_per_query", &c->max_samples_per_query, 1);
  r.Int("max_inflight_queries", &c->max_inflight_queries, 1);
  r.Int("max_inflight_steps", &c->max_inflight_steps, 1);
  r.Seconds("max_check_timeout_s", &c->max_check_timeout);
}

}  // namespace

absl::StatusOr<ServerConfig> ParseServerConfig(const std::string& json_text,
                                               ServerConfig base) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false,
                         /*ignore_comments=*/true);
  if (doc.is_discarded()) {
    return absl::InvalidArgumentError("configuration is not valid JSON");
  }
  ServerConfig c = std::move(base);
  ObjectReader r(doc, "config");
  r.String("listen", &c.listen);
  r.String("metrics_listen", &c.metrics_listen);
  r.String("tls_cert_file", &c.tls_cert_file);
  r.String("tls_key_file", &c.tls_key_file);
  r.String("auth_token", &c.auth_token);
  r.Bool("insecure", &c.insecure);
  r.Int("max_message_bytes", &c.max_message_bytes, 1024);
  r.String("default_policy", &c.default_policy);
  r.String("theorem_file_root", &c.theorem_file_root);
  r.String("premise_db", &c.premise_db);
  r.Seconds("progress_interval_s", &c.progress_interval);
  r.Seconds("drain_timeout_s", &c.drain_timeout);
  r.Int("max_sessions", &c.sessions.max_sessions, 0);
  r.Int("max_states_per_session", &c.sessions.max_states_per_session, 1);
  r.Int("max_session_states", &c.sessions.max_states, 1);
  int session_memory_mb = static_cast<int>(c.sessions.max_session_bytes >> 20);
  r.Int("max_session_memory_mb", &session_memory_mb, 1);
  c.sessions.max_session_bytes = int64_t{session_memory_mb} << 20;
  r.Seconds("session_idle_timeout_s", &c.sessions.idle_timeout);
  r.Int("warm_processes", &c.warm_processes, 0);
  r.Object("admission", [&](ObjectReader& a) {
    a.Int("max_concurrent", &c.admission.max_concurrent, 1);
    a.Int("max_queued", &c.admission.max_queued, 0);
    a.Seconds("retry_after_s", &c.admission.retry_after);
  });
  r.Object("clamps", [&](ObjectReader& a) { ReadClamps(a, &c.clamps); });
  r.Object("search_defaults", [&](ObjectReader& a) { ReadSearchDefaults(a, &c.search_defaults); });
  r.EachMember("policies", [&](const std::string& name, const json& v, const std::string& where) {
    if (!v.is_object() || !v.contains("kind") || !v["kind"].is_string()) {
      return r.Fail(where, "must be an object with a string \"kind\"");
    }
    c.policies[name] = PolicySpec{v["kind"].get<std::string>(), v.dump()};
  });
  r.EachMember("provers", [&](const std::string& name, const json& v, const std::string& where) {
    if (!v.is_object()) return r.Fail(where, "must be a JSON object");
    ProverSpec spec;
    if (v.contains("enabled")) {
      if (!v["enabled"].is_boolean()) return r.Fail(where + ".enabled", "must be true or false");
      spec.enabled = v["enabled"].get<bool>();
    }
    spec.options = v.dump();
    c.provers[name] = spec;
  });
  absl::Status s = r.Finish();
  if (!s.ok()) return s;
  return c;
}

absl::StatusOr<ServerConfig> LoadServerConfig(const std::string& path, ServerConfig base) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read configuration file ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<ServerConfig> c = ParseServerConfig(text.str(), std::move(base));
  if (!c.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", c.status().message()));
  }
  return c;
}

bool IsLoopbackAddress(const std::string& address) {
  std::string host = address;
  size_t colon = address.rfind(':');
  if (colon != std::string::npos) host = address.substr(0, colon);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  }
  if (absl::StartsWith(host, "ipv4:")) host = host.substr(5);
  if (absl::StartsWith(host, "ipv6:")) host = host.substr(5);
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::Status CheckSecurity(const ServerConfig& config) {
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key go together: give both PEM files or neither");
  }
  if (IsLoopbackAddress(config.listen) || config.insecure) return absl::OkStatus();
  if (config.tls_cert_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listening on ", config.listen,
        " (not loopback) requires TLS: pass --tls_cert and --tls_key, or --insecure "
        "to accept plaintext"));
  }
  if (config.auth_token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listening on ", config.listen,
        " (not loopback) requires a bearer token: pass --auth_token_file (or set "
        "THOR_AUTH_TOKEN), or --insecure"));
  }
  return absl::OkStatus();
}

}  // namespace thor
