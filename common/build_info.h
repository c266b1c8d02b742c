// Which source tree this build of Thor came from, for run records
// (`thor eval`) and anything else that must say what produced a result.
// The build fills it from git: CMake when it configures (it configures again
// after each commit), Bazel through scripts/workspace_status (.bazelrc).
#ifndef THOR_COMMON_BUILD_INFO_H_
#define THOR_COMMON_BUILD_INFO_H_

#include <string>

namespace thor {

// `git describe --tags --always --dirty` of the tree ("3f3be09",
// "3f3be09-dirty", "v1.0-3-g3f3be09"), or "unknown" when built outside git.
std::string ThorVersion();

// The full hash of the commit the tree is at, or "unknown".
std::string ThorCommit();

// The API this build speaks: the package of proto/thor/v1/thor.proto. It
// changes only with an incompatible API (a new package, thor.v2).
std::string ThorProtocolVersion();

}  // namespace thor

#endif  // THOR_COMMON_BUILD_INFO_H_
