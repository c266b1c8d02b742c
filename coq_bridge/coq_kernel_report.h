// The reports the Coq kernel checks print, read strictly: `Print
// Assumptions`, `Locate Term`, and coqchk's `-o` summary (formats of Coq
// 8.16, captured in tests/coq_bridge/coq_kernel_test.cc). Pure functions.
#ifndef THOR_COQ_BRIDGE_COQ_KERNEL_REPORT_H_
#define THOR_COQ_BRIDGE_COQ_KERNEL_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thor::coq {

// One entry of a `Print Assumptions` report.
struct Assumption {
  enum class Kind {
    kAxiom,            // "name : type" under "Axioms:" (axiom, parameter, admitted).
    kSectionVariable,  // under "Section Variables:".
    kUnguarded,        // "name is assumed to be guarded."
    kPositivity,       // "name is assumed to be positive."
    kTypeInType,       // "name relies on an unsafe hierarchy."
    kOther,            // anything else the kernel reports (e.g. definitional UIP).
  };
  Kind kind = Kind::kOther;
  std::string name;  // As Coq printed it: the shortest unambiguous name.
  std::string text;  // The whole entry, whitespace collapsed (for messages).
};

const char* AssumptionKindName(Assumption::Kind kind);

// For messages: `s` with its whitespace runs collapsed to one space (Collapse),
// and cut to its first (Excerpt) or last (Tail) `n` characters with "...".
std::string Collapse(absl::string_view s);
std::string Excerpt(absl::string_view s, size_t n);
std::string Tail(absl::string_view s, size_t n);

struct AssumptionsReport {
  bool closed = false;  // "Closed under the global context".
  std::vector<Assumption> assumptions;
};

// Parses the output of one `Print Assumptions` (exactly that text, printed
// with a wide Printing Width). InvalidArgument for anything that is not
// exactly "Closed under the global context" or a sequence of known headings
// ("Axioms:", "Section Variables:") each followed by entries.
absl::StatusOr<AssumptionsReport> ParsePrintAssumptions(absl::string_view block);

// The summary `coqchk -o` prints.
struct CoqchkSummary {
  bool set_predicative = false;  // "* Theory: Set is predicative".
  std::vector<std::string> axioms;            // Fully qualified names.
  std::vector<std::string> type_in_type;
  std::vector<std::string> unsafe_fixpoints;
  std::vector<std::string> assumed_positive;
};

// Parses coqchk's output (with -silent -o). InvalidArgument if the summary
// or one of its four sections is missing or has an unknown shape.
absl::StatusOr<CoqchkSummary> ParseCoqchkSummary(absl::string_view out);

// What coqchk's summary adds to a Print Assumptions report the proof
// passed: an axiom coqchk lists that is not allowed and that the report
// names (coqchk lists the whole library, including axioms the theorem does
// not use), any type-in-type / unsafe (co)fixpoint / assumed positivity entry
// of the checked file (library Top.Top) or that the report names, and an
// impredicative Set. Empty: coqchk agrees.
// Axioms that are fields of a module the check declared (a functor's or a
// module type's parameter, a module of the module type: IsKernelParameterField
// with `nonce`, `type_instance` and `defined`) are the theorem's hypotheses,
// not objections.
std::vector<std::string> CoqchkObjections(const CoqchkSummary& summary,
                                          const AssumptionsReport& report,
                                          const std::vector<std::string>& allowed_axioms,
                                          absl::string_view nonce,
                                          absl::string_view type_instance = "",
                                          const std::vector<std::string>& defined = {});

// The kernel check proves a theorem inside a functor in the functor applied
// to modules it declares, and one inside a module type in a module it
// declares of that type, "thor_param_<nonce>_<i>" (coq_kernel.h): the
// prefix of their names.
std::string KernelParameterModulePrefix(absl::string_view nonce);
// True when the dotted `name` (as Print Assumptions or coqchk print it) has,
// before its last component, a component that is such a declared module
// (the prefix followed by digits only): a field of a declared module. Not
// when a component is `type_instance` (the module declared of the module
// type the theorem is in) and the last one is in `defined`: a field the
// module type's text gave a body or a proof, an axiom only because it was
// Admitted (DefinedNames, coq_kernel.h). The nonce is unpredictable, so no
// context can name a module that way beforehand.
bool IsKernelParameterField(absl::string_view name, absl::string_view nonce,
                            absl::string_view type_instance = "",
                            const std::vector<std::string>& defined = {});

// From the output of `Locate Term <qualified>`: the name Coq prints for that
// constant at that point (the "shorter name" it gives, else `qualified`), or
// "" if the output does not show a constant named exactly `qualified`.
std::string PrintedConstantName(absl::string_view locate_output, absl::string_view qualified);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_KERNEL_REPORT_H_
