// Hashed sparse features of a proof state, for the k-NN policy: what the
// focused goal's conclusion and hypotheses say, with the state's own names
// (hypotheses, bound variables) abstracted so that the same shape of goal
// under other names looks alike. Stable across processes and builds (FNV-1a
// over the feature's text), since a model file stores the hashes.
#ifndef THOR_LEARN_FEATURES_H_
#define THOR_LEARN_FEATURES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "learn/state_text.h"

namespace thor::learn {

// (feature hash, weight), sorted by hash, each hash once. The weight is
// 1 + log(count), halved for hypothesis features; the model multiplies it
// by the feature's IDF.
using FeatureCounts = std::vector<std::pair<uint32_t, float>>;

// The 32-bit FNV-1a hash of `text`.
uint32_t FeatureHash(absl::string_view text);

// The features of a display (ParseStateText): for the focused goal, the
// conclusion's tokens, bigrams and trigrams, its head token and its main
// connective; each hypothesis type's tokens, bigrams and head, and the
// shape of its name (digits and primes dropped: IHl, H); the number of
// hypotheses and goals, bucketed. Local names become "$v". Readable
// feature texts (before hashing) come back in *names when non-null, for
// tests and debugging.
FeatureCounts StateFeatures(absl::string_view state_text,
                            std::vector<std::string>* names = nullptr);

}  // namespace thor::learn

#endif  // THOR_LEARN_FEATURES_H_
