#include "common/build_info.h"

namespace thor {

// Defined in the generated build_info_stamp.cc (from build_info_stamp.cc.in),
// the only file that changes from commit to commit.
extern const char kThorGitDescribe[];
extern const char kThorGitCommit[];

namespace {

std::string OrUnknown(const char* s) { return s[0] == '\0' ? "unknown" : s; }

}  // namespace

std::string ThorVersion() { return OrUnknown(kThorGitDescribe); }
std::string ThorCommit() { return OrUnknown(kThorGitCommit); }
std::string ThorProtocolVersion() { return "thor.v1"; }

}  // namespace thor
