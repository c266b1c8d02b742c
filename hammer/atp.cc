#include "hammer/atp.h"

#include <cmath>
#include <mutex>
#include <regex>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/subprocess.h"
#include "hammer/encode.h"

namespace thor::hammer {
namespace {

constexpr uint64_t kMemoryLimitBytes = 3ull << 30;

struct ProverSpec {
  Prover prover;
  const char* name;
  const char* binary;
  const char* install;
};

const ProverSpec kSpecs[] = {
    {Prover::kE, "e", "eprover", "apt-get install eprover"},
    {Prover::kCvc5, "cvc5", "cvc5", "apt-get install cvc5"},
    {Prover::kCvc4, "cvc4", "cvc4", "apt-get install cvc4"},
    {Prover::kSpass, "spass", "SPASS", "apt-get install spass"},
    {Prover::kZ3, "z3", "z3", "apt-get install z3"},
    {Prover::kVampire, "vampire", "vampire",
     "not packaged in Debian 12: build it from github.com/vprover/vampire and put `vampire` on PATH"},
};

const ProverSpec& Spec(Prover p) { return kSpecs[static_cast<int>(p)]; }

std::string Secs(absl::Duration d, int min = 1) {
  return absl::StrCat(std::max<int64_t>(min, static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(d)))));
}

std::vector<std::string> CommandLine(Prover p, absl::Duration t) {
  const std::string ms = absl::StrCat(std::max<int64_t>(100, absl::ToInt64Milliseconds(t)));
  switch (p) {
    case Prover::kE:
      return {"eprover", "--auto", "--proof-object", "-s", "--memory-limit=2048",
              "--cpu-limit=" + Secs(t)};
    case Prover::kCvc5:
      return {"cvc5", "--lang=tptp", "--dump-unsat-cores", "--tlimit=" + ms};
    case Prover::kCvc4:
      return {"cvc4", "--lang=tptp", "--dump-unsat-cores", "--tlimit=" + ms};
    case Prover::kSpass:
      return {"SPASS", "-TPTP", "-DocProof", "-PGiven=0", "-PProblem=0", "-Stdin",
              "-TimeLimit=" + Secs(t)};
    case Prover::kZ3:
      return {"z3", "-in", "-smt2", "-memory:2048", "-T:" + Secs(t)};
    case Prover::kVampire:
      return {"vampire", "--proof", "tptp", "--output_axiom_names", "on", "-t", Secs(t)};
  }
  return {};
}

// Text between the first line containing `start` and the next containing
// `end` (or the end of `out`); `found` tells whether `start` was seen.
std::string Section(const std::string& out, const std::string& start, const std::string& end,
                    bool& found) {
  size_t s = out.find(start);
  found = s != std::string::npos;
  if (!found) return "";
  s = out.find('\n', s);
  if (s == std::string::npos) return "";
  size_t e = out.find(end, s);
  return out.substr(s, e == std::string::npos ? std::string::npos : e - s);
}

std::string NormaliseSzs(const std::string& szs) {
  if (szs == "Unsatisfiable" || szs == "ContradictoryAxioms") return "Theorem";
  if (szs == "Satisfiable") return "CounterSatisfiable";
  return szs;
}

AtpStatus StatusOfSzs(const std::string& szs) {
  if (szs == "Theorem") return AtpStatus::kProved;
  if (szs == "CounterSatisfiable") return AtpStatus::kDisproved;
  return AtpStatus::kUnknown;
}

std::string Tail(const std::string& s, size_t n = 300) {
  std::string t = s.size() > n ? s.substr(s.size() - n) : s;
  return std::string(absl::StripAsciiWhitespace(t));
}

}  // namespace

const char* ProverName(Prover p) { return Spec(p).name; }

absl::StatusOr<Prover> ProverFromName(const std::string& name) {
  for (const ProverSpec& s : kSpecs) {
    if (absl::EqualsIgnoreCase(name, s.name) || name == s.binary) return s.prover;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown prover '", name, "' (known: e, cvc5, cvc4, spass, z3, vampire)"));
}

std::vector<Prover> AllProvers() {
  return {Prover::kVampire, Prover::kCvc5, Prover::kE, Prover::kCvc4, Prover::kSpass, Prover::kZ3};
}

bool ProverInstalled(Prover p) {
  static std::once_flag once;
  static bool installed[6];
  std::call_once(once, [] {
    for (const ProverSpec& s : kSpecs) {
      installed[static_cast<int>(s.prover)] = !FindProgram(s.binary).empty();
    }
  });
  return installed[static_cast<int>(p)];
}

std::string ProverAvailabilityReport() {
  std::vector<std::string> have, missing;
  for (const ProverSpec& s : kSpecs) {
    if (ProverInstalled(s.prover)) have.push_back(s.name);
    else missing.push_back(absl::StrCat(s.name, " (", s.install, ")"));
  }
  return absl::StrCat("installed: ", have.empty() ? "none" : absl::StrJoin(have, ", "),
                      "; missing: ", missing.empty() ? "none" : absl::StrJoin(missing, "; "));
}

AtpOutcome ParseAtpOutput(Prover p, const std::string& out, int exit_code, int term_signal,
                          bool timed_out, const std::vector<int>& premises) {
  AtpOutcome r;
  std::string szs;
  std::smatch m;
  static const std::regex kSzs("SZS status ([A-Za-z]+)");
  if (std::regex_search(out, m, kSzs)) szs = m[1];
  bool z3_error = false;
  std::string z3_core;
  bool z3_core_found = false;
  if (p == Prover::kSpass) {
    if (absl::StrContains(out, "SPASS beiseite: Proof found.")) szs = "Theorem";
    else if (absl::StrContains(out, "SPASS beiseite: Completion found.")) szs = "CounterSatisfiable";
    else if (absl::StrContains(out, "SPASS beiseite: Ran out of time.")) szs = "Timeout";
    else if (absl::StrContains(out, "SPASS beiseite:")) szs = "GaveUp";
  } else if (p == Prover::kZ3) {
    szs.clear();
    std::vector<std::string> lines = absl::StrSplit(out, '\n');
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string line(absl::StripAsciiWhitespace(lines[i]));
      // An (error ...) after the answer is get-unsat-core refusing on sat.
      if (!szs.empty()) continue;
      if (absl::StartsWith(line, "(error")) z3_error = true;
      if (line == "unsat") {
        szs = "Theorem";
        for (size_t j = i + 1; j < lines.size(); ++j) absl::StrAppend(&z3_core, lines[j], "\n");
        z3_core_found = absl::StrContains(z3_core, "(");
      } else if (line == "sat") {
        szs = "CounterSatisfiable";
      } else if (line == "unknown" || line == "timeout") {
        szs = line == "timeout" ? "Timeout" : "GaveUp";
      }
    }
  }
  szs = NormaliseSzs(szs);
  r.szs = szs;
  r.status = StatusOfSzs(szs);
  // Rejected input is an error even when a status line came out (z3 carries
  // on after an (error ...) line; E exits 3 on a syntax error).
  if (z3_error || (p == Prover::kE && exit_code == 3) ||
      absl::StrContains(out, "Parse Error") || absl::StrContains(out, "syntax error")) {
    r.status = AtpStatus::kError;
    r.szs = "InputError";
    r.message = absl::StrCat(ProverName(p), " rejected the input: ", Tail(out));
    return r;
  }
  if (szs.empty()) {
    if (timed_out || term_signal != 0) {
      r.szs = "Timeout";
      r.message = absl::StrCat(ProverName(p), timed_out ? " timed out" : " ended by signal ",
                               timed_out ? "" : absl::StrCat(term_signal));
    } else if (exit_code != 0) {
      r.status = AtpStatus::kError;
      r.szs = "Error";
      r.message = absl::StrCat(ProverName(p), " exited with code ", exit_code, ": ", Tail(out));
    } else {
      r.szs = "Unknown";
      r.message = absl::StrCat(ProverName(p), " gave no answer: ", Tail(out));
    }
    return r;
  }
  if (r.status != AtpStatus::kProved) {
    r.message = absl::StrCat(ProverName(p), ": ", szs);
    return r;
  }
  // Used premises.
  std::string section;
  bool found = false;
  switch (p) {
    case Prover::kE:
    case Prover::kVampire:
      section = Section(out, "SZS output start", "SZS output end", found);
      break;
    case Prover::kCvc5:
    case Prover::kCvc4:
      section = Section(out, "SZS output start UnsatCore", "SZS output end UnsatCore", found);
      break;
    case Prover::kSpass: {
      size_t at = out.find("Formulae used in the proof :");
      found = at != std::string::npos;
      if (found) section = out.substr(at, out.find('\n', at) - at);
      break;
    }
    case Prover::kZ3:
      section = z3_core;
      found = z3_core_found;
      break;
  }
  absl::flat_hash_set<int> given(premises.begin(), premises.end()), seen;
  static const std::regex kName("\\bax([0-9]+)\\b");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), kName);
       it != std::sregex_iterator(); ++it) {
    int i = DecodeName((*it)[0]);
    if (given.contains(i) && seen.insert(i).second) r.used.push_back(i);
  }
  r.core_known = found;
  if (!found) r.used = premises;  // Unknown core: every given premise.
  return r;
}

AtpOutcome RunAtp(Prover p, const Problem& problem, const std::vector<int>& premises,
                  absl::Duration timeout, const std::vector<std::string>& extra_args,
                  const std::atomic<bool>* cancel, Env* env) {
  AtpOutcome r;
  if (!ProverInstalled(p)) {
    r.status = AtpStatus::kError;
    r.szs = "Error";
    r.message = absl::StrCat(Spec(p).binary, " is not installed (", Spec(p).install, "); ",
                             ProverAvailabilityReport());
    return r;
  }
  if (p == Prover::kSpass && problem.IsTyped()) {
    r.status = AtpStatus::kError;
    r.szs = "Inappropriate";
    r.message = "SPASS does not read typed (tff) problems";
    return r;
  }
  std::string input = p == Prover::kZ3 ? EncodeSmtLib(problem, premises)
                                       : EncodeTptp(problem, premises, p == Prover::kSpass);
  // The prover's own limit fires a little before the watchdog, so that it
  // can still print its answer and the call ends within `timeout`.
  const absl::Duration own_limit =
      timeout - std::min(absl::Milliseconds(500), timeout / 10);
  SubprocessOptions opts;
  opts.argv = CommandLine(p, own_limit);
  opts.argv.insert(opts.argv.end(), extra_args.begin(), extra_args.end());
  opts.memory_limit_bytes = kMemoryLimitBytes;
  opts.merge_stderr = true;
  if (env == nullptr) env = Env::Default();
  absl::StatusOr<RunResult> run = env->Run(opts, input, timeout, cancel);
  if (!run.ok()) {
    r.status = AtpStatus::kError;
    r.szs = "Error";
    r.message = std::string(run.status().message());
    return r;
  }
  r = ParseAtpOutput(p, run->out + run->err, run->exit_code, run->term_signal,
                     run->timed_out || run->cancelled, premises);
  r.elapsed = run->elapsed;
  if (run->cancelled && r.status != AtpStatus::kProved) r.message = "cancelled";
  return r;
}

}  // namespace thor::hammer
