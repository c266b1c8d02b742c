// Configuration of the Coq bridge, with defaults that work on Debian 12
// (coq 8.16 + libcoq-hammer 1.3.2).
#ifndef THOR_COQ_BRIDGE_COQ_CONFIG_H_
#define THOR_COQ_BRIDGE_COQ_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/sandbox.h"
#include "hammer/mode.h"

namespace thor::coq {

// Which hammer ProverSession::Hammer runs: native is CoqHammer's `hammer`
// tactic, external its TPTP export solved by Thor's portfolio and replayed
// with the sauto family, both native with half the budget then external.
using hammer::HammerMode;
using hammer::HammerModeName;
using hammer::ParseHammerMode;

struct CoqConfig {
  std::string coqtop = "coqtop";
  std::string coqc = "coqc";
  // The independent checker Recheck runs after coqc.
  std::string coqchk = "coqchk";
  // Recheck runs coqc and coqchk in a bubblewrap sandbox (read-only
  // filesystem but for its scratch directory, no network): kAuto uses bwrap
  // when it is installed.
  SandboxMode sandbox = SandboxMode::kAuto;
  // Loaded in every coqtop when it starts (its base state), and written at
  // the top of every re-checked file.
  std::string prelude;
  // Loaded after a theorem's imports and context, before its statement (in
  // coqtop and in re-checked files). After the context, not before: loading
  // CoqHammer changes what `auto with *` / `intuition` do, which breaks
  // some standard-library proofs in the context.
  std::string hammer_import = "From Hammer Require Import Hammer.";
  // The library default needs no ATP runner; `thor` (app/wiring.cc)
  // defaults to kExternal, which solved more in bench/coq_suite.
  HammerMode hammer_mode = HammerMode::kNative;
  // Fill CoqHammer's feature cache when a coqtop starts (then undo the
  // import): the first hammer call in a process otherwise spends 12-60 s
  // extracting features, more than a hammer budget. Makes a process start
  // that much slower instead (once per pooled process).
  bool warm_hammer = true;
  // With warm_hammer: a session that finds no warm process idle starts on
  // a coqtop without the warm-up (cheap steps work at once) while a warm
  // one starts in the background, and moves to it for its first hammer
  // call (which waits for it within its time limit). Off (or with
  // max_idle_processes 0): sessions wait for a warm process at start.
  bool light_start = true;
  // Loaded before the warm-up's feature extraction (and undone with it), so
  // the cache also covers these libraries, e.g. "Require Import Arith List
  // Bool." for the coq-stdlib suite.
  std::string warmup_imports;
  // A process keeps a theorem's context loaded when its session ends
  // (parked at the end of the context's last sentence before the lines the
  // coq-stdlib suite appends), and a later session whose context extends
  // that text, the next theorem of the same file say, starts from there and
  // loads only the text in between (Coqtop::Park, CoqtopPool::Acquire). Off:
  // every session loads its whole context on a process at its base state.
  bool reuse_context = true;
  // Coq's own per-sentence limit (`Set Default Timeout`), besides the OS one.
  int coq_default_timeout_seconds = 10;
  // Idle coqtop processes kept warm by the pool.
  int max_idle_processes = 2;
  // Idle processes the pool starts in the background ahead of need (once it
  // is in use), so a killed or hung coqtop is replaced without a session
  // waiting for CoqHammer's warm-up. Each costs a coqtop's memory.
  int spare_processes = 1;
  // RLIMIT_AS for coqtop and the ATPs it forks.
  uint64_t memory_limit_bytes = 6ull << 30;
  // Native hammer: CoqHammer's parallel (prover, selection) slots; its
  // default 8 oversubscribes a 2-core machine.
  int native_gs_mode = 4;
  // Native hammer: CoqHammer's ATPLimit as a share of a call's limit, in
  // whole seconds, at least 1, and never more than leaves its ReconstrLimit
  // inside Coq's Timeout. CoqHammer's premise prediction runs inside that
  // window too, in each of its forked workers.
  double native_atp_share = 0.45;
  // External hammer: CoqHammer's premise selection for the exported problem.
  int export_predictions = 128;
  std::string export_method = "nbayes";
  // External hammer: wall limit of each reconstruction tactic tried.
  absl::Duration reconstruction_timeout = absl::Seconds(3);
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_CONFIG_H_
