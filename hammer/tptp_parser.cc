// Recursive-descent reader for the FOF / CNF / TFF0 subset of TPTP.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "hammer/tptp.h"
#include "hammer/tptp_lexer.h"

namespace thor::hammer {
namespace {

constexpr int kMaxIncludeDepth = 16;
// A formula is accepted up to this depth as a tree (connectives, quantifiers,
// atoms and term arguments each one level). The reader's recursion guard is a
// multiple of it: the printer spends at most three levels of recursion per
// tree level (`~ (`, `: (`), so whatever the reader accepts it also reads
// back from its own print, however the input spent its parentheses.
constexpr int kMaxFormulaDepth = 600;
constexpr int kMaxNesting = 3 * kMaxFormulaDepth + 16;
constexpr uintmax_t kMaxIncludeBytes = uintmax_t{1} << 30;

using K = Token::Kind;

int ExprDepth(const Expr& e) {
  int deepest = 0;
  for (const Expr& a : e.args) deepest = std::max(deepest, ExprDepth(a));
  return deepest + 1;
}

// A file a parse read, as it was then.
struct FileStamp {
  std::string path;
  uintmax_t size = 0;
  std::filesystem::file_time_type mtime;
};

bool StampOf(const std::string& path, FileStamp& stamp) {
  std::error_code ec;
  stamp.path = path;
  stamp.size = std::filesystem::file_size(path, ec);
  if (ec) return false;
  stamp.mtime = std::filesystem::last_write_time(path, ec);
  return !ec;
}

bool Unchanged(const FileStamp& s) {
  FileStamp now;
  return StampOf(s.path, now) && now.size == s.size && now.mtime == s.mtime;
}

}  // namespace

struct IncludeCache::Entry {
  std::vector<Formula> formulas;  // The file's formulas, its includes expanded.
  std::vector<FileStamp> files;   // It and every file it included.
};

struct IncludeCache::State {
  size_t max_files;
  absl::Mutex mu;
  absl::flat_hash_map<std::string, std::shared_ptr<const Entry>> entries ABSL_GUARDED_BY(mu);
  size_t hits ABSL_GUARDED_BY(mu) = 0;
};

IncludeCache::IncludeCache(size_t max_files) : state_(new State) {
  state_->max_files = std::max<size_t>(1, max_files);
}
IncludeCache::~IncludeCache() = default;

std::shared_ptr<const IncludeCache::Entry> IncludeCache::Find(const std::string& key) {
  std::shared_ptr<const Entry> e;
  {
    absl::MutexLock lock(&state_->mu);
    auto it = state_->entries.find(key);
    if (it == state_->entries.end()) return nullptr;
    e = it->second;
  }
  if (!std::all_of(e->files.begin(), e->files.end(), Unchanged)) return nullptr;
  absl::MutexLock lock(&state_->mu);
  ++state_->hits;
  return e;
}

void IncludeCache::Put(const std::string& key, std::shared_ptr<const Entry> entry) {
  absl::MutexLock lock(&state_->mu);
  if (state_->entries.size() >= state_->max_files) state_->entries.clear();
  state_->entries[key] = std::move(entry);
}

size_t IncludeCache::hits() const {
  absl::MutexLock lock(&state_->mu);
  return state_->hits;
}

namespace {

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string source, std::string base_dir, int depth,
         IncludeCache* cache)
      : toks_(std::move(tokens)), source_(std::move(source)),
        base_dir_(std::move(base_dir)), depth_(depth), cache_(cache) {}

  // The files this parse included (directly or not), as read.
  std::vector<FileStamp>& included() { return included_; }

  absl::Status ParseFile(std::vector<Formula>& out) {
    while (Cur().kind != K::kEnd) {
      if (Cur().kind != K::kLower) return Expected("fof, cnf, tff or include");
      const std::string word = Cur().text;
      if (word == "include") {
        if (auto s = Include(out); !s.ok()) return s;
      } else if (word == "fof" || word == "cnf" || word == "tff") {
        Formula f;
        if (auto s = Annotated(f); !s.ok()) return s;
        out.push_back(std::move(f));
      } else if (word == "thf" || word == "tcf" || word == "tpi") {
        return absl::UnimplementedError(absl::StrCat(
            Where(Cur()), word, " formulas are not supported (only fof, cnf and tff without arithmetic)"));
      } else {
        return Expected("fof, cnf, tff or include");
      }
    }
    return absl::OkStatus();
  }

 private:
  const Token& Cur() const { return toks_[pos_]; }
  // Hot: called several times per token, so the first character decides
  // before any string comparison.
  bool IsPunct(const char* p) const {
    const Token& t = Cur();
    return t.kind == K::kPunct && t.text[0] == p[0] && t.text == p;
  }
  std::string Where(const Token& t) const {
    return absl::StrCat(source_, ":", t.line, ":", t.column, ": ");
  }
  absl::Status Expected(const std::string& what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(Where(Cur()), "expected ", what, ", found ", DescribeToken(Cur())));
  }
  absl::Status Expect(const char* p) {
    if (!IsPunct(p)) return Expected(absl::StrCat("'", p, "'"));
    ++pos_;
    return absl::OkStatus();
  }
  void Skip() {
    if (Cur().kind != K::kEnd) ++pos_;
  }

  absl::Status Name(std::string& name) {
    const Token& t = Cur();
    if (t.kind != K::kLower && t.kind != K::kSingleQuoted && t.kind != K::kInteger) {
      return Expected("a name");
    }
    name = t.text;
    Skip();
    return absl::OkStatus();
  }

  absl::Status Include(std::vector<Formula>& out) {
    const Token at = Cur();
    Skip();
    if (auto s = Expect("("); !s.ok()) return s;
    if (Cur().kind != K::kSingleQuoted) return Expected("a quoted file name");
    std::string file = Cur().text;
    Skip();
    std::vector<std::string> selection;
    bool selective = false;
    if (IsPunct(",")) {
      Skip();
      selective = true;
      if (auto s = Expect("["); !s.ok()) return s;
      while (!IsPunct("]")) {
        std::string n;
        if (auto s = Name(n); !s.ok()) return s;
        selection.push_back(n);
        if (IsPunct(",")) Skip();
        else if (!IsPunct("]")) return Expected("',' or ']'");
      }
      Skip();
    }
    if (auto s = Expect(")"); !s.ok()) return s;
    if (auto s = Expect("."); !s.ok()) return s;
    if (depth_ >= kMaxIncludeDepth) {
      return absl::InvalidArgumentError(absl::StrCat(
          Where(at), "includes nested deeper than ", kMaxIncludeDepth, " (a cycle?)"));
    }
    std::vector<std::string> tried;
    std::vector<std::string> dirs = {base_dir_};
    std::string own_dir = std::filesystem::path(source_).parent_path().string();
    if (!own_dir.empty() && own_dir != base_dir_) dirs.push_back(own_dir);
    const char* tptp = std::getenv("TPTP");
    if (tptp != nullptr && *tptp) dirs.push_back(tptp);
    for (const std::string& dir : dirs) {
      std::filesystem::path p = dir.empty() ? std::filesystem::path(file)
                                            : std::filesystem::path(dir) / file;
      tried.push_back(p.string());
      std::error_code ec;
      if (!std::filesystem::is_regular_file(p, ec)) continue;
      FileStamp stamp;
      if (!StampOf(p.string(), stamp) || stamp.size > kMaxIncludeBytes) {
        return absl::InvalidArgumentError(
            absl::StrCat(Where(at), "include file '", p.string(), "' is unreadable or too large"));
      }
      auto keep = [&](const Formula& f) {
        return !selective || std::find(selection.begin(), selection.end(), f.name) != selection.end();
      };
      // Nested includes resolve against base_dir_ and $TPTP too: both are
      // part of what the file expands to.
      const std::string key =
          absl::StrCat(base_dir_, "\n", p.string(), "\n", tptp != nullptr ? tptp : "");
      if (cache_ != nullptr) {
        if (auto hit = cache_->Find(key); hit != nullptr) {
          included_.insert(included_.end(), hit->files.begin(), hit->files.end());
          for (const Formula& f : hit->formulas) {
            if (keep(f)) out.push_back(f);
          }
          return absl::OkStatus();
        }
      }
      std::ifstream in(p);
      std::stringstream buf;
      buf << in.rdbuf();
      auto tokens = Tokenize(buf.str(), p.string());
      if (!tokens.ok()) return tokens.status();
      std::vector<Formula> inc;
      Parser sub(std::move(*tokens), p.string(), base_dir_, depth_ + 1, cache_);
      if (auto s = sub.ParseFile(inc); !s.ok()) return s;
      included_.push_back(stamp);
      included_.insert(included_.end(), sub.included().begin(), sub.included().end());
      if (cache_ != nullptr) {
        auto entry = std::make_shared<IncludeCache::Entry>();
        entry->formulas = inc;
        entry->files.push_back(stamp);
        entry->files.insert(entry->files.end(), sub.included().begin(), sub.included().end());
        cache_->Put(key, std::move(entry));
      }
      for (Formula& f : inc) {
        if (keep(f)) out.push_back(std::move(f));
      }
      return absl::OkStatus();
    }
    std::string list;
    for (const auto& t : tried) absl::StrAppend(&list, list.empty() ? "" : ", ", t);
    return absl::NotFoundError(absl::StrCat(Where(at), "include file '", file,
                                            "' not found (looked at ", list,
                                            "; set $TPTP for library includes)"));
  }

  absl::Status Annotated(Formula& f) {
    const Token start = Cur();
    f.language = start.text == "fof" ? Language::kFof
                 : start.text == "cnf" ? Language::kCnf : Language::kTff;
    f.source = absl::StrCat(source_, ":", start.line);
    Skip();
    if (auto s = Expect("("); !s.ok()) return s;
    if (auto s = Name(f.name); !s.ok()) return s;
    if (auto s = Expect(","); !s.ok()) return s;
    if (Cur().kind != K::kLower) return Expected("a role (axiom, conjecture, ...)");
    f.role = Cur().text;
    Skip();
    if (auto s = Expect(","); !s.ok()) return s;
    absl::Status s;
    if (f.role == "type") {
      if (f.language != Language::kTff) {
        return absl::InvalidArgumentError(absl::StrCat(Where(start), "role 'type' is only allowed in tff"));
      }
      s = TypeDecl(f);
    } else {
      s = Logic(f.formula, 0);
      if (s.ok() && ExprDepth(f.formula) > kMaxFormulaDepth) {
        return absl::InvalidArgumentError(absl::StrCat(
            Where(start), "formula nested deeper than ", kMaxFormulaDepth, " levels"));
      }
    }
    if (!s.ok()) return s;
    if (IsPunct(",")) {  // Annotations: skipped, balanced.
      int level = 0;
      while (Cur().kind != K::kEnd && !(level == 0 && IsPunct(")"))) {
        if (IsPunct("(") || IsPunct("[")) ++level;
        if (IsPunct(")") || IsPunct("]")) --level;
        Skip();
      }
    }
    if (auto s2 = Expect(")"); !s2.ok()) return s2;
    return Expect(".");
  }

  absl::Status TypeName(std::string& out) {
    const Token& t = Cur();
    if (t.kind == K::kDollar) {
      if (t.text != "$i" && t.text != "$o" && t.text != "$tType") {
        return absl::UnimplementedError(absl::StrCat(
            Where(t), "type ", t.text, " is not supported (no arithmetic; use $i, $o, $tType or declared types)"));
      }
    } else if (t.kind != K::kLower && t.kind != K::kSingleQuoted) {
      return Expected("a type");
    }
    out = t.text;
    Skip();
    return absl::OkStatus();
  }

  absl::Status TypeDecl(Formula& f) {
    if (IsPunct("(")) {
      Skip();
      if (auto s = TypeDecl(f); !s.ok()) return s;
      return Expect(")");
    }
    if (auto s = Name(f.type_symbol); !s.ok()) return s;
    if (auto s = Expect(":"); !s.ok()) return s;
    std::vector<std::string> args;
    if (IsPunct("(")) {
      Skip();
      while (true) {
        std::string a;
        if (auto s = TypeName(a); !s.ok()) return s;
        args.push_back(a);
        if (IsPunct("*")) { Skip(); continue; }
        break;
      }
      if (auto s = Expect(")"); !s.ok()) return s;
      if (!IsPunct(">")) return Expected("'>'");
    } else {
      std::string a;
      if (auto s = TypeName(a); !s.ok()) return s;
      if (!IsPunct(">")) {
        f.type.result = a;
        return absl::OkStatus();
      }
      args.push_back(a);
    }
    Skip();  // '>'
    f.type.args = std::move(args);
    return TypeName(f.type.result);
  }

  // logic := unitary [binop unitary | (& unitary)+ | (| unitary)+]
  absl::Status Logic(Expr& e, int nest) {
    if (nest > kMaxNesting) return Expected("less deeply nested formula");
    Expr left;
    if (auto s = Unitary(left, nest + 1); !s.ok()) return s;
    if (IsPunct("&") || IsPunct("|")) {
      const std::string op = Cur().text;
      e.kind = op == "&" ? Expr::Kind::kAnd : Expr::Kind::kOr;
      e.args.push_back(std::move(left));
      while (IsPunct(op.c_str())) {
        Skip();
        Expr r;
        if (auto s = Unitary(r, nest + 1); !s.ok()) return s;
        e.args.push_back(std::move(r));
      }
      return absl::OkStatus();
    }
    static const char* kBin[] = {"<=>", "=>", "<=", "<~>", "~|", "~&"};
    for (const char* op : kBin) {
      if (!IsPunct(op)) continue;
      Skip();
      Expr right;
      if (auto s = Unitary(right, nest + 1); !s.ok()) return s;
      std::string o(op);
      if (o == "<=>") e = Make(Expr::Kind::kIff, std::move(left), std::move(right));
      else if (o == "=>") e = Make(Expr::Kind::kImplies, std::move(left), std::move(right));
      else if (o == "<=") e = Make(Expr::Kind::kImplies, std::move(right), std::move(left));
      else if (o == "<~>") e = Make(Expr::Kind::kXor, std::move(left), std::move(right));
      else {
        Expr inner = Make(o == "~|" ? Expr::Kind::kOr : Expr::Kind::kAnd, std::move(left), std::move(right));
        e.kind = Expr::Kind::kNot;
        e.args.push_back(std::move(inner));
      }
      return absl::OkStatus();
    }
    e = std::move(left);
    return absl::OkStatus();
  }

  static Expr Make(Expr::Kind k, Expr a, Expr b) {
    Expr e;
    e.kind = k;
    e.args.push_back(std::move(a));
    e.args.push_back(std::move(b));
    return e;
  }

  absl::Status Unitary(Expr& e, int nest) {
    if (nest > kMaxNesting) return Expected("less deeply nested formula");
    if (IsPunct("!") || IsPunct("?")) {
      e.kind = IsPunct("!") ? Expr::Kind::kForall : Expr::Kind::kExists;
      Skip();
      if (auto s = Expect("["); !s.ok()) return s;
      while (true) {
        if (Cur().kind != K::kUpper) return Expected("a variable");
        std::string var = Cur().text, type;
        Skip();
        if (IsPunct(":")) {
          Skip();
          if (auto s = TypeName(type); !s.ok()) return s;
        }
        e.vars.emplace_back(var, type);
        if (IsPunct(",")) { Skip(); continue; }
        break;
      }
      if (auto s = Expect("]"); !s.ok()) return s;
      if (auto s = Expect(":"); !s.ok()) return s;
      e.args.emplace_back();
      return Unitary(e.args[0], nest + 1);
    }
    if (IsPunct("~")) {
      Skip();
      e.kind = Expr::Kind::kNot;
      e.args.emplace_back();
      return Unitary(e.args[0], nest + 1);
    }
    if (IsPunct("(")) {
      Skip();
      if (auto s = Logic(e, nest + 1); !s.ok()) return s;
      return Expect(")");
    }
    return Atom(e, nest);
  }

  absl::Status Atom(Expr& e, int nest) {
    Expr left;
    if (auto s = Term(left, nest + 1); !s.ok()) return s;
    if (IsPunct("=") || IsPunct("!=")) {
      Expr::Kind k = IsPunct("=") ? Expr::Kind::kEq : Expr::Kind::kNeq;
      Skip();
      Expr right;
      if (auto s = Term(right, nest + 1); !s.ok()) return s;
      e = Make(k, std::move(left), std::move(right));
      return absl::OkStatus();
    }
    if (left.kind == Expr::Kind::kVar) {
      return Expected("'=' or '!=' after a variable (a formula cannot be a variable)");
    }
    e = std::move(left);
    return absl::OkStatus();
  }

  absl::Status Term(Expr& e, int nest) {
    if (nest > kMaxNesting) return Expected("less deeply nested term");
    const Token& t = Cur();
    switch (t.kind) {
      case K::kUpper:
        e.kind = Expr::Kind::kVar;
        e.name = t.text;
        Skip();
        return absl::OkStatus();
      case K::kDistinct:
        e.kind = Expr::Kind::kDistinct;
        e.name = t.text;
        Skip();
        return absl::OkStatus();
      case K::kInteger:
        e.kind = Expr::Kind::kApp;
        e.name = t.text;
        Skip();
        return absl::OkStatus();
      case K::kReal:
        return absl::UnimplementedError(absl::StrCat(Where(t), "real/rational number ", t.text,
                                                     " is not supported (no arithmetic)"));
      case K::kDollar:
        if (t.text == "$true" || t.text == "$false") {
          e.kind = t.text == "$true" ? Expr::Kind::kTrue : Expr::Kind::kFalse;
          Skip();
          return absl::OkStatus();
        }
        return absl::UnimplementedError(absl::StrCat(
            Where(t), "defined symbol ", t.text, " is not supported (no arithmetic)"));
      case K::kLower:
      case K::kSingleQuoted:
        break;
      default:
        return Expected("a term or atom");
    }
    e.kind = Expr::Kind::kApp;
    e.name = t.text;
    Skip();
    if (!IsPunct("(")) return absl::OkStatus();
    Skip();
    while (true) {
      e.args.emplace_back();
      if (auto s = Term(e.args.back(), nest + 1); !s.ok()) return s;
      if (IsPunct(",")) { Skip(); continue; }
      break;
    }
    return Expect(")");
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::string source_;
  std::string base_dir_;
  int depth_;
  IncludeCache* cache_;
  std::vector<FileStamp> included_;
};

}  // namespace

absl::StatusOr<Problem> ParseProblem(const std::string& text, const std::string& base_dir,
                                     const std::string& source_name, IncludeCache* includes) {
  auto tokens = Tokenize(text, source_name);
  if (!tokens.ok()) return tokens.status();
  Problem problem;
  problem.name = "problem";
  Parser parser(std::move(*tokens), source_name, base_dir, 0, includes);
  if (auto s = parser.ParseFile(problem.formulas); !s.ok()) return s;
  return problem;
}

absl::StatusOr<Problem> ReadProblemFile(const std::string& path, IncludeCache* includes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError(absl::StrCat("problem file '", path, "' not found"));
  }
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read '", path, "'"));
  std::stringstream buf;
  buf << in.rdbuf();
  std::filesystem::path p(path);
  auto problem = ParseProblem(buf.str(), p.parent_path().string(), path, includes);
  if (!problem.ok()) return problem.status();
  problem->name = p.stem().string();
  return problem;
}

}  // namespace thor::hammer
