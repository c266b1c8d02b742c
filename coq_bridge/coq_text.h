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

// "Require Import X." lines for `theorem.imports` (an import that already
// starts with Require/From/Import/Export is kept as written).
std::string ImportLines(const Theorem& theorem);

// The short name of the statement's theorem ("app_nil_r" for "Lemma
// app_nil_r ..."), or "" when it has none (Goal, or no keyword).
std::string StatementName(absl::string_view statement_sentence);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_TEXT_H_
