#include "hammer/encode.h"

#include <cctype>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thor::hammer {
namespace {

void CollectFree(const Expr& e, std::vector<std::string>& bound,
                 absl::flat_hash_set<std::string>& seen, std::vector<std::string>& out) {
  if (e.kind == Expr::Kind::kVar) {
    if (std::find(bound.begin(), bound.end(), e.name) == bound.end() &&
        seen.insert(e.name).second) {
      out.push_back(e.name);
    }
    return;
  }
  size_t mark = bound.size();
  for (const auto& v : e.vars) bound.push_back(v.first);
  for (const Expr& a : e.args) CollectFree(a, bound, seen, out);
  bound.resize(mark);
}

Expr Closure(const Formula& f) {
  std::vector<std::string> free = FreeVars(f.formula);
  if (free.empty()) return f.formula;
  Expr q;
  q.kind = Expr::Kind::kForall;
  for (auto& v : free) q.vars.emplace_back(v, "");
  q.args.push_back(f.formula);
  return q;
}

Formula Renamed(const Formula& f, std::string name, std::string role, bool typed) {
  Formula out;
  out.language = typed ? Language::kTff : Language::kFof;
  out.name = std::move(name);
  out.role = std::move(role);
  out.type_symbol = f.type_symbol;
  out.type = f.type;
  if (f.role != "type") out.formula = Closure(f);
  return out;
}

}  // namespace

std::vector<std::string> FreeVars(const Expr& e) {
  std::vector<std::string> bound, out;
  absl::flat_hash_set<std::string> seen;
  CollectFree(e, bound, seen, out);
  return out;
}

int DecodeName(const std::string& generated) {
  int i = -1;
  if (generated.size() > 2 && generated.compare(0, 2, "ax") == 0 &&
      absl::SimpleAtoi(generated.substr(2), &i) && i >= 0) {
    return i;
  }
  return -1;
}

std::string EncodeTptp(const Problem& problem, const std::vector<int>& premises,
                       bool for_spass) {
  const bool typed = problem.IsTyped();
  std::string out;
  int types = 0, goals = 0;
  for (const Formula& f : problem.formulas) {
    if (f.role == "type") {
      absl::StrAppend(&out, FormulaToTptp(Renamed(f, absl::StrCat("ty", types++), "type", true)), "\n");
    }
  }
  for (int i : premises) {
    absl::StrAppend(&out, FormulaToTptp(Renamed(problem.formulas[i], absl::StrCat("ax", i), "axiom", typed)), "\n");
  }
  Formula conjecture;
  conjecture.formula.kind = Expr::Kind::kAnd;
  for (int i : problem.GoalIndices()) {
    const Formula& f = problem.formulas[i];
    if (f.role == "conjecture") {
      conjecture.formula.args.push_back(Closure(f));
    } else {
      absl::StrAppend(&out, FormulaToTptp(Renamed(f, absl::StrCat("goal", ++goals),
                                                  for_spass ? "hypothesis" : "negated_conjecture", typed)),
                      "\n");
    }
  }
  if (!conjecture.formula.args.empty()) {
    if (conjecture.formula.args.size() == 1) {
      Expr only = std::move(conjecture.formula.args[0]);
      conjecture.formula = std::move(only);
    }
    absl::StrAppend(&out, FormulaToTptp(Renamed(conjecture, "goal0", "conjecture", typed)), "\n");
  }
  return out;
}

}  // namespace thor::hammer
