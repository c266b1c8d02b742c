// bench/recheck_stdlib: does the kernel re-check (coqc + Print Assumptions +
// coqchk, issue 12) accept every legitimate proof that the plain coqc
// re-check accepted? Load-insensitive: it proves nothing itself; it re-checks
// the Coq standard library's own proofs of coq-stdlib theorems both ways,
// side by side, and counts.
//
//   recheck_stdlib --sample=100 [--sample_offset=0]
//
// For each theorem: its proof as written in the library (the sentences after
// the statement up to Qed./Defined.) goes through CoqBackend::ParseProofText
// (the allow-list); then the plain check (what Recheck did before: the same
// prelude, imports, context, statement, `Proof. steps Qed.` and closing
// `End`s compiled by coqc, exit code only) and CoqBackend::Recheck run on it.
// A proof the plain check rejects (it needs something the suite's cut context
// lacks) is counted apart. Ends with one JSON line.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_text.h"
#include "coq_bridge/stdlib_suite.h"

ABSL_FLAG(int, sample, 100, "coq-stdlib theorems, spread evenly over the selection");
ABSL_FLAG(int, sample_offset, 0, "shift of the sample (see StdlibSuiteOptions)");
ABSL_FLAG(double, timeout_s, 120, "time limit of one check");

namespace {

using thor::RecheckVerdict;
using thor::Theorem;

// The library's own proof of `t`: the text after its statement up to and
// including the first sentence that is Qed. or Defined.; "" if not found.
std::string LibraryProof(const Theorem& t) {
  absl::StatusOr<std::string> file = thor::coq::ReadTextFile(t.file_path);
  if (!file.ok()) return "";
  const std::string statement(absl::StripAsciiWhitespace(t.statement));
  size_t at = file->find(statement);
  if (at == std::string::npos) return "";
  const std::string rest = file->substr(at + statement.size());
  for (const auto& [begin, end] : thor::coq::SentenceSpans(rest)) {
    absl::string_view s = absl::string_view(rest).substr(begin, end - begin);
    if (s == "Qed." || s == "Defined.") return rest.substr(0, end);
  }
  return "";
}

// What CoqBackend::Recheck compiled before issue 12, exit code only.
bool PlainCheck(const thor::coq::CoqConfig& config, const Theorem& t,
                const std::vector<std::string>& steps, absl::Duration timeout,
                const thor::coq::CoqBackend& backend) {
  absl::StatusOr<std::string> context = thor::coq::ResolveContext(t);
  absl::StatusOr<std::string> statement = thor::coq::StatementSentence(t);
  if (!context.ok() || !statement.ok()) return false;
  std::string closing;
  std::string closable = thor::coq::CloseOpenBlocks(*context, &closing);
  const std::string text =
      absl::StrCat(config.prelude, "\n", thor::coq::ImportLines(t), closable, "\n",
                   config.hammer_import, "\n", *statement, "\n", backend.ProofText(steps), "\n",
                   closing);
  std::string dir = absl::StrCat(std::filesystem::temp_directory_path().string(),
                                 "/thor-plain-XXXXXX");
  if (::mkdtemp(dir.data()) == nullptr) return false;
  std::ofstream(dir + "/Top.v") << text;
  thor::SubprocessOptions options;
  options.argv = {config.coqc, "-q", "Top.v"};
  options.cwd = dir;
  const char* path = std::getenv("PATH");
  options.env = {absl::StrCat("PATH=/usr/libexec/coq-hammer:", path ? path : "/usr/bin:/bin"),
                 absl::StrCat("TMPDIR=", dir)};
  options.merge_stderr = true;
  absl::StatusOr<thor::RunResult> run = thor::RunSubprocess(options, "", timeout);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return run.ok() && !run->timed_out && run->exit_code == 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  thor::coq::StdlibSuiteOptions suite_options;
  suite_options.sample = absl::GetFlag(FLAGS_sample);
  suite_options.sample_offset = absl::GetFlag(FLAGS_sample_offset);
  absl::StatusOr<std::vector<Theorem>> suite = thor::coq::StdlibSuite(suite_options);
  if (!suite.ok()) {
    std::cerr << "recheck_stdlib: " << suite.status().message() << "\n";
    return 1;
  }
  thor::coq::CoqConfig config;
  thor::coq::CoqBackend backend(config);
  const absl::Duration timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_s));
  int no_proof = 0, refused = 0, plain_failed = 0, both = 0, kernel_rejected = 0;
  double plain_s = 0, kernel_s = 0;
  nlohmann::json rejected = nlohmann::json::array();
  nlohmann::json refusals = nlohmann::json::array();
  for (size_t i = 0; i < suite->size(); ++i) {
    const Theorem& t = (*suite)[i];
    const std::string proof = LibraryProof(t);
    if (proof.empty()) {
      ++no_proof;
      continue;
    }
    absl::StatusOr<std::vector<std::string>> steps = backend.ParseProofText(proof);
    if (!steps.ok()) {
      ++refused;
      refusals.push_back({{"theorem", t.name}, {"why", std::string(steps.status().message())}});
      std::cout << absl::StrFormat("[%3d] %-45s refused by the step rules: %s\n", i + 1, t.name,
                                   steps.status().message());
      continue;
    }
    absl::Time t0 = absl::Now();
    const bool plain = PlainCheck(config, t, *steps, timeout, backend);
    absl::Time t1 = absl::Now();
    if (!plain) {
      ++plain_failed;
      std::cout << absl::StrFormat("[%3d] %-45s plain coqc rejects it (not counted)\n", i + 1,
                                   t.name);
      continue;
    }
    thor::RecheckResult r = backend.Recheck(t, *steps, timeout);
    absl::Time t2 = absl::Now();
    plain_s += absl::ToDoubleSeconds(t1 - t0);
    kernel_s += absl::ToDoubleSeconds(t2 - t1);
    ++both;
    const bool passed = r.verdict == RecheckVerdict::kPassed;
    if (!passed) {
      ++kernel_rejected;
      rejected.push_back({{"theorem", t.name}, {"message", r.message.substr(0, 300)}});
    }
    std::cout << absl::StrFormat("[%3d] %-45s plain %.2fs, kernel %.2fs %s%s\n", i + 1, t.name,
                                 absl::ToDoubleSeconds(t1 - t0), absl::ToDoubleSeconds(t2 - t1),
                                 passed ? "passed" : "REJECTED: ",
                                 passed ? "" : r.message.substr(0, 200));
  }
  const double n = both > 0 ? both : 1;
  std::cout << absl::StrFormat(
      "\n%d theorems: %d proofs both checks ran on; the kernel check rejected %d of them; "
      "%d refused by the step rules, %d rejected by plain coqc too, %d without a library proof\n"
      "mean time per check: plain coqc %.2fs, kernel check %.2fs (%.2fx)\n",
      static_cast<int>(suite->size()), both, kernel_rejected, refused, plain_failed, no_proof,
      plain_s / n, kernel_s / n, plain_s > 0 ? kernel_s / plain_s : 0);
  nlohmann::json j = {{"benchmark", "recheck_stdlib"},
                      {"sample", absl::GetFlag(FLAGS_sample)},
                      {"sample_offset", absl::GetFlag(FLAGS_sample_offset)},
                      {"theorems", suite->size()},
                      {"checked_both", both},
                      {"kernel_rejected", kernel_rejected},
                      {"refused_by_rules", refused},
                      {"plain_rejected", plain_failed},
                      {"no_library_proof", no_proof},
                      {"mean_plain_s", plain_s / n},
                      {"mean_kernel_s", kernel_s / n},
                      {"kernel_over_plain", plain_s > 0 ? kernel_s / plain_s : 0},
                      {"rejected", rejected},
                      {"refusals", refusals}};
  std::cout << j.dump() << std::endl;
  return kernel_rejected == 0 ? 0 : 1;
}
