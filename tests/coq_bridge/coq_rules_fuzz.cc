// libFuzzer target for the Coq bridge's input rules. Properties checked on
// every input: no rule crashes; a step CheckCoqStep accepts lexes into units
// each of which is accepted on its own and none of which is a sentence
// headed by a capitalized word (a command); a proof text ParseCoqProofText
// accepts yields steps that are single accepted units, and printing them
// as a proof and parsing again gives the same steps; an accepted import
// renders to a sentence that parses to itself.
// Built with clang -fsanitize=fuzzer (CMake, when clang is found) and,
// without libFuzzer, linked with coq_rules_fuzz_replay_test.cc to replay
// the corpus.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "coq_bridge/coq_rules.h"
#include "coq_bridge/coq_text.h"

namespace {

using thor::coq::CoqUnit;

// The first word of a sentence after a goal selector ("2:", "1-3,5:",
// "all:", "par:", "!:", "[name]:"), if it is an identifier (else "").
std::string HeadWord(const std::string& text, const CoqUnit& u) {
  const auto& t = u.tokens;
  auto tok = [&](size_t k) {
    return k < t.size() ? text.substr(t[k].begin, t[k].end - t[k].begin) : std::string();
  };
  size_t k = 0;
  if (tok(0) == "[") {
    k = tok(2) == "]" ? 3 : 0;
  } else {
    while (k < t.size() && (t[k].kind == thor::coq::CoqToken::kNumber || tok(k) == "," ||
                            tok(k) == "-" || tok(k) == "!" || tok(k) == "all" || tok(k) == "par")) {
      ++k;
    }
  }
  size_t head = (k > 0 && tok(k) == ":") ? k + 1 : 0;
  if (head >= t.size() || t[head].kind != thor::coq::CoqToken::kIdent) return "";
  return tok(head);
}

void CheckAcceptedText(const std::string& text) {
  auto units = thor::coq::LexUnits(text);
  if (!units.ok()) std::abort();  // Accepted, yet it does not lex.
  for (const CoqUnit& u : *units) {
    const std::string unit = text.substr(u.begin, u.end - u.begin);
    if (!thor::coq::CheckCoqStep(unit).ok()) std::abort();
    if (u.kind != CoqUnit::kSentence) continue;
    const std::string head = HeadWord(text, u);
    if (!head.empty() && absl::ascii_isupper(static_cast<unsigned char>(head[0]))) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (thor::coq::CheckCoqStep(text).ok()) CheckAcceptedText(text);

  auto steps = thor::coq::ParseCoqProofText(text);
  if (steps.ok()) {
    std::string printed = "Proof.\n";
    for (const std::string& s : *steps) {
      auto units = thor::coq::LexUnits(s);
      if (!units.ok() || units->size() != 1) std::abort();  // A step is one unit.
      CheckAcceptedText(s);
      printed += "  " + s + "\n";
    }
    printed += "Qed.";
    auto again = thor::coq::ParseCoqProofText(printed);
    if (!again.ok() || *again != *steps) std::abort();  // Not a fixed point.
  }

  auto import = thor::coq::ParseCoqImport(text);
  if (import.ok()) {
    auto again = thor::coq::ParseCoqImport(*import);
    if (!again.ok() || *again != *import) std::abort();
  }
  (void)thor::coq::CheckCoqStatement(text);
  (void)thor::coq::CheckCoqContext(text, false);
  (void)thor::coq::CheckCoqContext(text, true);
  return 0;
}
