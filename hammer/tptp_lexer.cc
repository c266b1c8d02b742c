#include "hammer/tptp_lexer.h"

#include <cctype>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace thor::hammer {
namespace {

bool IsAlnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class Lexer {
 public:
  Lexer(const std::string& text, const std::string& source)
      : text_(text), source_(source) {}

  absl::StatusOr<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      absl::Status s = SkipSpaceAndComments();
      if (!s.ok()) return s;
      Token t;
      t.line = line_;
      t.column = column_;
      if (pos_ >= text_.size()) {
        out.push_back(t);
        return out;
      }
      s = Next(t);
      if (!s.ok()) return s;
      out.push_back(std::move(t));
    }
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  absl::Status Error(int line, int column, const std::string& what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ":", line, ":", column, ": ", what));
  }

  absl::Status SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      char c = Peek();
      if (std::isspace(static_cast<unsigned char>(c))) {
        Advance();
      } else if (c == '%') {
        while (pos_ < text_.size() && Peek() != '\n') Advance();
      } else if (c == '/' && Peek(1) == '*') {
        int line = line_, column = column_;
        Advance();
        Advance();
        while (pos_ < text_.size() && !(Peek() == '*' && Peek(1) == '/')) Advance();
        if (pos_ >= text_.size()) {
          return Error(line, column, "unterminated comment: expected '*/'");
        }
        Advance();
        Advance();
      } else {
        break;
      }
    }
    return absl::OkStatus();
  }

  absl::Status Quoted(Token& t, char quote) {
    Advance();
    std::string value;
    while (true) {
      if (pos_ >= text_.size() || Peek() == '\n') {
        return Error(t.line, t.column,
                     absl::StrCat("unterminated quoted name: expected ", std::string(1, quote)));
      }
      char c = Peek();
      if (c == quote) {
        Advance();
        break;
      }
      if (c == '\\') {
        if (quote == '"') value.push_back(c);  // Distinct objects stay escaped.
        Advance();
        if (pos_ >= text_.size()) continue;
        c = Peek();
        if (c == '\n') continue;
      }
      // TPTP's sq_char and do_char are printable: a control byte (NUL, a
      // vertical tab...) would not survive printing and reading back.
      const unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) {
        return Error(t.line, t.column,
                     absl::StrFormat("control character 0x%02x inside a quoted name", u));
      }
      value.push_back(c);
      Advance();
    }
    if (quote == '\'') {
      if (value.empty()) return Error(t.line, t.column, "empty quoted name ''");
      t.kind = Token::Kind::kSingleQuoted;
      t.text = value;
    } else {
      t.kind = Token::Kind::kDistinct;
      t.text = absl::StrCat("\"", value, "\"");
    }
    return absl::OkStatus();
  }

  void Number(Token& t) {
    t.kind = Token::Kind::kInteger;
    if (Peek() == '+' || Peek() == '-') {
      t.text.push_back(Peek());
      Advance();
    }
    while (std::isdigit(static_cast<unsigned char>(Peek()))) {
      t.text.push_back(Peek());
      Advance();
    }
    while (Peek() == '.' || Peek() == '/' || Peek() == 'e' || Peek() == 'E') {
      char next = Peek(1);
      bool digit_follows = std::isdigit(static_cast<unsigned char>(next)) ||
                           ((Peek() == 'e' || Peek() == 'E') && (next == '-' || next == '+'));
      if (!digit_follows) break;
      t.kind = Token::Kind::kReal;
      t.text.push_back(Peek());
      Advance();
      if (Peek() == '-' || Peek() == '+') {
        t.text.push_back(Peek());
        Advance();
      }
      while (std::isdigit(static_cast<unsigned char>(Peek()))) {
        t.text.push_back(Peek());
        Advance();
      }
    }
  }

  absl::Status Next(Token& t) {
    char c = Peek();
    if (c == '\'' || c == '"') return Quoted(t, c);
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        ((c == '-' || c == '+') && std::isdigit(static_cast<unsigned char>(Peek(1))))) {
      Number(t);
      return absl::OkStatus();
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '$') {
      t.kind = std::isupper(static_cast<unsigned char>(c)) ? Token::Kind::kUpper
               : c == '$'                                   ? Token::Kind::kDollar
                                                            : Token::Kind::kLower;
      // A word has no newline: take it in one piece.
      size_t end = pos_;
      while (end < text_.size() && text_[end] == '$') ++end;
      while (end < text_.size() && IsAlnum(text_[end])) ++end;
      t.text.assign(text_, pos_, end - pos_);
      column_ += static_cast<int>(end - pos_);
      pos_ = end;
      if (t.kind == Token::Kind::kDollar && t.text.find_first_not_of('$') == std::string::npos) {
        return Error(t.line, t.column, "expected a word after '$'");
      }
      return absl::OkStatus();
    }
    static constexpr absl::string_view kLong[] = {"<=>", "<~>", "!=", "=>", "<=", "~|", "~&"};
    for (absl::string_view s : kLong) {
      if (c == s[0] && absl::string_view(text_).substr(pos_, s.size()) == s) {
        t.kind = Token::Kind::kPunct;
        t.text = std::string(s);
        for (size_t i = 0; i < s.size(); ++i) Advance();
        return absl::OkStatus();
      }
    }
    if (absl::string_view("()[],.:!?~&|=*>@").find(c) != absl::string_view::npos) {
      t.kind = Token::Kind::kPunct;
      t.text = std::string(1, c);
      Advance();
      return absl::OkStatus();
    }
    std::string shown = std::isprint(static_cast<unsigned char>(c))
                            ? absl::StrCat("'", std::string(1, c), "'")
                            : absl::StrCat("byte 0x", absl::Hex(static_cast<unsigned char>(c)));
    return Error(t.line, t.column, absl::StrCat("unexpected character ", shown));
  }

  const std::string& text_;
  const std::string& source_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::string DescribeToken(const Token& t) {
  switch (t.kind) {
    case Token::Kind::kEnd:
      return "end of input";
    case Token::Kind::kSingleQuoted:
      return absl::StrCat("'", t.text, "'");
    default:
      return absl::StrCat("'", t.text, "'");
  }
}

absl::StatusOr<std::vector<Token>> Tokenize(const std::string& text,
                                            const std::string& source) {
  return Lexer(text, source).Run();
}

}  // namespace thor::hammer
