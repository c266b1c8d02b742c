#include "extract/run.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace thor::extract {
namespace {

namespace fs = std::filesystem;

std::string Normal(const fs::path& p) { return fs::absolute(p).lexically_normal().string(); }

}  // namespace

absl::StatusOr<std::vector<std::string>> CollectSourceFiles(const std::vector<std::string>& inputs,
                                                            const std::string& extension) {
  if (inputs.empty()) return absl::InvalidArgumentError("no file or folder to extract from");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->is_regular_file(ec) && name.size() > extension.size() &&
            name.compare(name.size() - extension.size(), extension.size(), extension) == 0) {
          found.push_back(Normal(it->path()));
        }
      }
      if (ec) return absl::NotFoundError(absl::StrCat("cannot list ", input, ": ", ec.message()));
      std::sort(found.begin(), found.end());
      for (std::string& f : found) {
        if (seen.insert(f).second) out.push_back(std::move(f));
      }
    } else if (fs::is_regular_file(input, ec)) {
      std::string f = Normal(input);
      if (seen.insert(f).second) out.push_back(std::move(f));
    } else {
      return absl::NotFoundError(absl::StrCat("no such file or folder: ", input));
    }
  }
  return out;
}

absl::StatusOr<std::set<std::string>> ResumeOutput(const std::string& out_path) {
  std::set<std::string> done;
  std::error_code ec;
  if (!fs::exists(out_path, ec)) return done;
  std::ifstream in(out_path, std::ios::binary);
  if (!in) return absl::InternalError(absl::StrCat("cannot read ", out_path));
  std::string line;
  uint64_t offset = 0, keep = 0;
  while (std::getline(in, line)) {
    const bool complete = !in.eof();  // getline stopped at a '\n'.
    offset += line.size() + (complete ? 1 : 0);
    std::string file;
    if (complete && ParseFileRecord(line, &file)) {
      done.insert(std::move(file));
      keep = offset;
    }
  }
  if (offset != keep) {
    fs::resize_file(out_path, keep, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot cut ", out_path, ": ", ec.message()));
  }
  return done;
}

absl::StatusOr<RunSummary> RunExtraction(const std::vector<std::string>& files,
                                         const FileTracer& tracer, const RunOptions& options) {
  const absl::Time start = absl::Now();
  RunSummary summary;
  summary.files = static_cast<int>(files.size());
  absl::StatusOr<std::set<std::string>> done = ResumeOutput(options.out_path);
  if (!done.ok()) return done.status();
  std::vector<std::string> todo;
  for (const std::string& f : files) {
    if (done->count(f) > 0) {
      ++summary.skipped;
    } else {
      todo.push_back(f);
    }
  }
  std::FILE* out = std::fopen(options.out_path.c_str(), "ab");
  if (out == nullptr) return absl::InternalError(absl::StrCat("cannot open ", options.out_path));
  if (options.progress != nullptr && summary.skipped > 0) {
    *options.progress << "thor extract: " << summary.skipped << " of " << summary.files
                      << " files already in " << options.out_path << ", skipped" << std::endl;
  }
  absl::Mutex mu;
  absl::Status write_error;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    while (true) {
      const size_t k = next.fetch_add(1);
      if (k >= todo.size()) return;
      FileTrace trace = tracer(todo[k]);
      trace.file.file = todo[k];
      const std::string block = ToJsonLines(trace);
      absl::MutexLock lock(&mu);
      // One block per file, flushed at once: see ResumeOutput.
      if (std::fwrite(block.data(), 1, block.size(), out) != block.size() ||
          std::fflush(out) != 0) {
        write_error = absl::InternalError(absl::StrCat("cannot write ", options.out_path));
      }
      ++summary.traced;
      if (!trace.file.status.ok()) ++summary.failed;
      summary.theorems += trace.file.theorems;
      summary.steps += trace.file.steps;
      if (options.progress != nullptr) {
        const double s = absl::ToDoubleSeconds(trace.file.elapsed);
        *options.progress << absl::StrFormat(
                                 "[%d/%d] %s: %d theorems, %d steps, %.1f s%s",
                                 summary.traced + summary.skipped, summary.files, todo[k],
                                 trace.file.theorems, trace.file.steps, s,
                                 trace.file.status.ok()
                                     ? ""
                                     : absl::StrCat(" ERROR ", trace.file.status.ToString()))
                          << std::endl;
      }
    }
  };
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(todo.size())));
  std::vector<std::thread> threads;
  for (int i = 1; i < jobs; ++i) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  std::fclose(out);
  summary.elapsed = absl::Now() - start;
  if (!write_error.ok()) return write_error;
  return summary;
}

}  // namespace thor::extract
