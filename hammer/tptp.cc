#include "hammer/tptp.h"

#include <cctype>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thor::hammer {
namespace {

bool IsLowerWord(const std::string& s) {
  if (s.empty() || !std::islower(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool IsInteger(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i >= s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// A name where TPTP takes a lower_word or a quoted word but not a number: a
// type, or a function or predicate applied to arguments ('0'(X) is not 0(X)).
std::string QuoteWord(const std::string& name) {
  return IsInteger(name) ? absl::StrCat("'", name, "'") : QuoteName(name);
}

std::string TypeText(const std::string& t) {
  if (t.empty()) return "$i";
  if (t == "$i" || t == "$o" || t == "$tType") return t;
  return QuoteWord(t);  // '$x' read from quotes stays quoted
}

std::string Join(const Expr& e, const char* op) {
  std::vector<std::string> parts;
  for (const Expr& a : e.args) parts.push_back(ExprToTptp(a));
  return absl::StrCat("(", absl::StrJoin(parts, op), ")");
}

void CollectSymbols(const Expr& e, absl::flat_hash_set<std::string>& seen,
                    std::vector<std::string>& out) {
  if ((e.kind == Expr::Kind::kApp || e.kind == Expr::Kind::kDistinct) &&
      seen.insert(e.name).second) {
    out.push_back(e.name);
  }
  for (const Expr& a : e.args) CollectSymbols(a, seen, out);
}

void RenameNumerals(Expr& e) {
  if (e.kind == Expr::Kind::kApp && IsInteger(e.name)) {
    std::string n = e.name;
    if (n[0] == '+') n = n.substr(1);
    e.name = n[0] == '-' ? absl::StrCat("n_", n.substr(1)) : absl::StrCat("n", n);
  }
  for (Expr& a : e.args) RenameNumerals(a);
}

}  // namespace

bool IsPremiseRole(const std::string& role) {
  return role == "axiom" || role == "hypothesis" || role == "definition" ||
         role == "assumption" || role == "lemma" || role == "theorem" ||
         role == "corollary" || role == "plain" || role == "unknown";
}

std::vector<int> Problem::PremiseIndices() const {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(formulas.size()); ++i) {
    if (IsPremiseRole(formulas[i].role)) out.push_back(i);
  }
  return out;
}

std::vector<int> Problem::GoalIndices() const {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(formulas.size()); ++i) {
    if (formulas[i].role == "conjecture" || formulas[i].role == "negated_conjecture") {
      out.push_back(i);
    }
  }
  return out;
}

bool Problem::IsTyped() const {
  for (const Formula& f : formulas) {
    if (f.language == Language::kTff) return true;
  }
  return false;
}

std::string QuoteName(const std::string& name) {
  if (IsLowerWord(name) || IsInteger(name)) return name;
  std::string out = "'";
  for (char c : name) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string ExprToTptp(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kVar:
    case Expr::Kind::kDistinct:
      return e.name;
    case Expr::Kind::kApp: {
      if (e.args.empty()) return QuoteName(e.name);
      std::vector<std::string> parts;
      for (const Expr& a : e.args) parts.push_back(ExprToTptp(a));
      return absl::StrCat(QuoteWord(e.name), "(", absl::StrJoin(parts, ","), ")");
    }
    case Expr::Kind::kTrue:
      return "$true";
    case Expr::Kind::kFalse:
      return "$false";
    case Expr::Kind::kEq:
      return absl::StrCat(ExprToTptp(e.args[0]), " = ", ExprToTptp(e.args[1]));
    case Expr::Kind::kNeq:
      return absl::StrCat(ExprToTptp(e.args[0]), " != ", ExprToTptp(e.args[1]));
    case Expr::Kind::kNot: {
      const Expr& a = e.args[0];
      bool bare = a.kind == Expr::Kind::kApp || a.kind == Expr::Kind::kTrue ||
                  a.kind == Expr::Kind::kFalse;
      return bare ? absl::StrCat("~ ", ExprToTptp(a))
                  : absl::StrCat("~ (", ExprToTptp(a), ")");
    }
    case Expr::Kind::kAnd:
      return Join(e, " & ");
    case Expr::Kind::kOr:
      return Join(e, " | ");
    case Expr::Kind::kImplies:
      return Join(e, " => ");
    case Expr::Kind::kIff:
      return Join(e, " <=> ");
    case Expr::Kind::kXor:
      return Join(e, " <~> ");
    case Expr::Kind::kForall:
    case Expr::Kind::kExists: {
      std::vector<std::string> vars;
      for (const auto& [v, t] : e.vars) {
        vars.push_back(t.empty() ? v : absl::StrCat(v, ": ", TypeText(t)));
      }
      return absl::StrCat(e.kind == Expr::Kind::kForall ? "! [" : "? [",
                          absl::StrJoin(vars, ", "), "] : (", ExprToTptp(e.args[0]), ")");
    }
  }
  return "$true";
}

std::string FormulaToTptp(const Formula& f) {
  const char* lang = f.language == Language::kFof ? "fof"
                     : f.language == Language::kCnf ? "cnf" : "tff";
  std::string body;
  if (f.role == "type") {
    std::vector<std::string> args;
    for (const auto& a : f.type.args) args.push_back(TypeText(a));
    std::string sig = TypeText(f.type.result);
    if (args.size() == 1) sig = absl::StrCat(args[0], " > ", sig);
    if (args.size() > 1) sig = absl::StrCat("(", absl::StrJoin(args, " * "), ") > ", sig);
    body = absl::StrCat(QuoteWord(f.type_symbol), ": ", sig);
  } else {
    body = ExprToTptp(f.formula);
  }
  return absl::StrCat(lang, "(", QuoteName(f.name), ", ", f.role, ", ", body, ").");
}

std::string ProblemToTptp(const Problem& problem) {
  std::string out;
  for (const Formula& f : problem.formulas) absl::StrAppend(&out, FormulaToTptp(f), "\n");
  return out;
}

void NormaliseNumerals(Problem& problem) {
  for (Formula& f : problem.formulas) RenameNumerals(f.formula);
}

std::vector<std::string> Symbols(const Expr& e) {
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> out;
  CollectSymbols(e, seen, out);
  return out;
}

}  // namespace thor::hammer
