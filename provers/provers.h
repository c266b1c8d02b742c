// The one list of provers Thor is built with. Each bridge exports its
// ProverModule (module.h); provers.cc is the only place outside the bridges
// that names them, so adding a prover adds a bridge folder and one entry
// there.
#ifndef THOR_PROVERS_PROVERS_H_
#define THOR_PROVERS_PROVERS_H_

#include <map>
#include <string>
#include <vector>

#include "lm_client/prover_heuristics.h"
#include "provers/module.h"

namespace thor {

// The prover `thor` uses when the command line names none.
extern const char kDefaultProver[];

// Every prover, sorted by name.
const std::vector<ProverModule>& AllProvers();

// The module called `name`, or null.
const ProverModule* FindProver(const std::string& name);

// The names of AllProvers(), comma-separated ("a, b").
std::string ProverNamesJoined();

// Every prover's heuristics, by name.
ProverHeuristicsMap AllProverHeuristics();

// The names of every module's server flags (ProverModule::server_flags), for
// the flag lists of the commands that configure a server.
std::vector<std::string> ProverServerFlagNames();

// The server options the server flags given on the command line set: for
// each prover with such a flag, its options object as JSON text holding the
// keys of those flags (it replaces the configuration file's object).
std::map<std::string, std::string> ProverOptionsFromFlags();

}  // namespace thor

#endif  // THOR_PROVERS_PROVERS_H_
