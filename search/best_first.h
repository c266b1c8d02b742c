// Best-first proof search as in Thor (Jiang et al. 2022, after GPT-f), with
// model queries, step applications and hammer calls pipelined.
#ifndef THOR_SEARCH_BEST_FIRST_H_
#define THOR_SEARCH_BEST_FIRST_H_

#include <atomic>

#include "search/observer.h"
#include "search/policy.h"
#include "search/prover.h"
#include "search/search_result.h"
#include "search/types.h"

namespace thor {

// How the message of a result whose proof the probe phase found begins.
inline constexpr char kFoundByProbe[] = "found by the probe phase";

// Searches for a proof of `theorem`.
//
// A priority queue holds open proof states ordered by accumulated
// log-probability, capped at config.queue_size (the worst is dropped). Each
// expansion pops the best state and asks `policy` for
// config.samples_per_query candidates at config.temperature; identical steps
// are merged keeping the best log-probability; steps refused by
// ProverBackend::CheckStep never reach the prover; a candidate equal to
// config.hammer_token (or marked is_hammer) runs ProverSession::Hammer. New
// states already seen (same goal text) are not queued again.
//
// Pipelined (default): up to config.max_inflight_queries model queries and
// config.max_inflight_steps step applications / hammer calls run at once,
// each step or hammer call on an idle ProverSession from `backend` (at most
// max_inflight_steps sessions, each used by one call at a time); hammer
// results join the queue when they arrive. config.sequential: one call at a time on one session, in Thor's
// order (query, then every candidate best first, then the next query).
// The first proof found ends the search and interrupts everything in flight.
// Then, unless config.skip_recheck, backend.Recheck re-checks it.
//
// A policy with a probe phase (Policy::Probe) gets it first: a search with
// the probe's policy and step limit for the probe's time after the theorem
// loads, one call at a time on one session even when config is pipelined
// (its steps are quick; a second session would load the theorem again);
// if that proves nothing, the search above runs with what is left of
// config.wall_time and config.max_model_queries (also after a probe's proof
// that the re-check rejected), starting on the probe's session, which has
// loaded the theorem already (a new one only if the probe lost it). The
// result is the probe's (a proof, an error, a cancel, or the budget used
// up) or the second search's, with the probe's counters added and its tree
// as the trace's "probe" member. The observer sees one search: one
// `started`, times since the probe began, the probe's state ids other than
// "0" prefixed "probe-", and progress counting both.
//
// Ends with kProved / kProvedUnchecked / kRecheckRejected (proof found),
// kExhausted, kQueryBudget, kTimeBudget, kCancelled (when `*cancel` became
// true), or kError (the first session could not start, every session was
// lost, or the policy failed config.max_consecutive_policy_failures times in a
// row; `message` says why). Never throws. `observer` may be null; `cancel`
// may be null. With a deterministic policy and prover, a nonzero config.seed
// and either config.sequential or config.reproducible (the seeded mode:
// pipelined, results integrated in the order the calls were issued), the
// exploration order, the trace and the proof are reproducible (timings and
// wall-time budgets aside).
// REQUIRES: backend, policy and observer outlive the call; the policy is
// thread-safe.
SearchResult RunBestFirstSearch(ProverBackend& backend, Policy& policy,
                                const Theorem& theorem,
                                const SearchConfig& config,
                                SearchObserver* observer,
                                const std::atomic<bool>* cancel);

}  // namespace thor

#endif  // THOR_SEARCH_BEST_FIRST_H_
