#include "coq_bridge/coq_extract.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "coq_bridge/coq_goals.h"
#include "coq_bridge/coq_text.h"
#include "coq_bridge/coqtop.h"

namespace thor::coq {
namespace {

using extract::FileTrace;
using extract::StateRecord;
using extract::StepRecord;
using extract::TheoremRecord;
using extract::TheoremTrace;

// The prompt's proof name outside any proof.
constexpr char kNoProof[] = "Coq";
// Input per round trip: well below a pipe's 64 KB, so that writing a batch
// never waits for coqtop, which may be waiting for us to read its output.
constexpr size_t kBatchBytes = 16 * 1024;
// Identifiers looked up per theorem at most (a huge proof term's tail is
// left out).
constexpr size_t kMaxLookups = 600;

struct Unit {
  std::string text;
  int line = 0;
  bool tactic = false;     // A step if it runs inside a proof.
  std::string first_word;  // Of a sentence ("Qed", "Proof", ...).
};

// True if Coq reads the unit's final '.' as part of "..": the keyword of
// recursive notations ("(cons y .. (cons z nil) ..)"), which does not end a
// sentence even before a blank. LexUnits, stricter, ends one there. A
// final "..." is not that: it ends the sentence (`tac...` runs tac, then the
// tactic of `Proof with`).
bool EndsInEllipsis(const std::string& text, const CoqUnit& u) {
  return u.kind == CoqUnit::kSentence && u.terminated && u.end >= u.begin + 2 &&
         text[u.end - 2] == '.' && !(u.end >= u.begin + 3 && text[u.end - 3] == '.');
}

std::vector<Unit> UnitsOf(const std::string& text, const std::vector<CoqUnit>& units) {
  std::vector<Unit> out;
  int line = 1;
  size_t counted = 0;
  for (size_t k = 0; k < units.size(); ++k) {
    const CoqUnit& u = units[k];
    line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                        text.begin() + static_cast<std::ptrdiff_t>(u.begin), '\n'));
    counted = u.begin;
    size_t end = u.end;
    while (k + 1 < units.size() && EndsInEllipsis(text, units[k])) end = units[++k].end;
    Unit unit;
    unit.text = text.substr(u.begin, end - u.begin);
    unit.line = line;
    if (u.kind == CoqUnit::kSentence && !u.tokens.empty()) {
      const CoqToken& t = u.tokens[0];
      const char c = text[t.begin];
      if (t.kind == CoqToken::kIdent) unit.first_word = text.substr(t.begin, t.end - t.begin);
      unit.tactic = (t.kind == CoqToken::kIdent && absl::ascii_islower(c)) ||
                    t.kind == CoqToken::kNumber || c == '(' || c == '[';
    }
    // `Proof term.` closes the proof it opens, but only as the sentence
    // right after the statement: the `Show.` the tracer runs between
    // sentences would make Coq reject it ("Attempt to save an incomplete
    // proof"). Coq defines it as `Proof. exact term. Qed.`, which is run
    // instead (two units, neither a recorded step: the proof has no tactic).
    if (unit.first_word == "Proof") {
      absl::string_view rest = absl::StripAsciiWhitespace(absl::string_view(unit.text).substr(5));
      if (absl::ConsumeSuffix(&rest, ".")) rest = absl::StripAsciiWhitespace(rest);
      auto keyword = [&rest](absl::string_view k) {
        return absl::StartsWith(rest, k) &&
               (rest.size() == k.size() || absl::ascii_isspace(static_cast<unsigned char>(rest[k.size()])));
      };
      if (!rest.empty() && !keyword("using") && !keyword("with")) {
        Unit exact = unit;
        exact.text = absl::StrCat("exact (", rest, ").");
        exact.first_word = "exact";
        exact.tactic = false;
        Unit qed = unit;
        qed.text = "Qed.";
        qed.first_word = "Qed";
        qed.tactic = false;
        out.push_back(std::move(exact));
        out.push_back(std::move(qed));
        continue;
      }
    }
    out.push_back(std::move(unit));
  }
  return out;
}

StateRecord State(const std::string& display) {
  StateRecord s;
  s.text = display;
  // "No more goals." is no goal (ParseCoqGoals would keep the text).
  if (!CoqNoGoalsLeft(display)) s.goals = ParseCoqGoals(display);
  return s;
}

class Tracer {
 public:
  Tracer(const std::string& path, const CoqExtractOptions& options)
      : path_(path), options_(options), deadline_(absl::Now() + options.file_timeout) {}

  FileTrace Run() {
    const absl::Time start = absl::Now();
    absl::Status s = RunFile();
    trace_.file.status = s;
    trace_.file.theorems = static_cast<int>(trace_.theorems.size());
    for (const TheoremTrace& t : trace_.theorems)
      trace_.file.steps += static_cast<int>(t.steps.size());
    trace_.file.elapsed = absl::Now() - start;
    if (coq_ != nullptr) coq_->Kill();
    return std::move(trace_);
  }

 private:
  struct Open {
    TheoremTrace trace;
    std::string name;
    std::string last_display;  // The display before the next step.
  };

  absl::Status RunFile() {
    absl::StatusOr<std::string> text = ReadTextFile(path_);
    if (!text.ok()) return absl::NotFoundError(absl::StrCat("cannot read ", path_));
    absl::StatusOr<std::vector<CoqUnit>> lexed = LexUnits(*text);
    if (!lexed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot split into sentences: ", lexed.status().message()));
    }
    const std::vector<Unit> units = UnitsOf(*text, *lexed);
    CoqtopOptions co;
    co.program = options_.coqtop;
    co.args = options_.coqtop_args;
    co.memory_limit_bytes = options_.memory_limit_bytes;
    absl::StatusOr<std::unique_ptr<Coqtop>> coq = Coqtop::Start(co, deadline_);
    if (!coq.ok()) return coq.status();
    coq_ = std::move(*coq);
    size_t i = 0;
    while (i < units.size()) {
      // A batch ends after a proof's last sentence (so that its constants
      // are looked up right after it) or at kBatchBytes.
      std::string batch;
      size_t j = i;
      while (j < units.size() && (j == i || batch.size() + units[j].text.size() < kBatchBytes)) {
        absl::StrAppend(&batch, units[j].text, "\nShow.\n");
        const std::string& w = units[j++].first_word;
        if (w == "Qed" || w == "Defined" || w == "Admitted" || w == "Abort" || w == "Save") break;
      }
      absl::StatusOr<CoqReply> r = coq_->Run(batch, deadline_);
      // Interrupted at the deadline: coqtop answered, but the batch is cut.
      if (r.ok() && r->interrupted)
        r = absl::StatusOr<CoqReply>(absl::DeadlineExceededError("interrupted"));
      if (!r.ok()) return Lost(r.status(), units[i].line);
      for (size_t k = i; k < j; ++k) {
        const size_t at = 2 * (k - i);
        if (at + 1 >= r->sentences.size() || r->sentences[at].failed) {
          const std::string error = at < r->sentences.size()
                                        ? CleanCoqError(r->sentences[at].output)
                                        : "no answer from coqtop";
          return absl::InvalidArgumentError(
              absl::StrCat("line ", units[k].line, ": Coq rejected the sentence: ", error));
        }
        absl::Status s = Take(units[k], r->sentences[at].proof, r->sentences[at + 1].output);
        if (!s.ok()) return s;
      }
      i = j;
      absl::Status s = FinishClosed();
      if (!s.ok()) return s;
    }
    if (!open_.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("the proof of ", open_.back().name,
                                                     " is still open at the end of the file"));
    }
    return absl::OkStatus();
  }

  absl::Status Lost(const absl::Status& s, int line) {
    if (absl::IsDeadlineExceeded(s)) {
      return absl::DeadlineExceededError(absl::StrCat("the file took longer than ",
                                                      absl::FormatDuration(options_.file_timeout),
                                                      " (at line ", line, "); coqtop was killed"));
    }
    return absl::UnavailableError(absl::StrCat("coqtop failed at line ", line, ": ", s.message()));
  }

  // One unit's effect: `proof` is the prompt's proof name after it, `show`
  // what `Show.` printed then.
  absl::Status Take(const Unit& unit, const std::string& proof, const std::string& show) {
    const std::string before = open_.empty() ? kNoProof : open_.back().name;
    if (proof == before) {
      if (proof == kNoProof) return absl::OkStatus();  // Vernacular.
      Open& o = open_.back();
      if (unit.tactic) {
        StepRecord step;
        step.file = path_;
        step.theorem = o.name;
        step.index = static_cast<int>(o.trace.steps.size());
        step.line = unit.line;
        step.before = State(o.last_display);
        step.tactic = unit.text;
        step.after = State(show);
        step.finished = CoqNoGoalsLeft(show);
        o.trace.steps.push_back(std::move(step));
      }
      o.last_display = show;
      return absl::OkStatus();
    }
    // A proof closed: back to an enclosing proof or to none.
    auto enclosing =
        std::find_if(open_.begin(), open_.end(), [&](const Open& o) { return o.name == proof; });
    if (proof == kNoProof || enclosing != open_.end()) {
      while (!open_.empty() && open_.back().name != proof) {
        Open done = std::move(open_.back());
        open_.pop_back();
        done.trace.theorem.end = unit.first_word;
        if (unit.first_word == "Qed" || unit.first_word == "Defined") {
          closed_.push_back(std::move(done.trace));
        }
      }
      if (!open_.empty()) open_.back().last_display = show;
      return absl::OkStatus();
    }
    // A proof opened (a statement, or one nested in the open proof).
    Open o;
    o.name = proof;
    o.last_display = show;
    TheoremRecord& t = o.trace.theorem;
    t.file = path_;
    t.theorem = proof;
    t.line = unit.line;
    t.statement = unit.text;
    open_.push_back(std::move(o));
    return absl::OkStatus();
  }

  // Looks up the constants of the theorems closed so far and files them.
  absl::Status FinishClosed() {
    for (TheoremTrace& t : closed_) {
      if (options_.constants) {
        absl::Status s = Constants(t);
        if (!s.ok()) return s;
      }
      t.theorem.steps = static_cast<int>(t.steps.size());
      trace_.theorems.push_back(std::move(t));
    }
    closed_.clear();
    return absl::OkStatus();
  }

  absl::Status Constants(TheoremTrace& t) {
    std::vector<std::vector<std::string>> step_ids;
    std::vector<std::string> wanted;
    for (const StepRecord& s : t.steps) {
      std::vector<std::string> hyps;
      for (const StructuredGoal& g : s.before.goals) {
        for (const GoalHypothesis& h : g.hypotheses)
          hyps.insert(hyps.end(), h.names.begin(), h.names.end());
      }
      step_ids.push_back(CandidateIdentifiers(s.tactic, hyps, /*tactic=*/true));
      for (const std::string& id : step_ids.back()) wanted.push_back(id);
    }
    // Print under Printing All (no notation hides a constant), then back.
    absl::StatusOr<CoqReply> printed = coq_->Run(
        absl::StrCat("Set Printing All.\nPrint ", t.theorem.theorem, ".\nUnset Printing All."),
        deadline_);
    if (printed.ok() && printed->interrupted)
      printed = absl::StatusOr<CoqReply>(absl::DeadlineExceededError("interrupted"));
    if (!printed.ok()) return Lost(printed.status(), t.theorem.line);
    std::vector<std::string> term_ids;
    if (printed->sentences.size() == 3 && !printed->sentences[0].failed) {
      term_ids = CandidateIdentifiers(printed->sentences[1].output, {t.theorem.theorem});
      if (term_ids.size() > kMaxLookups) term_ids.resize(kMaxLookups);
      wanted.insert(wanted.end(), term_ids.begin(), term_ids.end());
    }
    absl::Status s = Resolve(wanted, t.theorem.line);
    if (!s.ok()) return s;
    for (size_t k = 0; k < t.steps.size(); ++k) {
      t.steps[k].constants = Resolved(step_ids[k], /*tactic=*/true);
    }
    t.theorem.dependencies = Resolved(term_ids, /*tactic=*/false);
    return absl::OkStatus();
  }

  // The constants `ids` were located to, each once, in order.
  // In a tactic, a name that is also an Ltac tactic's is taken for the
  // tactic (`split`, not List.split).
  std::vector<std::string> Resolved(const std::vector<std::string>& ids, bool tactic) {
    std::vector<std::string> out;
    for (const std::string& id : ids) {
      auto it = located_.find(id);
      if (it == located_.end() || it->second.constant.empty()) continue;
      if (tactic && it->second.tactic) continue;
      const std::string& c = it->second.constant;
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
    return out;
  }

  // `Locate`s the identifiers not looked up yet, in one round trip.
  absl::Status Resolve(const std::vector<std::string>& ids, int line) {
    std::vector<std::string> todo;
    for (const std::string& id : ids) {
      if (located_.contains(id) || std::find(todo.begin(), todo.end(), id) != todo.end()) continue;
      todo.push_back(id);
    }
    for (size_t from = 0; from < todo.size();) {
      // Batches below kBatchBytes, as for the file's own sentences.
      std::string part;
      size_t to = from;
      while (to < todo.size() && part.size() < kBatchBytes)
        absl::StrAppend(&part, "Locate ", todo[to++], ".\n");
      absl::StatusOr<CoqReply> r = coq_->Run(part, deadline_);
      if (r.ok() && r->interrupted)
        r = absl::StatusOr<CoqReply>(absl::DeadlineExceededError("interrupted"));
      if (!r.ok()) return Lost(r.status(), line);
      // A reply out of step (fewer answers than questions) is not trusted:
      // those names stay unresolved ("").
      const bool aligned = r->sentences.size() == to - from;
      for (size_t k = from; k < to; ++k) {
        Located& l = located_[todo[k]];
        if (aligned)
          l.constant = LocatedConstant(r->sentences[k - from].output, todo[k], &l.tactic);
      }
      from = to;
    }
    return absl::OkStatus();
  }

  const std::string path_;
  const CoqExtractOptions options_;
  const absl::Time deadline_;
  std::unique_ptr<Coqtop> coq_;
  std::vector<Open> open_;            // Innermost last.
  std::vector<TheoremTrace> closed_;  // Closed by Qed/Defined, not yet filed.
  struct Located {
    std::string constant;  // "" if none.
    bool tactic = false;   // Also an Ltac tactic's name.
  };
  absl::flat_hash_map<std::string, Located> located_;
  FileTrace trace_;
};

}  // namespace

extract::FileTrace TraceCoqFile(const std::string& path, const CoqExtractOptions& options) {
  Tracer tracer(path, options);
  FileTrace trace = tracer.Run();
  trace.file.file = path;
  return trace;
}

}  // namespace thor::coq
