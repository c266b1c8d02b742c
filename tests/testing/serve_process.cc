#include "tests/testing/serve_process.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

// utime + stime of `pid` in clock ticks; 0 if it is gone.
long CpuTicks(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(in, line)) return 0;
  // Fields after the command name, which ends at the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; rest >> field; ++i) {
    if (i == 14) (void)absl::SimpleAtoi(field, &utime);
    if (i == 15) {
      (void)absl::SimpleAtoi(field, &stime);
      break;
    }
  }
  return utime + stime;
}

long TreeTicks(pid_t root) {
  long sum = 0;
  for (const ProcessInfo& p : Descendants(root)) sum += CpuTicks(p.pid);
  return sum;
}

}  // namespace

absl::StatusOr<ServeProcess> StartServe(const std::string& thor,
                                        const std::vector<std::string>& flags,
                                        absl::Duration timeout) {
  SubprocessOptions o;
  o.argv = {thor, "serve", "--listen=127.0.0.1:0"};
  o.argv.insert(o.argv.end(), flags.begin(), flags.end());
  o.merge_stderr = true;
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(o);
  if (!p.ok()) return p.status();
  ServeProcess serve;
  serve.process = *std::move(p);
  static const std::regex kPort("listening on port ([0-9]+)");
  std::smatch m;
  absl::Status s = serve.process->ReadUntil(
      [&](const std::string& out, const std::string&) { return std::regex_search(out, m, kPort); },
      absl::Now() + timeout);
  if (!s.ok() || !absl::SimpleAtoi(m[1].str(), &serve.port)) {
    return absl::UnavailableError(
        absl::StrCat("thor serve printed no port: ", serve.process->out()));
  }
  serve.stub = v1::ProofSearch::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", serve.port), grpc::InsecureChannelCredentials()));
  return serve;
}

std::vector<pid_t> CoqtopsUnder(pid_t root) {
  std::vector<pid_t> out;
  for (const ProcessInfo& p : Descendants(root)) {
    if (absl::StartsWith(p.comm, "coqtop")) out.push_back(p.pid);
  }
  return out;
}

bool WaitUntilIdle(pid_t root, int coqtops, absl::Duration quiet, absl::Duration timeout) {
  const absl::Time end = absl::Now() + timeout;
  long ticks = -1;
  absl::Time since = absl::Now();
  while (absl::Now() < end) {
    const long now_ticks = TreeTicks(root);
    const bool enough = static_cast<int>(CoqtopsUnder(root).size()) >= coqtops;
    if (!enough || now_ticks != ticks) {
      ticks = now_ticks;
      since = absl::Now();
    } else if (absl::Now() - since >= quiet) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(250));
  }
  return false;
}

ProveTimeline TimedProve(v1::ProofSearch::Stub& stub, const v1::ProveRequest& request,
                         absl::Duration timeout) {
  ProveTimeline t;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  const absl::Time t0 = absl::Now();
  std::unique_ptr<grpc::ClientReader<v1::SearchEvent>> reader = stub.Prove(&context, request);
  v1::SearchEvent e;
  while (reader->Read(&e)) {
    const double at = absl::ToDoubleSeconds(absl::Now() - t0);
    if (t.first_event_s < 0) t.first_event_s = at;
    auto mark = [at](double* when) {
      if (*when < 0) *when = at;
    };
    if (e.has_preparing()) {
      t.kinds.push_back("preparing:" + e.preparing().phase());
      if (e.preparing().phase() == "hammer_ready") mark(&t.hammer_ready_s);
    } else if (e.has_started()) {
      t.kinds.push_back("started");
      mark(&t.started_s);
    } else if (e.has_step()) {
      t.kinds.push_back("step");
      mark(&t.first_step_s);
    } else if (e.has_hammer()) {
      t.kinds.push_back("hammer");
      mark(&t.first_hammer_s);
    } else if (e.has_finished()) {
      t.kinds.push_back("finished");
      mark(&t.finished_s);
      t.result = e.finished();
    }
  }
  t.status = reader->Finish();
  return t;
}

std::string KindsBeforeStarted(const ProveTimeline& t) {
  std::string out;
  for (const std::string& k : t.kinds) {
    if (k == "started") break;
    absl::StrAppend(&out, out.empty() ? "" : " ", k);
  }
  return out;
}

}  // namespace thor::testing
