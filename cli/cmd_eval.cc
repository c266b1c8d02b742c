// `thor eval` and `thor eval report`: batch evaluation over benchmark suites
// (eval/), resumable, across one or many ProofSearch servers.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/eval_run_record.h"
#include "cli/flag_groups.h"
#include "cli/local_server.h"
#include "cli/local_theorem.h"
#include "cli/model_flags.h"
#include "cli/server_flags.h"
#include "cli/tls_flags.h"
#include "eval/budget.h"
#include "eval/cactus_plot.h"
#include "eval/progress.h"
#include "eval/report.h"
#include "eval/runner.h"
#include "eval/suite.h"
#include "eval/targets.h"
#include "provers/provers.h"
#include "server/security.h"
#include "server/thor_server.h"

ABSL_FLAG(std::string, suite, "",
          "Suite: a prover's built-in suite (an unknown name is answered with the list), or "
          "the path of a JSONL file of theorems (one {\"id\",\"prover\",\"statement\",...} "
          "per line)");
ABSL_FLAG(std::string, jsonl_prover, "", "Prover for JSONL lines without a \"prover\" field");
ABSL_FLAG(std::vector<std::string>, servers, {"in-process"},
          "ProofSearch servers: host:port[,host:port...], one dns:///name:port (round robin "
          "over its addresses), or in-process (start a server inside this process)");
ABSL_FLAG(int, concurrency, 4, "Searches in flight at once, over all servers");
ABSL_FLAG(std::string, budget, "paper",
          "Search configuration: a preset (paper: Thor's defaults, 500 s per theorem; quick; "
          "ci; values in --help), then ,key=value overrides of thor.v1.SearchConfig fields; "
          "or SearchConfig JSON");
ABSL_FLAG(std::string, out, "results.jsonl",
          "Results file (JSONL); a rerun with the same file skips theorems already done");
ABSL_FLAG(std::string, shard, "0/1", "Run shard i of n (i/n): theorems whose index % n == i");
ABSL_FLAG(int, limit, 0, "Run only the first N theorems (after sharding); 0 = all");
ABSL_FLAG(uint64_t, seed, 0, "Run seed; each theorem's search seed derives from it (0: server)");
ABSL_FLAG(int, max_attempts, 8, "Calls per theorem when servers are UNAVAILABLE");
ABSL_FLAG(std::string, progress, "auto",
          "Progress on stderr: auto or always (a line redrawn every second on a terminal, "
          "else a line every --progress_every_s), never");
ABSL_FLAG(int, progress_every_s, 30,
          "Without a terminal, seconds between progress lines on stderr");
ABSL_FLAG(bool, compare, false,
          "report: compare two runs (both / only A / only B by id, exact McNemar test)");
ABSL_FLAG(bool, plots, true,
          "report: write a cactus plot per suite, one line per run: cactus-<suite>.svg and "
          ".png");
ABSL_FLAG(bool, png, true, "report: also draw the cactus plots as PNG (gnuplot)");
ABSL_FLAG(bool, log_time, false, "report: logarithmic time axis in the cactus plots");
ABSL_FLAG(std::string, plot_dir, "",
          "report: folder for the plots (default: the first results file's folder)");
ABSL_FLAG(std::string, format, "md",
          "report: md (the whole report, Markdown), csv or latex (the suite tables alone, "
          "LaTeX with booktabs)");

namespace thor {
namespace {

std::atomic<bool> g_stop{false};

void OnInterrupt(int) {
  g_stop = true;
  std::signal(SIGINT, SIG_DFL);  // A second ^C ends the process.
}

int Fail(const absl::Status& status, int code = 1) {
  std::cerr << "thor eval: " << status.message() << "\n";
  return code;
}

int RunReport(const std::vector<std::string>& files) {
  if (files.empty()) return Fail(absl::InvalidArgumentError(
                                     "usage: thor eval report RESULTS.jsonl [MORE.jsonl...]"),
                                 2);
  absl::StatusOr<eval::ReportFormat> format =
      eval::ParseReportFormat(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return Fail(format.status(), 2);
  // Shards of one run (their run records say so) come back as one run.
  absl::StatusOr<std::vector<eval::RunData>> runs = eval::LoadRuns(files);
  if (!runs.ok()) return Fail(runs.status(), 2);
  const bool markdown = *format == eval::ReportFormat::kMarkdown;
  if (absl::GetFlag(FLAGS_compare)) {
    if (runs->size() != 2) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
                      "--compare needs exactly two runs (got ", runs->size(),
                      " after merging shards)")),
                  2);
    }
    (markdown ? std::cout : std::cerr) << eval::RenderComparison((*runs)[0], (*runs)[1]) << "\n";
  }
  if (markdown) std::cout << eval::RenderReport(*runs);
  if (*format == eval::ReportFormat::kCsv) std::cout << eval::RenderCsv(eval::SuiteRows(*runs));
  if (*format == eval::ReportFormat::kLatex) {
    std::cout << eval::RenderLatex(eval::SuiteRows(*runs));
  }
  if (!absl::GetFlag(FLAGS_plots)) return 0;
  std::string dir = absl::GetFlag(FLAGS_plot_dir);
  if (dir.empty()) {
    size_t slash = files[0].find_last_of('/');
    dir = slash == std::string::npos ? "." : files[0].substr(0, slash);
  }
  eval::CactusOptions plot;
  plot.log_time = absl::GetFlag(FLAGS_log_time);
  std::vector<std::string> written;
  absl::Status s = eval::WriteCactusPlots(*runs, dir, plot, absl::GetFlag(FLAGS_png), &written);
  if (!s.ok()) return Fail(s);
  // Tables in CSV or LaTeX stay alone on stdout.
  std::ostream& plots = markdown ? std::cout : std::cerr;
  if (markdown) plots << "## Cactus plots\n\n";
  for (const std::string& path : written) {
    plots << (markdown ? "![" + path.substr(path.find_last_of('/') + 1) + "](" + path + ")"
                       : "plot: " + path)
          << "\n";
  }
  return 0;
}

eval::SuiteOptions SuiteOptionsFromFlags() {
  eval::SuiteOptions so;
  so.name = absl::GetFlag(FLAGS_suite);
  so.settings = eval::SuiteSettingsFromFlags();
  so.jsonl_prover = absl::GetFlag(FLAGS_jsonl_prover);
  return so;
}

// Loads --suite, then applies --shard and --limit.
absl::StatusOr<std::vector<eval::SuiteTheorem>> SelectTheorems() {
  const eval::SuiteOptions so = SuiteOptionsFromFlags();
  if (so.name.empty()) return absl::InvalidArgumentError("--suite is required");
  int index = 0, count = 1;
  if (absl::Status s = eval::ParseShard(absl::GetFlag(FLAGS_shard), &index, &count); !s.ok()) {
    return s;
  }
  if (absl::GetFlag(FLAGS_limit) < 0) return absl::InvalidArgumentError("--limit must be >= 0");
  absl::StatusOr<std::vector<eval::SuiteTheorem>> all = eval::LoadSuite(so);
  if (!all.ok()) return all.status();
  auto shard = eval::SelectShard(*std::move(all), index, count);
  if (shard.ok() && absl::GetFlag(FLAGS_limit) > 0 &&
      static_cast<int>(shard->size()) > absl::GetFlag(FLAGS_limit)) {
    shard->resize(absl::GetFlag(FLAGS_limit));
  }
  return shard;
}

// This process's command line, as the kernel keeps it (the exact words the
// user typed, after the shell), for the command that resumes a stopped run.
std::vector<std::string> OwnCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<std::string> argv;
  std::string word;
  for (char c : buffer.str()) {
    if (c != '\0') {
      word += c;
    } else {
      argv.push_back(std::move(word));
      word.clear();
    }
  }
  return argv;
}

// After a first Ctrl-C: what was saved and the command that carries on.
void PrintInterrupted(const eval::RunSummary& summary, const std::string& out) {
  std::cerr << "thor eval: interrupted: no new theorem started, " << summary.cancelled
            << " search(es) in flight cancelled (not recorded).\n"
            << "thor eval: saved in " << out << ": " << summary.recorded
            << " new result(s) from this run; " << summary.skipped + summary.recorded << "/"
            << summary.total << " theorems done, " << summary.solved << " solved, "
            << summary.unfinished << " left.\n"
            << "thor eval: resume with:\n  " << eval::ShellCommand(OwnCommandLine()) << "\n";
}

int RunEvalCommand(const CommandContext& context) {
  const std::vector<std::string>& args = context.args;
  if (!args.empty() && args[0] == "report") {
    return RunReport(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (!args.empty()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
                    "unexpected argument '", args[0], "' (did you mean 'thor eval report'?)")),
                2);
  }
  absl::StatusOr<v1::SearchConfig> config = eval::ParseBudget(absl::GetFlag(FLAGS_budget));
  if (!config.ok()) return Fail(config.status(), 2);
  absl::StatusOr<std::vector<eval::SuiteTheorem>> theorems = SelectTheorems();
  if (!theorems.ok()) return Fail(theorems.status(), 2);
  // A theorem file the prover's module reads on the client is read here and
  // its text sent; a file this process cannot read stays named, for servers
  // whose operator set a theorem_file_root holding it.
  for (eval::SuiteTheorem& t : *theorems) (void)InlineTheoremFile(&t.theorem);
  if (absl::GetFlag(FLAGS_seed) != 0) config->set_seed(absl::GetFlag(FLAGS_seed));

  eval::RunnerOptions options;
  options.suite = eval::SuiteLabel(absl::GetFlag(FLAGS_suite));
  options.suite_version = eval::SuiteVersion(SuiteOptionsFromFlags());
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.config = *config;
  options.max_attempts = absl::GetFlag(FLAGS_max_attempts);
  const std::string progress = absl::GetFlag(FLAGS_progress);
  if (progress != "auto" && progress != "always" && progress != "never") {
    return Fail(absl::InvalidArgumentError("--progress must be auto, always or never"), 2);
  }
  if (absl::GetFlag(FLAGS_progress_every_s) < 1) {
    return Fail(absl::InvalidArgumentError("--progress_every_s must be at least 1"), 2);
  }
  // A log (no terminal) gets a line every --progress_every_s, so a batch job
  // shows it is alive; a terminal gets the line redrawn in place.
  if (progress != "never") options.progress = &std::cerr;
  options.progress_is_tty = isatty(STDERR_FILENO);
  options.log_every = absl::Seconds(absl::GetFlag(FLAGS_progress_every_s));

  absl::StatusOr<std::string> token = TokenFromFlags();
  if (!token.ok()) return Fail(token.status(), 2);
  options.auth_token = *token;
  // Opened (and locked) before any server starts: a second run on the same
  // --out is refused at once, naming the run that holds it.
  absl::StatusOr<std::unique_ptr<eval::ResultWriter>> writer =
      eval::ResultWriter::Open(absl::GetFlag(FLAGS_out),
                               eval::ConfigHash(*config, options.suite_version));
  if (!writer.ok()) return Fail(writer.status());
  // An in-process server (from the server flags, on an ephemeral loopback
  // port) lives until the run ends.
  std::unique_ptr<ThorServer> local;
  std::optional<ServerConfig> local_config;  // For the run record.
  std::vector<std::string> servers = absl::GetFlag(FLAGS_servers);
  if (servers.size() == 1 && servers[0] == "in-process") {
    // The suite's own folders (theory files, working directories)
    // and nothing above them.
    std::vector<const v1::Theorem*> named;
    for (const eval::SuiteTheorem& t : *theorems) named.push_back(&t.theorem);
    absl::Status no_root;
    absl::StatusOr<ServerConfig> server_config =
        LocalServerConfig("127.0.0.1:0", *token, named, &no_root);
    if (!server_config.ok()) return Fail(server_config.status(), 2);
    if (!no_root.ok()) {
      std::cerr << "thor eval: " << no_root.message()
                << "; the in-process server reads no theorem file\n";
    }
    local_config = *server_config;
    auto registry = context.build_registry(*server_config);
    if (!registry.ok()) return Fail(registry.status(), 2);
    auto started = ThorServer::Start(*server_config, *registry);
    if (!started.ok()) return Fail(started.status());
    local = *std::move(started);
    servers = {absl::StrCat("127.0.0.1:", local->port())};
  } else {
    // Remote servers use their own policies (--budget=...,policy=NAME names one).
    if (!absl::GetFlag(FLAGS_policy).empty()) {
      return Fail(absl::InvalidArgumentError(
                      "--policy defines the in-process server's policy; with --servers name "
                      "one of theirs with --budget=...,policy=NAME"),
                  2);
    }
    if (absl::Status s = CheckNoModelFlags(); !s.ok()) return Fail(s, 2);
    const ClientOptions tls = ClientTlsFromFlags();
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        MakeClientCredentials(tls.tls_ca_file);
    if (!credentials.ok()) return Fail(credentials.status(), 2);
    options.credentials = *credentials;
    if (!tls.tls_ca_file.empty()) options.tls_server_name = tls.tls_server_name;
  }
  absl::StatusOr<std::string> target = eval::ServersToTarget(servers);
  if (!target.ok()) return Fail(target.status(), 2);
  options.target = *target;

  if (absl::Status s = RecordRunIfNew(writer->get(), *config, options, *theorems,
                                      local_config ? &*local_config : nullptr);
      !s.ok()) {
    return Fail(s);
  }
  std::signal(SIGINT, OnInterrupt);
  options.stop = &g_stop;
  absl::StatusOr<eval::RunSummary> summary = eval::RunEval(options, *theorems, writer->get());
  if (local) local->Shutdown(absl::Seconds(5));
  if (!summary.ok()) return Fail(summary.status());
  if (summary->stopped) {
    PrintInterrupted(*summary, absl::GetFlag(FLAGS_out));
    return 130;  // 128 + SIGINT, as a shell reports a process ended by ^C.
  }
  std::cerr << "thor eval: " << summary->recorded << " new results, " << summary->skipped
            << " already done, " << summary->solved << "/" << summary->total << " solved, "
            << summary->unfinished << " unfinished, in "
            << absl::FormatDuration(summary->elapsed) << " -> " << absl::GetFlag(FLAGS_out)
            << "\n";
  return summary->unfinished > 0 ? 1 : 0;
}

// The flags the provers' modules define that eval takes: their suites' and
// their server flags (for --servers=in-process).
std::vector<std::string> ProverFlagNames() {
  std::vector<std::string> out = eval::SuiteFlagNames();
  for (std::string& name : ProverServerFlagNames()) out.push_back(std::move(name));
  return out;
}

}  // namespace

Subcommand EvalCommand() {
  return {"eval",
          "thor eval --suite=NAME|FILE.jsonl [flags]   |   thor eval report FILE.jsonl...",
          "Evaluate a benchmark suite (a prover's built-in one, or JSONL) resumably.",
          "Runs every theorem of a suite through ProofSearch servers and appends one JSON\n"
          "line per theorem to --out as it finishes. Rerunning with the same --out skips\n"
          "what is done (kill -9 loses at most the theorems in flight). UNAVAILABLE servers\n"
          "are retried elsewhere with backoff. Exit code 1 if some theorems were left\n"
          "unfinished (rerun to finish them). A second run on the same --out is refused\n"
          "while the first holds it (the message names its pid, host and start).\n\n"
          "A first Ctrl-C starts no new theorem, cancels the searches in flight, keeps\n"
          "every result made, prints the command that resumes, and exits with 130; a\n"
          "second Ctrl-C ends the process at once.\n\n"
          "Each results file starts with a run record: the configuration (budget with every\n"
          "field, policy and model, prover and ATP versions, Thor's version and commit,\n"
          "cores, suite and its version, date UTC).\n\n"
          "'thor eval report FILE...' prints each run's configuration once, then per suite\n"
          "solved / total with a 95% Wilson interval beside the Thor paper's figures, and\n"
          "writes cactus-<suite>.svg and .png (one line per run, paper reference lines;\n"
          "--log_time, --plot_dir, --nopng, --noplots). --format=csv|latex prints the suite\n"
          "tables alone as CSV or LaTeX (booktabs). --compare A B lists the theorems only A\n"
          "and only B solved, by id, with the exact McNemar p-value. Shards (--shard i/n,\n"
          "one file each) given together are merged into one run; a run with fewer results\n"
          "than theorems (still running, or stopped) is marked partial.\n\n"
          "--servers=in-process starts a server in this process from the server flags\n"
          "(--config, --max_concurrent, the provers' flags, ...); against remote servers,\n"
          "--tls_ca, --tls_server_name and --auth_token_file (or $THOR_AUTH_TOKEN) secure\n"
          "the calls.\n\n" + eval::BudgetPresetsHelp(),
          {__FILE__, kTlsFlags, kServerFlags, kModelFlags},
          ProverFlagNames(),
          RunEvalCommand};
}

}  // namespace thor
