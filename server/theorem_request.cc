#include "server/theorem_request.h"

#include "server/convert.h"
#include "server/rpc_util.h"

namespace thor {

absl::StatusOr<TheoremRequest> ResolveTheorem(bool has_theorem, const v1::Theorem& theorem,
                                              const std::string& field,
                                              const ServerConfig& config,
                                              const Registry& registry) {
  if (absl::Status s = Required(has_theorem, field, "the theorem to prove"); !s.ok()) return s;
  TheoremRequest out;
  absl::StatusOr<Theorem> t = TheoremFromProto(theorem, field, config.theorem_file_root);
  if (!t.ok()) return t.status();
  out.theorem = *std::move(t);
  auto backend = registry.Backend(out.theorem.prover, field + ".prover");
  if (!backend.ok()) return backend.status();
  if (absl::Status v = (*backend)->ValidateTheorem(out.theorem); !v.ok()) return v;
  out.backend = *std::move(backend);
  return out;
}

}  // namespace thor
