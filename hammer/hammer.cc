#include "hammer/hammer.h"

#include "absl/status/status.h"

namespace thor::hammer {

const char* AtpStatusName(AtpStatus status) {
  switch (status) {
    case AtpStatus::kProved: return "proved";
    case AtpStatus::kDisproved: return "disproved";
    case AtpStatus::kUnknown: return "unknown";
    case AtpStatus::kError: return "error";
  }
  return "unknown";
}

struct Hammer::Impl {};

Hammer::Hammer(HammerOptions options) : options_(std::move(options)), impl_(new Impl) {}
Hammer::~Hammer() = default;

absl::StatusOr<HammerResult> Hammer::SolveFile(const std::string& path) {
  auto problem = ReadProblemFile(path);
  if (!problem.ok()) return problem.status();
  return Solve(*problem);
}

absl::StatusOr<HammerResult> Hammer::SolveText(const std::string& text, const std::string& base) {
  auto problem = ParseProblem(text, base);
  if (!problem.ok()) return problem.status();
  return Solve(*problem);
}

absl::StatusOr<HammerResult> Hammer::Solve(const Problem& problem) {
  return Solve(problem, options_);
}

absl::StatusOr<HammerResult> Hammer::Solve(const Problem&, const HammerOptions&) {
  return absl::UnimplementedError("hammer portfolio: being built");
}

void Hammer::Cancel() {}

absl::StatusOr<std::vector<RankedPremise>> Hammer::SelectPremises(const Problem&,
                                                                  const std::string&, int) {
  return absl::UnimplementedError("premise selection: being built");
}

void Hammer::RecordProof(const std::string&, const Expr&, const std::vector<std::string>&) {}
absl::Status Hammer::LoadDependencies(const std::string&) { return absl::OkStatus(); }
void Hammer::ForgetProof(const std::string&) {}

}  // namespace thor::hammer
