#include "tests/isabelle_bridge/fake_pisa_service.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "isabelle_bridge/pisa_layout.h"
#include "isabelle_bridge/pisa_protocol.h"

namespace thor::isabelle::fake {
namespace {

std::string Trim(absl::string_view s) { return std::string(absl::StripAsciiWhitespace(s)); }

// The default world's theorem for a statement no script matches.
FakeTheorem DefaultTheorem(const std::string& statement) {
  std::string goal = statement;
  size_t shows = statement.rfind("shows ");
  if (shows != std::string::npos) goal = statement.substr(shows + 6);
  goal = Trim(absl::StripSuffix(absl::StripPrefix(Trim(goal), "\""), "\""));
  FakeTheorem th;
  th.initial = absl::StrCat("proof (prove)\ngoal (1 subgoal):\n 1. ", goal);
  std::string simplified = absl::StrCat("proof (prove)\ngoal (1 subgoal):\n 1. ", goal, " \\<and> True");
  th.transitions = {
      {"*", "by auto", {Outcome::Kind::kState, ""}},
      {"*", "apply auto", {Outcome::Kind::kState, simplified}},
      {"*", "by hang", {Outcome::Kind::kHang, ""}},
      {"*", "by die", {Outcome::Kind::kDie, ""}},
  };
  if (!absl::StrContains(statement, "imo")) {
    th.states[th.initial].hammer = "by auto";
    th.states[simplified].hammer = "by auto";
  }
  return th;
}

// Facts inside "by (metis (opts) f1 f2)" / "by (smt (z3) f1)" / "by (meson f)".
bool ParseMethodFacts(const std::string& step, std::vector<std::string>* facts) {
  static const std::regex re(R"(^by \((metis|smt|meson)(\s+\([^)]*\))?((\s+[^\s()]+(\([0-9,]+\))?)*)\s*\)$)");
  std::smatch m;
  if (!std::regex_match(step, m, re)) return false;
  for (absl::string_view f : absl::StrSplit(m[3].str(), ' ', absl::SkipWhitespace())) {
    facts->push_back(std::string(f));
  }
  return true;
}

std::string ConfigValue(const std::string& step, const std::string& name) {
  std::regex re(name + R"(\s*=\s*\"([^\"]*)\")");
  std::smatch m;
  return std::regex_search(step, m, re) ? m[1].str() : std::string();
}

}  // namespace

FakePisaService::FakePisaService(FakeWorld world)
    : world_(std::move(world)), die_([] { std::_Exit(3); }) {}

std::vector<std::string> FakePisaService::commands() const {
  absl::MutexLock lock(&mu_);
  return commands_;
}

std::string FakePisaService::inferred_session() const {
  absl::MutexLock lock(&mu_);
  return session_;
}

std::vector<std::string> FakePisaService::state_names() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> names;
  for (const auto& [name, state] : states_) names.push_back(name);
  return names;
}

grpc::Status FakePisaService::InitialiseIsabelle(grpc::ServerContext*,
                                                 const server::IsaPath* request,
                                                 server::IsaMessage* reply) {
  absl::MutexLock lock(&mu_);
  isa_path_ = request->path();
  reply->set_message(
      absl::StrCat("----------Path to Isabelle source----------\n", request->path()));
  return grpc::Status::OK;
}

grpc::Status FakePisaService::IsabelleWorkingDirectory(grpc::ServerContext*,
                                                       const server::IsaPath* request,
                                                       server::IsaMessage* reply) {
  absl::MutexLock lock(&mu_);
  working_dir_ = request->path();
  reply->set_message(absl::StrCat("----------Path to Isabelle working directory----------\n",
                                  request->path()));
  return grpc::Status::OK;
}

grpc::Status FakePisaService::IsabelleContext(grpc::ServerContext*,
                                              const server::IsaContext* request,
                                              server::IsaMessage* reply) {
  absl::MutexLock lock(&mu_);
  std::ifstream in(request->context());
  if (!in) {
    return grpc::Status(grpc::StatusCode::UNKNOWN,
                        absl::StrCat("java.nio.file.NoSuchFileException: ", request->context()));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::string> session = PisaInferredSession(request->context(), working_dir_);
  if (!session.ok()) {
    return grpc::Status(grpc::StatusCode::UNKNOWN, std::string(session.status().message()));
  }
  session_ = *session;
  file_text_ = NormalizeTransitionText(text.str());
  loaded_ = true;
  states_.clear();
  toplevel_ = State{"", 0};
  reply->set_message(
      absl::StrCat("----------Path to Isabelle theory file----------\n", request->context()));
  return grpc::Status::OK;
}

grpc::Status FakePisaService::IsabelleSetSearchWidth(grpc::ServerContext*,
                                                     const server::IsaSearchWidth*,
                                                     server::IsaMessage* reply) {
  reply->set_message("This shouldn't be used here.");
  return grpc::Status::OK;
}

grpc::Status FakePisaService::IsabelleSearchIndexCommand(grpc::ServerContext*,
                                                         const server::IsaSearchIndexCommand*,
                                                         server::IsaState* reply) {
  reply->set_state("This shouldn't be used here.");
  return grpc::Status::OK;
}

grpc::Status FakePisaService::IsabelleCommand(grpc::ServerContext* context,
                                              const server::IsaCommand* request,
                                              server::IsaState* reply) {
  const std::string& cmd = request->command();
  std::string trimmed = Trim(cmd);
  {
    absl::MutexLock lock(&mu_);
    commands_.push_back(cmd);
    if (!loaded_ && cmd != "exit") {
      // PisaOS is null before IsabelleContext: a NullPointerException.
      return grpc::Status(grpc::StatusCode::UNKNOWN, "java.lang.NullPointerException");
    }
  }
  if (absl::StartsWith(cmd, "<apply to top level state>")) {
    std::vector<std::string> parts = absl::StrSplit(cmd, std::string(kApplyTag));
    if (parts.size() < 4) {
      return grpc::Status(grpc::StatusCode::UNKNOWN,
                          "java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds");
    }
    reply->set_state(Apply(context, Trim(parts[1]), Trim(parts[2]), Trim(parts[3])));
    return grpc::Status::OK;
  }
  absl::MutexLock lock(&mu_);
  std::string out;
  if (absl::StartsWith(cmd, "<initialise>")) {
    states_["default"] = toplevel_;
    out = std::string(kInitialiseReply);
  } else if (absl::StartsWith(cmd, "<proceed after>")) {
    std::string text = Trim(absl::StripPrefix(cmd, "<proceed after>"));
    if (text.empty() || !absl::StrContains(file_text_, text)) {
      out = "";  // PISA: "Did not find the text"; the state after the whole file.
      toplevel_ = State{"", 0};
    } else {
      theorem_ = DefaultTheorem(text);
      for (const FakeTheorem& th : world_.theorems) {
        if (absl::StrContains(text, th.match)) theorem_ = th;
      }
      toplevel_ = State{theorem_.initial, 1};
      out = toplevel_.text;
    }
  } else if (absl::StartsWith(cmd, "<get state>")) {
    std::string name = Trim(absl::StripPrefix(cmd, "<get state>"));
    auto it = states_.find(name);
    out = it == states_.end() ? absl::StrCat(kMissingStatePrefix, name) : it->second.text;
  } else if (absl::StartsWith(cmd, "<is finished>")) {
    std::vector<std::string> parts = absl::StrSplit(cmd, "<is finished>");
    std::string name = Trim(parts.back());
    auto it = states_.find(name);
    out = it == states_.end() ? absl::StrCat(kMissingStatePrefix, name)
                              : (it->second.level == 0 ? "true" : "false");
  } else if (absl::StartsWith(trimmed, "<clone>")) {
    std::vector<std::string> parts = absl::StrSplit(trimmed, "<clone>");
    if (parts.size() < 3 || !states_.count(Trim(parts[1]))) {
      return grpc::Status(grpc::StatusCode::UNKNOWN,
                          absl::StrCat("java.util.NoSuchElementException: key not found: ",
                                       parts.size() > 1 ? Trim(parts[1]) : ""));
    }
    states_[Trim(parts[2])] = states_[Trim(parts[1])];
    out = absl::StrCat("Successfully copied top level state named: ", Trim(parts[2]));
  } else if (absl::StartsWith(trimmed, "<delete>")) {
    std::string name = Trim(absl::StripPrefix(trimmed, "<delete>"));
    out = states_.erase(name) ? absl::StrCat("Successfully deleted state named: ", name)
                              : absl::StrCat(kMissingStatePrefix, name);
  } else if (absl::StartsWith(cmd, "<list states>")) {
    std::vector<std::string> names;
    for (const auto& [name, s] : states_) names.push_back(name);
    out = absl::StrJoin(names, " | ");
  } else if (cmd == "exit") {
    loaded_ = false;
    states_.clear();
    out = "Exited";
  } else {
    out = std::string(kUnrecognised);
  }
  reply->set_state(out);
  return grpc::Status::OK;
}

std::string FakePisaService::Apply(grpc::ServerContext* context, const std::string& from,
                                   const std::string& action, const std::string& to) {
  bool hang = false, die = false;
  std::string reply;
  {
    absl::MutexLock lock(&mu_);
    auto it = states_.find(from);
    if (it == states_.end()) return absl::StrCat(kMissingStatePrefix, from);
    State old = it->second;
    bool hammer = world_.isabelle2021 ? action == "sledgehammer"
                                      : absl::StartsWith(action, "normalhammer");
    std::string actual = action;
    if (hammer) {
      auto facts = theorem_.states.find(old.text);
      bool found = facts != theorem_.states.end() && !facts->second.hammer.empty();
      // PISA applies "error" (2022) or "Gibberish" (2021) when Sledgehammer fails.
      actual = found ? facts->second.hammer : (world_.isabelle2021 ? "Gibberish" : "error");
    }
    State next;
    std::string error = Step(old, actual, &next, &hang, &die);
    if (!hang && !die) {
      if (!error.empty()) return error;
      states_[to] = next;
      reply = hammer ? absl::StrCat(actual, " <hammer> ", next.text) : next.text;
    }
  }
  if (die) die_();
  if (hang) {
    while (!context->IsCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return "";
  }
  return reply;
}

std::string FakePisaService::Step(const State& from, const std::string& step, State* out,
                                  bool* hang, bool* die) {
  for (const Transition& t : theorem_.transitions) {
    if ((t.from != "*" && t.from != from.text) || t.step != step) continue;
    switch (t.outcome.kind) {
      case Outcome::Kind::kState:
        *out = State{t.outcome.text, t.outcome.text.empty() ? 0 : 1};
        return "";
      case Outcome::Kind::kError:
        return absl::StrCat(kStepErrorPrefix, t.outcome.text);
      case Outcome::Kind::kUnknownError:
        return absl::StrCat(kUnknownErrorPrefix, t.outcome.text);
      case Outcome::Kind::kHang:
        *hang = true;
        return "";
      case Outcome::Kind::kDie:
        *die = true;
        return "";
    }
  }
  auto facts = theorem_.states.find(from.text);
  std::vector<std::string> used;
  if (facts != theorem_.states.end() && !facts->second.metis.empty() &&
      ParseMethodFacts(step, &used)) {
    for (const std::string& need : facts->second.metis) {
      if (std::find(used.begin(), used.end(), need) == used.end()) {
        return absl::StrCat(kStepErrorPrefix,
                            "Failed to apply initial proof method (line 1):\n", from.text);
      }
    }
    *out = State{"", 0};
    return "";
  }
  if (absl::StrContains(step, "sledgehammer") && absl::StrContains(step, "dest_dir")) {
    std::string error = Export(from, step);
    if (!error.empty()) return error;
    *out = from;  // A diagnostic command: the state is unchanged.
    return "";
  }
  if (step == "error" || step == "Gibberish") {
    return absl::StrCat(kStepErrorPrefix, "Outer syntax error (line 1): command expected,\nbut identifier ",
                        step, " (line 1) was found");
  }
  return absl::StrCat(kStepErrorPrefix, world_.unknown_step_error);
}

std::string FakePisaService::Export(const State& from, const std::string& step) {
  const char* wanted = world_.isabelle2021 ? "sledgehammer_atp_dest_dir"
                                           : "sledgehammer_atp_problem_dest_dir";
  const char* other = world_.isabelle2021 ? "sledgehammer_atp_problem_dest_dir"
                                          : "sledgehammer_atp_dest_dir";
  if (absl::StrContains(step, other) && !absl::StrContains(step, wanted)) {
    return absl::StrCat(kStepErrorPrefix, "Undefined attribute: \"", other, "\" (line 1)");
  }
  std::string dir = ConfigValue(step, wanted);
  std::string prefix = ConfigValue(step, "sledgehammer_atp_problem_prefix");
  if (prefix.empty()) prefix = "prob";
  std::ifstream probe(dir + "/.");
  if (dir.empty() || !std::filesystem::is_directory(dir)) {
    return absl::StrCat(kStepErrorPrefix, "No such directory: \"", dir, "\"");
  }
  auto facts = theorem_.states.find(from.text);
  if (facts == theorem_.states.end() || facts->second.tptp.empty()) return "";
  std::string base = absl::StrCat(dir, "/", prefix, ++serial_, "_1");
  std::string ext = world_.isabelle2021 ? "" : ".p";
  std::ofstream(base + ext) << facts->second.tptp;
  std::ofstream(base + "_proof" + ext) << "% SZS status Unknown\n";
  return "";
}

absl::StatusOr<RunningFakePisa> StartFakePisa(FakeWorld world, int port) {
  RunningFakePisa out;
  out.service = std::make_unique<FakePisaService>(std::move(world));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), grpc::InsecureServerCredentials(),
                           &out.port);
  builder.SetMaxReceiveMessageSize(100 << 20);
  builder.SetMaxSendMessageSize(100 << 20);
  builder.RegisterService(out.service.get());
  out.server = builder.BuildAndStart();
  if (!out.server || out.port == 0) {
    return absl::UnavailableError(absl::StrCat("fake PISA: cannot listen on port ", port));
  }
  return out;
}

}  // namespace thor::isabelle::fake
