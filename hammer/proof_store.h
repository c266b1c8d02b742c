// The file a long-lived Hammer keeps its proof database in
// (Hammer::PersistProofs): JSON Lines, one proof per line,
//   {"goal": "t150_tmap_1", "features": ["k1_xboole_0", ...],
//    "premises": ["d1_tmap_1", ...]}
// with the goal's symbols as k-NN features, so a reloaded database ranks
// by goal similarity at once (MPTP's `atpproved`, read by
// LoadDependencies, has no features). Any TPTP name fits, quoted ones too.
#ifndef THOR_HAMMER_PROOF_STORE_H_
#define THOR_HAMMER_PROOF_STORE_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "hammer/select.h"

namespace thor::hammer {

// One line, without the newline.
std::string ProofLine(const std::string& goal, const ProofRecord& proof);

// Reads a whole file; a later line for the same goal replaces an earlier
// one. NotFound if it does not exist; InvalidArgument "path:line: why" for
// a line that is not such a record (a line cut short by a killed writer
// included: the message says to delete it).
absl::StatusOr<ProofDb> ReadProofFile(const std::string& path);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_PROOF_STORE_H_
