#include "server/metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <httplib.h>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"

namespace thor {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

namespace {

struct ProcessSample {
  double resident_bytes = 0, virtual_bytes = 0, cpu_seconds = 0, start_time_s = 0;
  double open_fds = 0, max_fds = 0, threads = 0;
};

// From /proc/self (Linux), as Prometheus' own clients compute the process_*
// metrics.
ProcessSample ReadOwnProcess() {
  ProcessSample p;
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // Fields after the command (which may hold spaces), from field 3 on.
  const size_t close = stat.rfind(')');
  if (close != std::string::npos) {
    std::vector<std::string> f = absl::StrSplit(stat.substr(close + 2), ' ');
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    auto field = [&f](size_t n) {  // n as in proc(5), 1-based.
      double v = 0;
      return n - 3 < f.size() && absl::SimpleAtod(f[n - 3], &v) ? v : 0.0;
    };
    p.cpu_seconds = (field(14) + field(15)) / ticks;
    p.threads = field(20);
    p.virtual_bytes = field(23);
    p.resident_bytes = field(24) * page;
    std::ifstream boot("/proc/stat");
    std::string line;
    while (std::getline(boot, line)) {
      double btime = 0;
      absl::string_view rest = line;
      if (absl::ConsumePrefix(&rest, "btime ") && absl::SimpleAtod(rest, &btime)) {
        p.start_time_s = btime + field(22) / ticks;
      }
    }
  }
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (dirent* e = ::readdir(dir)) p.open_fds += e->d_name[0] != '.';
    ::closedir(dir);
    p.open_fds -= 1;  // The directory stream's own descriptor.
  }
  struct rlimit files {};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) p.max_fds = static_cast<double>(files.rlim_cur);
  return p;
}

const Histogram::BucketBoundaries& SecondsBuckets() {
  static const Histogram::BucketBoundaries* b = new Histogram::BucketBoundaries{
      0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
  return *b;
}

}  // namespace

struct Metrics::Families {
  Family<Counter>* searches;
  Family<Histogram>* search_seconds;
  Family<Counter>* model_queries;
  Family<Counter>* model_seconds;
  Family<Counter>* steps;
  Family<Histogram>* step_seconds;
  Family<Counter>* hammer_calls;
  Family<Histogram>* hammer_seconds;
  Family<Counter>* rpcs;
  Family<Histogram>* rpc_seconds;
  Gauge* children;
  Gauge* resident;
  Gauge* virtual_memory;
  Counter* cpu_seconds;
  Gauge* open_fds;
  Gauge* max_fds;
  Gauge* start_time;
  Gauge* threads;
  Gauge* running;
  Gauge* queued;
};

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()), f_(std::make_unique<Families>()) {
  prometheus::Registry& r = *registry_;
  f_->searches = &BuildCounter().Name("thor_searches_total")
                      .Help("Proof searches finished, by outcome (thor.v1.SearchStatus in "
                            "lower case: proved, exhausted, time_budget, ...)").Register(r);
  f_->search_seconds = &BuildHistogram().Name("thor_search_duration_seconds")
                            .Help("Wall time of proof searches, by outcome").Register(r);
  f_->model_queries = &BuildCounter().Name("thor_model_queries_total")
                           .Help("Policy (model) queries made").Register(r);
  f_->model_seconds = &BuildCounter().Name("thor_model_query_seconds_total")
                           .Help("Summed latency of policy queries").Register(r);
  f_->steps = &BuildCounter().Name("thor_steps_total")
                   .Help("Proof steps applied, by outcome").Register(r);
  f_->step_seconds = &BuildHistogram().Name("thor_step_duration_seconds")
                          .Help("Latency of step applications").Register(r);
  f_->hammer_calls = &BuildCounter().Name("thor_hammer_calls_total")
                          .Help("Hammer calls, by prover and outcome (the ATPs' words: proved, "
                                "disproved, unknown, error)").Register(r);
  f_->hammer_seconds = &BuildHistogram().Name("thor_hammer_duration_seconds")
                            .Help("Latency of hammer calls, by prover").Register(r);
  f_->rpcs = &BuildCounter().Name("thor_rpcs_total")
                  .Help("RPCs finished, by method and status code").Register(r);
  f_->rpc_seconds = &BuildHistogram().Name("thor_rpc_duration_seconds")
                         .Help("RPC latency, by method").Register(r);
  f_->children = &BuildGauge().Name("thor_children_alive")
                      .Help("Child processes (provers, ATPs) not yet reaped").Register(r).Add({});
  auto gauge = [&r](const char* name, const char* help) {
    return &BuildGauge().Name(name).Help(help).Register(r).Add({});
  };
  f_->resident = gauge("process_resident_memory_bytes", "Resident memory size in bytes");
  f_->virtual_memory = gauge("process_virtual_memory_bytes", "Virtual memory size in bytes");
  f_->cpu_seconds = &BuildCounter().Name("process_cpu_seconds_total")
                         .Help("User and system CPU time spent in seconds").Register(r).Add({});
  f_->open_fds = gauge("process_open_fds", "Open file descriptors");
  f_->max_fds = gauge("process_max_fds", "Limit of open file descriptors");
  f_->start_time =
      gauge("process_start_time_seconds", "Start time of the process since the epoch, seconds");
  f_->threads = gauge("process_threads", "Threads of the process");
  auto& requests = BuildGauge().Name("thor_requests").Help("Requests by admission state").Register(r);
  f_->running = &requests.Add({{"state", "running"}});
  f_->queued = &requests.Add({{"state", "queued"}});
}

Metrics::~Metrics() = default;

void Metrics::SearchFinished(const std::string& outcome, absl::Duration wall) {
  f_->searches->Add({{"outcome", outcome}}).Increment();
  f_->search_seconds->Add({{"outcome", outcome}}, SecondsBuckets())
      .Observe(absl::ToDoubleSeconds(wall));
}

void Metrics::ModelQueries(int count, absl::Duration total) {
  f_->model_queries->Add({}).Increment(count);
  f_->model_seconds->Add({}).Increment(absl::ToDoubleSeconds(total));
}

void Metrics::StepApplied(const std::string& outcome, absl::Duration elapsed) {
  f_->steps->Add({{"outcome", outcome}}).Increment();
  f_->step_seconds->Add({}, SecondsBuckets()).Observe(absl::ToDoubleSeconds(elapsed));
}

void Metrics::HammerCalled(const std::string& prover, const std::string& outcome,
                           absl::Duration elapsed) {
  f_->hammer_calls->Add({{"prover", prover}, {"outcome", outcome}}).Increment();
  f_->hammer_seconds->Add({{"prover", prover}}, SecondsBuckets())
      .Observe(absl::ToDoubleSeconds(elapsed));
}

void Metrics::RpcFinished(const std::string& method, const std::string& code,
                          absl::Duration elapsed) {
  f_->rpcs->Add({{"method", method}, {"code", code}}).Increment();
  f_->rpc_seconds->Add({{"method", method}}, SecondsBuckets())
      .Observe(absl::ToDoubleSeconds(elapsed));
}

void Metrics::SetGaugeSources(std::function<int()> running, std::function<int()> queued) {
  running_ = std::move(running);
  queued_ = std::move(queued);
}

void Metrics::SampleProcess() {
  ProcessSample p = ReadOwnProcess();
  f_->resident->Set(p.resident_bytes);
  f_->virtual_memory->Set(p.virtual_bytes);
  // A counter only goes up: add what was used since the last scrape.
  const double cpu_delta = p.cpu_seconds - f_->cpu_seconds->Value();
  if (cpu_delta > 0) f_->cpu_seconds->Increment(cpu_delta);
  f_->open_fds->Set(p.open_fds);
  f_->max_fds->Set(p.max_fds);
  f_->start_time->Set(p.start_time_s);
  f_->threads->Set(p.threads);
}

std::string Metrics::Render() {
  SampleProcess();
  f_->children->Set(LiveChildren());
  if (running_) f_->running->Set(running_());
  if (queued_) f_->queued->Set(queued_());
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const std::string& address, Metrics* metrics) {
  size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address '", address, "' is not host:port"));
  }
  std::string host = address.substr(0, colon);
  std::unique_ptr<MetricsHttpServer> s(new MetricsHttpServer());
  s->http_ = std::make_unique<httplib::Server>();
  s->http_->Get("/metrics", [metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics->Render(), "text/plain; version=0.0.4");
  });
  s->http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  s->port_ = port == 0 ? s->http_->bind_to_any_port(host) : port;
  if (s->port_ < 0 || (port != 0 && !s->http_->bind_to_port(host, port))) {
    return absl::UnavailableError(absl::StrCat("cannot listen for metrics on ", address));
  }
  httplib::Server* http = s->http_.get();
  s->thread_ = std::thread([http] { http->listen_after_bind(); });
  return s;
}

MetricsHttpServer::~MetricsHttpServer() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace thor
