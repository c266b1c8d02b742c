#include "cli/local_theorem.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "provers/provers.h"
#include "search/types.h"

namespace thor {

namespace fs = std::filesystem;

bool ReadsTheoremFileLocally(const std::string& prover) {
  const ProverModule* module = FindProver(prover);
  return module != nullptr && module->context_from_file != nullptr;
}

absl::Status InlineTheoremFile(v1::Theorem* t) {
  if (!ReadsTheoremFileLocally(t->prover()) || t->file_path().empty()) return absl::OkStatus();
  Theorem domain;
  domain.prover = t->prover();
  domain.statement = t->statement();
  domain.context = t->context();
  domain.file_path = t->file_path();
  absl::StatusOr<std::string> context = FindProver(t->prover())->context_from_file(domain);
  if (!context.ok()) return context.status();
  t->set_context(*context);
  t->clear_file_path();
  return absl::OkStatus();
}

absl::StatusOr<std::string> RootCovering(const std::vector<const v1::Theorem*>& theorems) {
  bool any = false;
  fs::path root;
  auto cover = [&](const std::string& path, bool is_file) -> absl::Status {
    std::error_code ec;
    fs::path p = fs::canonical(path, ec);
    if (ec) return absl::NotFoundError(absl::StrCat("cannot find '", path, "'"));
    if (is_file) p = p.parent_path();
    if (!any) {
      root = p;
      any = true;
      return absl::OkStatus();
    }
    fs::path common;
    for (auto a = root.begin(), b = p.begin(); a != root.end() && b != p.end() && *a == *b;
         ++a, ++b) {
      common /= *a;
    }
    root = common;
    return absl::OkStatus();
  };
  for (const v1::Theorem* t : theorems) {
    if (!t->file_path().empty()) {
      if (absl::Status s = cover(t->file_path(), true); !s.ok()) return s;
    }
    if (!t->working_directory().empty()) {
      if (absl::Status s = cover(t->working_directory(), false); !s.ok()) return s;
    }
  }
  return any ? root.string() : std::string();
}

}  // namespace thor
