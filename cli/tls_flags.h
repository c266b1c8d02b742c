// --tls_ca and --tls_server_name: how the client side of `thor` (prove,
// suggest, check against --server; eval against --servers) checks a server.
#ifndef THOR_CLI_TLS_FLAGS_H_
#define THOR_CLI_TLS_FLAGS_H_

#include "server/security.h"

namespace thor {

// ClientOptions with the TLS fields from the flags (address and token unset).
// The credentials themselves are made by server/security.h's
// MakeClientCredentials, for every client alike.
ClientOptions ClientTlsFromFlags();

}  // namespace thor

#endif  // THOR_CLI_TLS_FLAGS_H_
