// Turns a problem plus a premise subset into the exact text a prover reads:
// TPTP with generated names (ax<i>, goal<j>, ty<k>) that every prover keeps
// as written, or SMT-LIB 2 with named assertions for z3. Used-premise names
// in prover output are mapped back through DecodeName.
#ifndef THOR_HAMMER_ENCODE_H_
#define THOR_HAMMER_ENCODE_H_

#include <string>
#include <vector>

#include "hammer/tptp.h"

namespace thor::hammer {

// TPTP input: type declarations, the premises `premises` (indices into
// problem.formulas) named ax<index>, and the goal: conjectures joined into
// one `goal0` conjecture, negated conjectures kept as `goal<j>`. CNF
// formulas become FOF universal closures. With `for_spass`, negated
// conjectures become hypotheses (SPASS silently drops that role).
std::string EncodeTptp(const Problem& problem, const std::vector<int>& premises,
                       bool for_spass = false);

// SMT-LIB 2 input (check-sat + get-unsat-core), same names. Untyped
// symbols are given the sort U; a symbol used with two arities or both as
// predicate and function becomes two SMT symbols.
std::string EncodeSmtLib(const Problem& problem, const std::vector<int>& premises);

// ax<i> -> i; -1 for goal/type names and anything else.
int DecodeName(const std::string& generated);

// Free variables of `e` in first-occurrence order.
std::vector<std::string> FreeVars(const Expr& e);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_ENCODE_H_
