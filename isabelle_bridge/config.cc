#include "isabelle_bridge/config.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace thor::isabelle {
namespace {

std::vector<std::string> List(const std::string& value, char sep) {
  return absl::StrSplit(value, sep, absl::SkipWhitespace());
}

absl::Status Bad(const std::string& key, const std::string& value, const char* want) {
  return absl::InvalidArgumentError(
      absl::StrCat("isabelle setting ", key, "='", value, "': expected ", want));
}

}  // namespace

absl::StatusOr<IsabelleConfig> ParseIsabelleSettings(
    const std::map<std::string, std::string>& settings) {
  IsabelleConfig c;
  for (const auto& [raw_key, value] : settings) {
    std::string key = raw_key;
    std::replace(key.begin(), key.end(), '_', '-');
    int n = 0;
    absl::Duration d;
    if (key == "pisa") {
      c.pool.addresses = List(value, ',');
    } else if (key == "pisa-jar") {
      c.pool.pisa_jar = value;
    } else if (key == "pisa-servers") {
      if (!absl::SimpleAtoi(value, &n) || n < 1) return Bad(key, value, "a count >= 1");
      c.pool.num_servers = n;
    } else if (key == "pisa-base-port") {
      if (!absl::SimpleAtoi(value, &n) || n < 0) return Bad(key, value, "a port");
      c.pool.base_port = n;
    } else if (key == "pisa-command") {
      c.pool.command = List(value, ' ');
    } else if (key == "pisa-version") {
      if (value != "2021" && value != "2022") return Bad(key, value, "2021 or 2022");
      c.version = value == "2021" ? PisaVersion::kIsabelle2021 : PisaVersion::kIsabelle2022;
    } else if (key == "isabelle-home") {
      c.isabelle_home = value;
    } else if (key == "afp-dir") {
      c.afp_dir = value;
    } else if (key == "staging-dir") {
      c.staging_dir = value;
    } else if (key == "session") {
      c.default_session = value;
    } else if (key == "hammer") {
      if (value != "native" && value != "external") return Bad(key, value, "native or external");
      c.hammer = value == "native" ? HammerMode::kNative : HammerMode::kExternal;
    } else if (key == "hammer-heuristics") {
      if (value != "true" && value != "false") return Bad(key, value, "true or false");
      c.heuristics_first = value == "true";
    } else if (key == "hammer-provers") {
      c.external.provers = List(value, ',');
    } else if (key == "problem-dir") {
      c.external.problem_dir = value;
    } else if (key == "rpc-grace" || key == "startup-timeout" || key == "hammer-timeout") {
      if (!absl::ParseDuration(value, &d) || d <= absl::ZeroDuration()) {
        return Bad(key, value, "a positive duration like 5s");
      }
      if (key == "rpc-grace") c.rpc_grace = d;
      if (key == "startup-timeout") c.startup_timeout = d;
      if (key == "hammer-timeout") c.native_hammer_timeout = d;
    } else if (key == "isabelle-server") {
      c.recheck.address = value;
    } else if (key == "isabelle-server-password") {
      c.recheck.password = value;
    } else if (key == "isabelle-server-command") {
      c.recheck.command = List(value, ' ');
    } else if (key == "isabelle-server-dirs") {
      c.recheck.dirs = List(value, ',');
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown isabelle setting '", raw_key, "'"));
    }
  }
  c.pool.startup_timeout = c.startup_timeout;
  return c;
}

absl::StatusOr<IsabelleConfig> ParseIsabelleSettingsJson(const std::string& json_text) {
  std::map<std::string, std::string> settings;
  if (!json_text.empty()) {
    nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      return absl::InvalidArgumentError("isabelle options: expected a JSON object");
    }
    for (const auto& [key, value] : j.items()) {
      std::string k = key;
      std::replace(k.begin(), k.end(), '_', '-');
      if (value.is_string()) {
        settings[k] = value.get<std::string>();
      } else if (value.is_number() || value.is_boolean()) {
        settings[k] = value.dump();
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("isabelle option '", key, "': expected a string, number or boolean"));
      }
    }
  }
  return ParseIsabelleSettings(settings);
}

}  // namespace thor::isabelle
