#!/usr/bin/env python3
"""A tiny best-first proof search in Python over Thor's session API.

Notebook-style: each `# %%` cell runs on its own in Jupyter or VS Code. It keeps
a priority queue of proof states (fewest goals first, then shortest goals),
tries a fixed list of tactics plus the server's suggestions on the best state,
falls back to the hammer, and re-checks the proof it finds in a fresh Coq.

    thor serve --listen=127.0.0.1:50051 &
    /usr/bin/python3 examples/python/best_first.py --server 127.0.0.1:50051
    /usr/bin/python3 examples/python/best_first.py --imports List \
        --statement 'forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)'

Needs the `thor` package (clients/python): installed, or found next to this file.
Exit status: 0 when a proof was found and passed the re-check.
"""

# %% Setup
import argparse
import heapq
import itertools
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                             "clients", "python"))
import thor  # noqa: E402

TACTICS = ["intros.", "simpl.", "reflexivity.", "induction n.", "rewrite IHn.", "auto.",
           "congruence."]


def score(state):
    """Lower is better: fewer goals, then less text to prove."""
    return (len(state.goals), len(state.goals_text))


# %% The search
def best_first(client, session, budget=60, use_suggest=True, use_hammer=True):
    """The finished State, or None once `budget` steps are spent."""
    tie = itertools.count()  # States with equal scores pop in the order found.
    queue = [(score(session.root), next(tie), session.root)]
    seen = {session.root.goals_text}
    while queue and budget > 0:
        _, _, state = heapq.heappop(queue)
        candidates = list(TACTICS)
        if use_suggest:
            hints = client.suggest(session.theorem, state.steps, n=4).suggestions
            candidates += [h.step for h in hints if not h.is_hammer and h.step not in TACTICS]
        for tactic in candidates:
            if budget == 0:
                break
            budget -= 1
            outcome = session.run(state, tactic)
            print(f"  [{state.id:>3}] {tactic:<24} -> {type(outcome).__name__}")
            if isinstance(outcome, thor.ProofFinished):
                return outcome.state
            if isinstance(outcome, thor.TacticState) and outcome.state.goals_text not in seen:
                seen.add(outcome.state.goals_text)
                heapq.heappush(queue, (score(outcome.state), next(tie), outcome.state))
        if use_hammer and budget > 0:
            budget -= 1
            hammered = session.hammer(state)
            print(f"  [{state.id:>3}] hammer -> {hammered.step or hammered.message}")
            if isinstance(hammered.outcome, thor.ProofFinished):
                return hammered.outcome.state
    return None


# %% Run it
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default="127.0.0.1:50051")
    ap.add_argument("--statement", default="forall n : nat, n + 0 = n")
    ap.add_argument("--imports", default="", help="comma-separated, e.g. List")
    ap.add_argument("--budget", type=int, default=60, help="steps to try at most")
    ap.add_argument("--no_suggest", action="store_true", help="only the fixed tactics")
    ap.add_argument("--no_hammer", action="store_true", help="never call the hammer")
    args = ap.parse_args(argv)

    imports = tuple(i for i in args.imports.split(",") if i)
    theorem = thor.Theorem(args.statement, name="best_first", imports=imports)
    with thor.Client(args.server) as client, client.session(theorem) as session:
        print(f"goal:\n{session.root}\n")
        done = best_first(client, session, args.budget, not args.no_suggest,
                          not args.no_hammer)
        if done is None:
            print("no proof within the budget")
            return 1
        check = session.check(done)
        print("\nproof:\n  " + "\n  ".join(done.steps))
        print(f"re-check: {check.verdict.name} by {', '.join(check.checkers)}")
        return 0 if check.passed else 1


if __name__ == "__main__":
    sys.exit(main())
