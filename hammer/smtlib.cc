// SMT-LIB 2 encoding of a TPTP problem (EncodeSmtLib in encode.h).
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "hammer/encode.h"

namespace thor::hammer {
namespace {

struct Sig {
  std::vector<std::string> args;  // SMT sorts
  std::string result;
};

class SmtWriter {
 public:
  explicit SmtWriter(const Problem& p) : problem_(p) {
    for (const Formula& f : p.formulas) {
      if (f.role != "type") continue;
      if (f.type.result == "$tType") {
        sorts_.try_emplace(f.type_symbol, absl::StrCat("S", sorts_.size()));
        continue;
      }
      Sig s;
      for (const auto& a : f.type.args) s.args.push_back(Sort(a));
      s.result = Sort(f.type.result);
      declared_[f.type_symbol] = s;
    }
  }

  std::string Run(const std::vector<int>& premises) {
    std::string body;
    for (int i : premises) Assert(problem_.formulas[i], absl::StrCat("ax", i), false, body);
    int goals = 0;
    Formula conjecture;  // Several conjectures mean their conjunction.
    conjecture.formula.kind = Expr::Kind::kAnd;
    for (int i : problem_.GoalIndices()) {
      const Formula& f = problem_.formulas[i];
      if (f.role == "conjecture") {
        conjecture.formula.args.push_back(f.formula);
      } else {
        Assert(f, absl::StrCat("goal", ++goals), false, body);
      }
    }
    if (conjecture.formula.args.size() == 1) {
      Expr only = std::move(conjecture.formula.args[0]);
      conjecture.formula = std::move(only);
    }
    if (conjecture.formula.kind != Expr::Kind::kAnd || !conjecture.formula.args.empty()) {
      Assert(conjecture, "goal0", true, body);
    }
    std::string out = "(set-option :produce-unsat-cores true)\n(declare-sort U 0)\n";
    for (const auto& [name, smt] : sorts_) absl::StrAppend(&out, "(declare-sort ", smt, " 0)\n");
    for (const auto& line : decls_) absl::StrAppend(&out, line, "\n");
    absl::StrAppend(&out, body, "(check-sat)\n(get-unsat-core)\n");
    return out;
  }

 private:
  std::string Sort(const std::string& t) {
    if (t.empty() || t == "$i") return "U";
    if (t == "$o") return "Bool";
    auto it = sorts_.find(t);
    if (it != sorts_.end()) return it->second;
    return sorts_.try_emplace(t, absl::StrCat("S", sorts_.size())).first->second;
  }

  void Assert(const Formula& f, const std::string& name, bool negate, std::string& out) {
    std::vector<std::pair<std::string, std::string>> scope;
    std::string body = Formula_(f.formula, scope);
    std::vector<std::string> free = FreeVars(f.formula);
    if (!free.empty()) {
      std::string binders;
      for (const auto& v : free) absl::StrAppend(&binders, "(?", v, " U)");
      body = absl::StrCat("(forall (", binders, ") ", body, ")");
    }
    if (negate) body = absl::StrCat("(not ", body, ")");
    absl::StrAppend(&out, "(assert (! ", body, " :named ", name, "))\n");
  }

  // The SMT symbol for `name` used with `args` arguments as a predicate or
  // function; declares it on first use.
  std::string Symbol(const std::string& name, const std::vector<std::string>& arg_sorts,
                     bool predicate) {
    std::string key = absl::StrCat(name, "/", arg_sorts.size(), predicate ? "p" : "f");
    auto it = symbols_.find(key);
    if (it != symbols_.end()) return it->second;
    std::string smt = absl::StrCat("f", symbols_.size());
    symbols_[key] = smt;
    Sig sig;
    auto d = declared_.find(name);
    if (d != declared_.end() && d->second.args.size() == arg_sorts.size()) {
      sig = d->second;
    } else {
      sig.args = arg_sorts;
      sig.result = predicate ? "Bool" : "U";
    }
    std::string args;
    for (const auto& a : sig.args) absl::StrAppend(&args, args.empty() ? "" : " ", a);
    decls_.push_back(absl::StrCat("(declare-fun ", smt, " (", args, ") ", sig.result, ")"));
    return smt;
  }

  std::string SortOfVar(const std::string& v,
                        const std::vector<std::pair<std::string, std::string>>& scope) {
    for (auto it = scope.rbegin(); it != scope.rend(); ++it) {
      if (it->first == v) return it->second;
    }
    return "U";
  }

  // Returns the SMT text of a term and sets `sort`.
  std::string Term(const Expr& e, std::vector<std::pair<std::string, std::string>>& scope,
                   std::string& sort) {
    if (e.kind == Expr::Kind::kVar) {
      sort = SortOfVar(e.name, scope);
      return absl::StrCat("?", e.name);
    }
    std::vector<std::string> sorts, texts;
    for (const Expr& a : e.args) {
      std::string s;
      texts.push_back(Term(a, scope, s));
      sorts.push_back(s);
    }
    std::string f = Symbol(e.name, sorts, false);
    auto d = declared_.find(e.name);
    sort = (d != declared_.end() && d->second.args.size() == sorts.size()) ? d->second.result : "U";
    if (texts.empty()) return f;
    std::string out = absl::StrCat("(", f);
    for (const auto& t : texts) absl::StrAppend(&out, " ", t);
    return out + ")";
  }

  std::string Nary(const char* op, const Expr& e,
                   std::vector<std::pair<std::string, std::string>>& scope) {
    std::string out = absl::StrCat("(", op);
    for (const Expr& a : e.args) absl::StrAppend(&out, " ", Formula_(a, scope));
    return out + ")";
  }

  std::string Formula_(const Expr& e, std::vector<std::pair<std::string, std::string>>& scope) {
    using K = Expr::Kind;
    switch (e.kind) {
      case K::kTrue: return "true";
      case K::kFalse: return "false";
      case K::kVar: return absl::StrCat("?", e.name);  // $o variable (TFF)
      case K::kDistinct:
      case K::kApp: {
        std::vector<std::string> sorts, texts;
        for (const Expr& a : e.args) {
          std::string s;
          texts.push_back(Term(a, scope, s));
          sorts.push_back(s);
        }
        std::string p = Symbol(e.name, sorts, true);
        if (texts.empty()) return p;
        std::string out = absl::StrCat("(", p);
        for (const auto& t : texts) absl::StrAppend(&out, " ", t);
        return out + ")";
      }
      case K::kEq:
      case K::kNeq: {
        std::string s1, s2;
        std::string a = Term(e.args[0], scope, s1), b = Term(e.args[1], scope, s2);
        std::string eq = absl::StrCat("(= ", a, " ", b, ")");
        return e.kind == K::kEq ? eq : absl::StrCat("(not ", eq, ")");
      }
      case K::kNot: return Nary("not", e, scope);
      case K::kAnd: return Nary("and", e, scope);
      case K::kOr: return Nary("or", e, scope);
      case K::kImplies: return Nary("=>", e, scope);
      case K::kIff: return Nary("=", e, scope);
      case K::kXor: return Nary("xor", e, scope);
      case K::kForall:
      case K::kExists: {
        std::string binders;
        size_t mark = scope.size();
        for (const auto& [v, t] : e.vars) {
          std::string s = Sort(t);
          scope.emplace_back(v, s);
          absl::StrAppend(&binders, "(?", v, " ", s, ")");
        }
        std::string body = Formula_(e.args[0], scope);
        scope.resize(mark);
        return absl::StrCat("(", e.kind == K::kForall ? "forall" : "exists", " (", binders, ") ",
                            body, ")");
      }
    }
    return "true";
  }

  const Problem& problem_;
  absl::flat_hash_map<std::string, std::string> sorts_;
  absl::flat_hash_map<std::string, Sig> declared_;
  absl::flat_hash_map<std::string, std::string> symbols_;
  std::vector<std::string> decls_;
};

}  // namespace

std::string EncodeSmtLib(const Problem& problem, const std::vector<int>& premises) {
  return SmtWriter(problem).Run(premises);
}

}  // namespace thor::hammer
