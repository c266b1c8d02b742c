#include "eval/results.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace thor::eval {
namespace {

using nlohmann::json;

template <typename T>
void Get(const json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if constexpr (std::is_same_v<T, std::string>) {
    if (it->is_string()) *out = it->template get<std::string>();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (it->is_boolean()) *out = it->template get<bool>();
  } else {
    if (it->is_number()) *out = it->template get<T>();
  }
}

absl::Status ErrnoError(const std::string& what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

ResultFileContents ParseContents(const std::string& text) {
  ResultFileContents out;
  size_t end = text.rfind('\n');
  size_t complete = end == std::string::npos ? 0 : end + 1;
  out.torn_tail_bytes = text.size() - complete;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text).substr(0, complete), '\n', absl::SkipEmpty())) {
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (IsRunRecord(j)) {
      out.runs.push_back(std::move(j));
      continue;
    }
    absl::StatusOr<EvalRecord> r =
        j.is_discarded() ? absl::InvalidArgumentError("bad json") : RecordFromJson(j);
    if (!r.ok()) {
      ++out.bad_lines;
      continue;
    }
    out.records.push_back(*std::move(r));
  }
  return out;
}

std::string HostName() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) return "?";
  return host;
}

// Who holds `path`, from its lock file: "pid 123 on host h since <time>".
std::string DescribeHolder(const std::string& path) {
  std::ifstream in(LockInfoPath(path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  json j = json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("pid")) {
    return "a process that has not said who it is yet (or that just finished)";
  }
  return absl::StrCat("pid ", j.value("pid", 0), " on host ", j.value("host", "?"), " since ",
                      j.value("since", "?"));
}

// Takes the lock of the open results file `fd`, or says who holds it.
absl::Status LockResults(int fd, const std::string& path) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return ErrnoError("cannot lock results file", path);
    return absl::FailedPreconditionError(absl::StrCat(
        path, " is being written by another thor eval (", DescribeHolder(path),
        "); wait for that run to end or stop it, or write to another --out"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string LockInfoPath(const std::string& results_path) {
  return results_path + ".lock";
}

bool IsSolvedStatus(const std::string& status) { return status == "PROVED"; }

bool IsRunRecord(const json& j) {
  auto it = j.is_object() ? j.find("record") : j.end();
  return it != j.end() && it->is_string() && *it == "run";
}

json RecordToJson(const EvalRecord& r) {
  return json{{"id", r.id},
              {"suite", r.suite},
              {"suite_version", r.suite_version},
              {"prover", r.prover},
              {"status", r.status},
              {"solved", r.solved},
              {"used_hammer", r.used_hammer},
              {"recheck", r.recheck},
              {"proof", r.proof},
              {"proof_steps", r.proof_steps},
              {"axioms", r.axioms},
              {"checkers", r.checkers},
              {"message", r.message},
              {"stats", r.stats},
              {"wall_s", r.wall_s},
              {"config_hash", r.config_hash},
              {"seed", r.seed},
              {"search_id", r.search_id},
              {"server", r.server},
              {"attempts", r.attempts}};
}

absl::StatusOr<EvalRecord> RecordFromJson(const json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("a result must be a JSON object");
  EvalRecord r;
  Get(j, "id", &r.id);
  Get(j, "status", &r.status);
  if (r.id.empty() || r.status.empty()) {
    return absl::InvalidArgumentError("a result needs string fields \"id\" and \"status\"");
  }
  Get(j, "suite", &r.suite);
  Get(j, "suite_version", &r.suite_version);
  Get(j, "prover", &r.prover);
  r.solved = IsSolvedStatus(r.status);  // Not the file's "solved" (see EvalRecord).
  Get(j, "used_hammer", &r.used_hammer);
  Get(j, "recheck", &r.recheck);
  Get(j, "proof", &r.proof);
  Get(j, "message", &r.message);
  Get(j, "wall_s", &r.wall_s);
  Get(j, "config_hash", &r.config_hash);
  Get(j, "seed", &r.seed);
  Get(j, "search_id", &r.search_id);
  Get(j, "server", &r.server);
  Get(j, "attempts", &r.attempts);
  if (auto it = j.find("stats"); it != j.end() && it->is_object()) r.stats = *it;
  for (auto [key, out] : {std::pair{"proof_steps", &r.proof_steps},
                           std::pair{"axioms", &r.axioms}, std::pair{"checkers", &r.checkers}}) {
    if (auto it = j.find(key); it != j.end() && it->is_array()) {
      for (const json& s : *it) {
        if (s.is_string()) out->push_back(s.get<std::string>());
      }
    }
  }
  return r;
}

absl::StatusOr<ResultFileContents> ReadResultFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read results file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseContents(buffer.str());
}

absl::StatusOr<std::unique_ptr<ResultWriter>> ResultWriter::Open(
    const std::string& path, const std::string& config_hash) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot open results file", path);
  // Locked before anything is read or cut, so two runs never both resume.
  if (absl::Status locked = LockResults(fd, path); !locked.ok()) {
    ::close(fd);
    return locked;
  }
  std::string text;
  char buf[1 << 16];
  for (ssize_t n; (n = ::pread(fd, buf, sizeof buf, text.size())) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return ErrnoError("cannot read results file", path);
    }
    text.append(buf, n);
  }
  ResultFileContents contents = ParseContents(text);
  if (contents.torn_tail_bytes > 0 &&
      ::ftruncate(fd, text.size() - contents.torn_tail_bytes) != 0) {
    ::close(fd);
    return ErrnoError("cannot cut the torn last line of", path);
  }
  for (const EvalRecord& r : contents.records) {
    if (r.config_hash != config_hash) {
      ::close(fd);
      return absl::FailedPreconditionError(absl::StrCat(
          path, " holds results of configuration ", r.config_hash, " (theorem ", r.id,
          ") but this run's configuration is ", config_hash,
          "; resume with the same --budget/--seed or write to another --out"));
    }
  }
  // Keep the first record of each id (a duplicate can only come from
  // concatenated files).
  absl::flat_hash_set<std::string> seen;
  std::vector<EvalRecord> unique;
  for (EvalRecord& r : contents.records) {
    if (seen.insert(r.id).second) unique.push_back(std::move(r));
  }
  contents.records = std::move(unique);
  std::unique_ptr<ResultWriter> writer(new ResultWriter(path, fd));
  writer->existing_ = std::move(contents);
  // Who holds the lock, for the message of a run refused. Informative only:
  // a file left by a killed run is simply overwritten by the next holder.
  std::ofstream holder(LockInfoPath(path), std::ios::trunc);
  holder << json{{"pid", ::getpid()},
                 {"host", HostName()},
                 {"since", absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::Now(),
                                            absl::UTCTimeZone())}}
                .dump()
         << "\n";
  writer->wrote_holder_ = holder.good();
  return writer;
}

ResultWriter::~ResultWriter() {
  absl::MutexLock lock(&mu_);
  // Removed while the lock is still held, so it never describes a later run.
  if (wrote_holder_) ::unlink(LockInfoPath(path_).c_str());
  if (fd_ >= 0) ::close(fd_);
}

absl::Status ResultWriter::Append(const EvalRecord& record) {
  return AppendLine(RecordToJson(record));
}

absl::Status ResultWriter::AppendRun(const json& run) {
  if (!IsRunRecord(run)) return absl::InvalidArgumentError("not a run record");
  return AppendLine(run);
}

absl::Status ResultWriter::AppendLine(const json& j) {
  std::string line = j.dump(-1, ' ', false,
                                               json::error_handler_t::replace);
  line.push_back('\n');
  absl::MutexLock lock(&mu_);
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot append to", path_);
    }
    done += n;
  }
  if (::fdatasync(fd_) != 0) return ErrnoError("cannot flush", path_);
  return absl::OkStatus();
}

}  // namespace thor::eval
