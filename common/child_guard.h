// Children never outlive the `thor` process, even one killed with -9.
//
// Two mechanisms, because neither is enough alone:
//  - PR_SET_PDEATHSIG(SIGKILL), set in each child between fork and exec
//    (common/subprocess.cc), kills the child itself when its parent dies. It
//    does not reach the child's own children: CoqHammer's ATPs under coqtop,
//    E's forked workers, a shell's pipeline. Those stay in the child's process
//    group (common/subprocess.h puts each child in its own), and are orphaned
//    when the child is killed.
//  - The guard: a tiny process forked once at startup (StartChildGuard, from
//    main, while the process has one thread) that holds the read end of a
//    pipe whose write end only this process holds. Subprocess::Start
//    registers each child's process group with it and reaping unregisters
//    it; when this process dies, however it dies, the kernel closes the write
//    end, the guard reads EOF, SIGKILLs every group still registered, and
//    exits. A group kill reaches the orphaned grandchildren PDEATHSIG misses.
//
// The guard runs in its own session (a terminal's ^C, or a kill of our
// process group, must not end it before us), with /dev/null for stdio (a
// reader of our output sees EOF when we exit), and is double-forked so it is
// never our child (our waitpid bookkeeping and tests that count our children
// never see it). It only calls read, kill and _exit after the fork.
//
// Without StartChildGuard (tests, library users) Guard/Unguard do nothing
// and PDEATHSIG alone applies.
#ifndef THOR_COMMON_CHILD_GUARD_H_
#define THOR_COMMON_CHILD_GUARD_H_

#include <sys/types.h>

namespace thor {

// Forks the guard; call once, early in main. Returns the guard's pid, or -1
// if it could not be started (the process then runs unguarded).
pid_t StartChildGuard();

// Registers / unregisters process group `pgid` with the guard (no-ops
// without one). Unguard before the group's leader is reaped, while its id
// cannot have been reused.
void GuardGroup(pid_t pgid);
void UnguardGroup(pid_t pgid);

}  // namespace thor

#endif  // THOR_COMMON_CHILD_GUARD_H_
