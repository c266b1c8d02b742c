// Text-level helpers for Coq sources: comments, sentences, open sections,
// step and statement normalisation. Pure functions; no process involved.
#ifndef THOR_COQ_BRIDGE_COQ_TEXT_H_
#define THOR_COQ_BRIDGE_COQ_TEXT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "search/types.h"

namespace thor::coq {

// Returns `text` with every (nested) Coq comment replaced by one space and
// every string literal's contents removed (the quotes stay).
std::string StripCommentsAndStrings(absl::string_view text);

// Splits comment-free Coq text into sentences: a sentence ends at a '.'
// followed by whitespace or the end of the text. Sentences are trimmed;
// empty ones are dropped.
std::vector<std::string> SplitSentences(absl::string_view text);

// A token of Coq text outside comments: an ASCII identifier (letters,
// digits, '_', '\''; a qualified name is several identifiers with '.'
// symbols between them), a number, a string literal (with its quotes), or
// one symbol character (a non-ASCII character is one symbol).
struct CoqToken {
  enum Kind { kIdent, kNumber, kString, kSymbol };
  Kind kind;
  size_t begin, end;  // Byte range in the lexed text.
};

// What Coq executes as one unit: a sentence (its tokens up to and without
// the terminating '.'; `terminated` false for the text after the last
// terminator), a bullet (a run of one of - + *), or a focusing brace ({, },
// or a goal selector followed by '{').
struct CoqUnit {
  enum Kind { kSentence, kBullet, kBrace };
  Kind kind = kSentence;
  size_t begin = 0, end = 0;  // [first token, one past the '.' or last token).
  bool terminated = false;
  std::vector<CoqToken> tokens;
};

// Splits Coq text into units the way Coq 8.16 reads it: comments nest and
// lex string literals inside them ("*)" in such a string does not close the
// comment), a string's "" is an escaped quote, and a '.' ends a sentence
// only when a blank (space, tab, newline, CR) or the end follows it.
// Conservative where Coq's lexer is subtle: InvalidArgument for an
// unterminated comment or string, any control character other than tab,
// newline and CR (anywhere, also in comments and strings), DEL, invalid
// UTF-8, a comment glued to the text before it (Coq reads "(*" as a
// comment only where a token starts, and a notation in the context can make
// "foo(" or "+(" a token), a non-ASCII blank (U+00A0, U+2028, U+3000, ...) outside strings
// and comments, and a '.' followed by a non-ASCII byte. The message names
// the byte offset, never the text.
absl::StatusOr<std::vector<CoqUnit>> LexUnits(absl::string_view text);

// [begin, end) of every sentence of a Coq source: begin is the first
// character that is neither blank nor inside a comment, end is one past the
// final '.'. Comments and strings are respected.
std::vector<std::pair<size_t, size_t>> SentenceSpans(absl::string_view text);

// `context` (a file cut at a statement) made closable: each Section and
// interactive Module (Module, Module Type) still open at its end is listed
// in `*closing` as "End <name>.", innermost first, and each open Module's
// signature annotation is removed (the cut module could not satisfy it).
std::string CloseOpenBlocks(absl::string_view context, std::string* closing);

// A step ready to send to coqtop: trimmed, ending in '.' (added if missing)
// unless it is a bullet or brace. InvalidArgument if it is empty, has an
// unterminated comment or string, or contains the bridge's sentinel word.
absl::StatusOr<std::string> NormalizeStep(absl::string_view step);

// The statement as one Coq sentence: kept if it starts with a theorem
// keyword (Lemma, Theorem, Fact, Remark, Corollary, Proposition, Example,
// Goal), else wrapped as "Theorem <name> : <statement>.". InvalidArgument if
// it is empty.
absl::StatusOr<std::string> StatementSentence(const Theorem& theorem);

// The context of a theorem: `theorem.context` if non-empty; else, when
// `theorem.file_path` is set, the file's text before the first occurrence
// of the statement. NotFound if the file does not exist, InvalidArgument if
// the statement is not in it.
absl::StatusOr<std::string> ResolveContext(const Theorem& theorem);

// The whole file; NotFound if it cannot be read (or `path` is empty).
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

// The import sentences for `theorem.imports`, one per line, rendered from
// the validated module names (ParseCoqImport); an import that does not
// validate is left out (ValidateTheorem refuses it before this is used).
std::string ImportLines(const Theorem& theorem);

// Coq's error message without coqtop's "Toplevel input, characters ..." echo
// of the input (and its "> " lines), trimmed.
std::string CleanCoqError(absl::string_view output);

// The short name of the statement's theorem ("app_nil_r" for "Lemma
// app_nil_r ..."), or "" when it has none (Goal, or no keyword).
std::string StatementName(absl::string_view statement_sentence);

// Where a loaded context can be kept for the next theorem (a coqtop state a
// later context that extends this text continues from, see CoqtopPool):
// one past the '.' of the last sentence of `text` that is not one of the
// lines the coq-stdlib suite appends to a file's text
// ("From Hammer Require Import Hammer.", "Add Hammer Filter M."), so the
// file's own text up to there is what two theorems of one file share. 0 if
// there is no such sentence.
size_t ContextKeepPoint(absl::string_view text);

// True if `prefix` (non-empty, ending in '.') is how `text` starts and Coq
// reads that '.' as a sentence end in `text` too (the end of `text` or a
// blank follows it), so `text` is `prefix`'s sentences and then more.
bool ExtendsAtSentenceEnd(absl::string_view text, absl::string_view prefix);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_TEXT_H_
