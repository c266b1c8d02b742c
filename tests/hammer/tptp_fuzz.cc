// libFuzzer target for the TPTP reader. Properties checked on every input:
// the reader never crashes; when it accepts the input, printing the problem
// and reading it back succeeds and prints the same text, and both prover
// encodings (TPTP with generated names, SMT-LIB) can be produced.
// Built with clang -fsanitize=fuzzer (CMake, when clang is found) and,
// without libFuzzer, linked with tptp_fuzz_replay.cc to replay the corpus.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hammer/encode.h"
#include "hammer/tptp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Includes resolve against a folder that does not exist and no $TPTP, so
  // the fuzzer cannot wander the file system.
  auto problem = thor::hammer::ParseProblem(text, "/nonexistent-tptp-fuzz", "fuzz");
  if (!problem.ok()) return 0;
  const std::string once = thor::hammer::ProblemToTptp(*problem);
  auto again = thor::hammer::ParseProblem(once, "/nonexistent-tptp-fuzz", "fuzz-reprint");
  if (!again.ok()) std::abort();  // The writer produced text the reader rejects.
  if (thor::hammer::ProblemToTptp(*again) != once) std::abort();  // Not a fixed point.
  thor::hammer::NormaliseNumerals(*problem);
  std::vector<int> premises = problem->PremiseIndices();
  (void)thor::hammer::EncodeTptp(*problem, premises, false);
  (void)thor::hammer::EncodeTptp(*problem, premises, true);
  (void)thor::hammer::EncodeSmtLib(*problem, premises);
  return 0;
}
