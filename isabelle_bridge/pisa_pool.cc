#include "isabelle_bridge/pisa_pool.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/process_table.h"
#include "common/subprocess.h"

namespace thor::isabelle {

struct PisaServerPool::Slot {
  int index = 0;
  int port = 0;
  std::string address;
  std::shared_ptr<PisaClient> client;
  std::unique_ptr<Subprocess> proc;
  std::thread drainer;
  std::atomic<bool> stop_drain{false};
  std::atomic<bool> exited{false};
  absl::Mutex tail_mu;
  std::string tail ABSL_GUARDED_BY(tail_mu);
  // Guarded by the pool's mu_.
  bool leased = false;
  bool checking = false;
  bool healthy = true;
  int generation = 0;
};

namespace {

constexpr size_t kTailBytes = 8192;

void AppendTail(std::string* tail, const std::string& more) {
  tail->append(more);
  if (tail->size() > kTailBytes) tail->erase(0, tail->size() - kTailBytes);
}

}  // namespace

int PickFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

PisaServerPool::PisaServerPool(const PisaPoolConfig& config) : config_(config) {}

absl::StatusOr<std::unique_ptr<PisaServerPool>> PisaServerPool::Create(
    const PisaPoolConfig& config) {
  if (config.addresses.empty()) {
    if (config.num_servers < 1) {
      return absl::InvalidArgumentError("the PISA pool needs at least one server");
    }
    if (config.command.empty() && config.pisa_jar.empty()) {
      return absl::InvalidArgumentError(
          "no PISA servers: give their addresses (--pisa host:port), or the PISA jar "
          "(--pisa-jar PISA-assembly-0.1.jar) or a launch command");
    }
  }
  std::unique_ptr<PisaServerPool> pool(new PisaServerPool(config));
  int n = config.addresses.empty() ? config.num_servers
                                   : static_cast<int>(config.addresses.size());
  for (int i = 0; i < n; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->index = i;
    pool->slots_.push_back(std::move(slot));
  }
  absl::Time deadline = absl::Now() + config.startup_timeout;
  for (auto& slot : pool->slots_) {
    absl::Status s = pool->StartSlot(*slot, deadline);
    if (!s.ok()) return s;  // The destructor stops what started.
  }
  pool->health_ = std::thread([p = pool.get()] { p->HealthLoop(); });
  return pool;
}

PisaServerPool::~PisaServerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (health_.joinable()) health_.join();
  for (auto& slot : slots_) StopSlot(*slot);
}

absl::Status PisaServerPool::StartSlot(Slot& slot, absl::Time deadline) {
  if (!config_.addresses.empty()) {
    slot.address = config_.addresses[slot.index];
    slot.client = std::make_shared<PisaClient>(slot.address);
    absl::Status ping;
    do {
      ping = slot.client->Ping(std::min(deadline, absl::Now() + absl::Seconds(2)));
      if (ping.ok()) return ping;
      absl::SleepFor(absl::Milliseconds(100));
    } while (absl::Now() < deadline);
    return absl::UnavailableError(
        absl::StrCat("PISA server at ", slot.address, " does not answer: ", ping.message()));
  }
  if (!config_.ports.empty()) {
    slot.port = config_.ports[slot.index % config_.ports.size()];
  } else if (config_.base_port == 0) {
    slot.port = PickFreePort();
  } else {
    slot.port = config_.base_port + slot.index;
  }
  SubprocessOptions options;
  std::string port = std::to_string(slot.port);
  if (!config_.command.empty()) {
    for (const std::string& arg : config_.command) {
      options.argv.push_back(absl::StrReplaceAll(arg, {{"{port}", port}}));
    }
  } else {
    options.argv.push_back(config_.java);
    options.argv.insert(options.argv.end(), config_.jvm_flags.begin(), config_.jvm_flags.end());
    options.argv.insert(options.argv.end(),
                        {"-cp", config_.pisa_jar, absl::StrCat("pisa.server.PisaOneStageServer", port)});
  }
  options.cwd = config_.cwd;
  options.env = config_.env;
  options.memory_limit_bytes = config_.memory_limit_bytes;
  options.merge_stderr = true;
  absl::StatusOr<std::unique_ptr<Subprocess>> proc = Subprocess::Start(options);
  if (!proc.ok()) return proc.status();
  const std::string& ready = config_.ready_text;
  absl::Status up = (*proc)->ReadUntil(
      [&ready](const std::string& out, const std::string&) {
        return out.find(ready) != std::string::npos;
      },
      deadline);
  if (!up.ok()) {
    std::string out = (*proc)->ConsumeOut();
    KillProcessTree((*proc)->pid());
    (*proc)->Kill();
    (*proc)->Wait(absl::Now() + absl::Seconds(2));
    return absl::UnavailableError(absl::StrCat(
        "PISA server '", options.argv.back(), "' on port ", port, " did not print '", ready,
        "' (", up.message(), "); its output ends: ",
        out.size() > 2000 ? out.substr(out.size() - 2000) : out));
  }
  slot.proc = *std::move(proc);
  slot.address = absl::StrCat("127.0.0.1:", port);
  slot.client = std::make_shared<PisaClient>(slot.address);
  slot.stop_drain = false;
  slot.exited = false;
  Subprocess* child = slot.proc.get();
  Slot* s = &slot;
  slot.drainer = std::thread([child, s] {
    while (!s->stop_drain) {
      absl::Status st = child->ReadUntil([](const std::string&, const std::string&) { return false; },
                                         absl::Now() + absl::Milliseconds(200));
      std::string more = child->ConsumeOut();
      if (!more.empty()) {
        absl::MutexLock lock(&s->tail_mu);
        AppendTail(&s->tail, more);
      }
      if (absl::IsUnavailable(st)) {
        s->exited = true;
        return;
      }
    }
  });
  return absl::OkStatus();
}

void PisaServerPool::StopSlot(Slot& slot) {
  if (!slot.proc) return;
  slot.stop_drain = true;
  KillProcessTree(slot.proc->pid());
  slot.proc->Kill();
  if (slot.drainer.joinable()) slot.drainer.join();
  slot.proc->Wait(absl::Now() + absl::Seconds(5));
  slot.proc.reset();
}

void PisaServerPool::HealthLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      mu_.AwaitWithTimeout(absl::Condition(&stop), config_.health_interval);
      if (stopping_) return;
    }
    for (auto& slot : slots_) {
      bool broken = false;
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) return;
        if (slot->leased) continue;
        slot->checking = true;
        broken = !slot->healthy;
      }
      bool ok = !slot->exited && slot->client->Ping(absl::Now() + config_.health_timeout).ok();
      bool restarted = false;
      if ((!ok || broken) && launched()) {
        StopSlot(*slot);
        ok = StartSlot(*slot, absl::Now() + config_.startup_timeout).ok();
        restarted = true;
      }
      absl::MutexLock lock(&mu_);
      slot->checking = false;
      slot->healthy = ok;
      if (restarted) {
        ++restarts_;
        ++slot->generation;
      }
    }
  }
}

absl::StatusOr<PisaServerPool::Lease> PisaServerPool::Acquire(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  int chosen = -1;
  auto free_slot = [this, &chosen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (auto& slot : slots_) {
      if (!slot->leased && !slot->checking && slot->healthy) {
        chosen = slot->index;
        return true;
      }
    }
    return false;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&free_slot), timeout)) {
    return absl::DeadlineExceededError(absl::StrCat(
        "all ", slots_.size(), " PISA servers stayed busy for ", absl::FormatDuration(timeout),
        "; start more servers (--pisa-servers) or run fewer searches at once"));
  }
  slots_[chosen]->leased = true;
  return Lease(this, chosen);
}

int PisaServerPool::size() const { return static_cast<int>(slots_.size()); }

int PisaServerPool::restarts() const {
  absl::MutexLock lock(&mu_);
  return restarts_;
}

std::vector<pid_t> PisaServerPool::ServerPids() const {
  absl::MutexLock lock(&mu_);
  std::vector<pid_t> pids;
  for (const auto& slot : slots_) pids.push_back(slot->proc ? slot->proc->pid() : 0);
  return pids;
}

PisaServerPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), slot_(other.slot_) {}

PisaServerPool::Lease& PisaServerPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    slot_ = other.slot_;
  }
  return *this;
}

PisaServerPool::Lease::~Lease() { Release(); }

void PisaServerPool::Lease::MarkBroken() {
  absl::MutexLock lock(&pool_->mu_);
  pool_->slots_[slot_]->healthy = false;
}

void PisaServerPool::Lease::Release() {
  if (pool_ == nullptr) return;
  absl::MutexLock lock(&pool_->mu_);
  pool_->slots_[slot_]->leased = false;
  pool_ = nullptr;
}

std::shared_ptr<PisaClient> PisaServerPool::Lease::client() const {
  return pool_->slots_[slot_]->client;
}

std::string PisaServerPool::Lease::address() const { return pool_->slots_[slot_]->address; }

int PisaServerPool::Lease::generation() const {
  absl::MutexLock lock(&pool_->mu_);
  return pool_->slots_[slot_]->generation;
}

absl::Status PisaServerPool::Lease::Replace(const std::string& reason, absl::Time deadline) {
  Slot& slot = *pool_->slots_[slot_];
  pool_->StopSlot(slot);
  absl::Status s = pool_->StartSlot(slot, deadline);
  absl::MutexLock lock(&pool_->mu_);
  ++pool_->restarts_;
  ++slot.generation;
  slot.healthy = s.ok();
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("replacing PISA server ", slot.address, " (", reason, ") failed: ", s.message()));
  }
  return s;
}

}  // namespace thor::isabelle
