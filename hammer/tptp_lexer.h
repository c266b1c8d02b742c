// Tokens of the TPTP syntax, with line and column for error messages.
#ifndef THOR_HAMMER_TPTP_LEXER_H_
#define THOR_HAMMER_TPTP_LEXER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace thor::hammer {

struct Token {
  enum class Kind {
    kLower,         // lower_word
    kUpper,         // Upper_word (a variable)
    kSingleQuoted,  // 'quoted name', text holds it without quotes, unescaped
    kDistinct,      // "distinct object", text holds it WITH the quotes
    kDollar,        // $word or $$word
    kInteger,       // 42, -3, +7
    kReal,          // 1.5, 1/2, 1e3 (rejected by the parser)
    kPunct,         // ( ) [ ] , . : ! ? ~ & | = != => <= <=> <~> ~| ~& * > @
    kEnd,
  };
  Kind kind = Kind::kEnd;
  std::string text;
  int line = 1;
  int column = 1;
};

// A short description of `t` for "expected X, found Y" messages.
std::string DescribeToken(const Token& t);

// Splits `text` into tokens (comments dropped); the last token is kEnd.
// InvalidArgument "source:line:column: ..." for unterminated quotes or
// comments and characters outside TPTP.
absl::StatusOr<std::vector<Token>> Tokenize(const std::string& text,
                                            const std::string& source);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_TPTP_LEXER_H_
