#include "common/child_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace thor {
namespace {

// Our end of the socket to the guard; -1 without a guard.
std::atomic<int> g_guard_fd{-1};

// The guard's life: keep the set of registered groups (a message is an int32:
// +pgid registers, -pgid unregisters) until EOF, then kill them all. Only
// async-signal-safe calls and the stack: the guard is a fork of `thor`.
[[noreturn]] void GuardMain(int fd) {
  constexpr int kMaxGroups = 16384;  // More at once only lose the guard's extra.
  pid_t groups[kMaxGroups];
  int count = 0;
  char buf[4096];
  size_t have = 0;
  for (;;) {
    ssize_t r = ::read(fd, buf + have, sizeof buf - have);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;  // EOF: `thor` is gone (or the socket broke).
    have += static_cast<size_t>(r);
    size_t used = 0;
    for (; used + sizeof(int32_t) <= have; used += sizeof(int32_t)) {
      int32_t v;
      std::memcpy(&v, buf + used, sizeof v);
      if (v > 0) {
        if (count < kMaxGroups) groups[count++] = v;
      } else {
        for (int i = 0; i < count; ++i) {
          if (groups[i] == -v) {
            groups[i] = groups[--count];
            break;
          }
        }
      }
    }
    std::memmove(buf, buf + used, have - used);
    have -= used;
  }
  for (int i = 0; i < count; ++i) ::kill(-groups[i], SIGKILL);
  ::_exit(0);
}

// In the guard, before GuardMain: detach from `thor`'s session, terminal and
// files, keeping only `keep`; returns where `keep` is now.
int DetachGuard(int keep) {
  ::setsid();
  if (keep < 3) keep = ::fcntl(keep, F_DUPFD, 3);  // Out of the way of stdio.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::signal(sig, SIG_IGN);
  ::prctl(PR_SET_NAME, "thor-guard");
  int null = ::open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; ++fd) {
    if (null >= 0 && null != fd) ::dup2(null, fd);
  }
  // Everything else goes: above all our end of the socket (or EOF would
  // never come) and whatever listening sockets or pipes `thor` holds.
  if (keep > 3) ::close_range(3, keep - 1, 0);
  ::close_range(keep + 1, ~0U, 0);
  return keep;
}

void Send(int32_t message) {
  int fd = g_guard_fd.load();
  if (fd < 0) return;
  // MSG_NOSIGNAL: a dead guard must not SIGPIPE us. Four bytes on a local
  // stream socket go in one piece.
  while (::send(fd, &message, sizeof message, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

}  // namespace

pid_t StartChildGuard() {
  if (g_guard_fd.load() >= 0) return -1;
  int sock[2], report[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) != 0) return -1;
  if (::pipe2(report, O_CLOEXEC) != 0) {
    ::close(sock[0]);
    ::close(sock[1]);
    return -1;
  }
  pid_t middle = ::fork();
  if (middle == 0) {
    // Fork again and exit, so the guard is not our child (it is adopted by
    // init, or by the nearest child subreaper).
    pid_t guard = ::fork();
    if (guard == 0) {
      GuardMain(DetachGuard(sock[0]));
    }
    (void)!::write(report[1], &guard, sizeof guard);
    ::_exit(0);
  }
  ::close(sock[0]);
  ::close(report[1]);
  pid_t guard = -1;
  if (middle > 0) {
    while (::waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
    }
    if (::read(report[0], &guard, sizeof guard) != sizeof guard) guard = -1;
  }
  ::close(report[0]);
  if (guard <= 0) {
    ::close(sock[1]);
    return -1;
  }
  g_guard_fd.store(sock[1]);
  return guard;
}

void GuardGroup(pid_t pgid) {
  if (pgid > 0) Send(pgid);
}

void UnguardGroup(pid_t pgid) {
  if (pgid > 0) Send(-pgid);
}

}  // namespace thor
