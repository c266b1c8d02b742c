// SearchTree::TraceJson: the compact trace written out as JSON in one pass,
// straight into the output string (no JSON tree in between). Strings from
// the pool are escaped once each, however often they appear.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "search/search_tree.h"

namespace thor {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t Utf8Length(absl::string_view s, size_t i) {
  const auto at = [&s](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = at(i);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
  }
  return n;
}

// Appends `s` as a JSON string to `out`. Invalid UTF-8 (from provers or
// models) is replaced by U+FFFD, byte by byte, not fatal.
void AppendString(std::string& out, absl::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // Start of the pending run of bytes copied as they are.
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    const size_t len = c >= 0x80 ? Utf8Length(s, i) : 0;
    if (len > 0) {
      i += len;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += "\xEF\xBF\xBD";  // U+FFFD.
        }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// A pool string, and microseconds written as seconds.
struct Pooled {
  uint32_t id;
};
struct Seconds {
  int64_t us;
};

// Writes JSON into a growing buffer: values are appended with plain memcpy,
// pool strings are escaped once each however often they appear.
class JsonWriter {
 public:
  JsonWriter(const SearchTree& tree, size_t reserve)
      : tree_(tree), escaped_(tree.PoolSize()) {
    buf_.resize(reserve);
  }

  template <size_t N>
  void Lit(const char (&s)[N]) {
    Put(s, N - 1);
  }
  // Key literals (`,"name":`) and values, alternating.
  template <size_t N, typename T, typename... Rest>
  void Fields(const char (&key)[N], const T& value, const Rest&... rest) {
    Lit(key);
    Value(value);
    if constexpr (sizeof...(rest) > 0) Fields(rest...);
  }

  template <typename I, std::enable_if_t<std::is_integral_v<I>, int> = 0>
  void Value(I v) {
    if constexpr (std::is_same_v<I, bool>) {
      if (v) {
        Lit("true");
      } else {
        Lit("false");
      }
    } else {
      Reserve(24);
      len_ = static_cast<size_t>(
          std::to_chars(&buf_[len_], &buf_[len_] + 24, v).ptr - buf_.data());
    }
  }
  // Shortest round-trip form; null for NaN and infinities (as nlohmann does).
  void Value(double v) {
    if (!std::isfinite(v)) {
      Lit("null");
      return;
    }
    Reserve(32);
    len_ = static_cast<size_t>(
        std::to_chars(&buf_[len_], &buf_[len_] + 32, v).ptr - buf_.data());
  }
  void Value(absl::string_view s) {
    scratch_.clear();
    AppendString(scratch_, s);
    Put(scratch_.data(), scratch_.size());
  }
  void Value(const std::string& s) { Value(absl::string_view(s)); }
  void Value(const char* s) { Value(absl::string_view(s)); }
  void Value(Pooled p) {
    std::string& e = escaped_[p.id];
    if (e.empty()) AppendString(e, tree_.Text(p.id));
    Put(e.data(), e.size());
  }
  // Exactly: "12.0345", "0.5", "3".
  void Value(Seconds s) {
    uint64_t us = static_cast<uint64_t>(s.us < 0 ? -s.us : s.us);
    if (s.us < 0) Lit("-");
    Value(us / 1000000);
    uint32_t frac = static_cast<uint32_t>(us % 1000000);
    if (frac == 0) return;
    char digits[7];
    digits[0] = '.';
    size_t len = 7;
    while (frac % 10 == 0) {
      frac /= 10;
      --len;
    }
    for (size_t i = len - 1; i >= 1; --i) {
      digits[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    Put(digits, len);
  }

  // `key` (`,"name":[`), then one object per item, written by
  // write(item, index) after its opening `{` key; closes both.
  template <size_t N, typename Items, typename F>
  void Array(const char (&key)[N], const Items& items, F write) {
    Lit(key);
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) Lit(",");
      write(items[i], i);
      Lit("}");
    }
    Lit("]");
  }

  std::string Take() {
    buf_.resize(len_);
    return std::move(buf_);
  }

 private:
  void Reserve(size_t n) {
    if (len_ + n > buf_.size()) buf_.resize(std::max(2 * buf_.size(), len_ + n));
  }
  void Put(const char* s, size_t n) {
    Reserve(n);
    std::memcpy(&buf_[len_], s, n);
    len_ += n;
  }

  const SearchTree& tree_;
  std::vector<std::string> escaped_;
  std::string scratch_;
  std::string buf_;
  size_t len_ = 0;
};

}  // namespace

std::string SearchTree::TraceJson(const Theorem& theorem,
                                  const std::string& policy, uint64_t seed,
                                  SearchStatus status) const {
  JsonWriter w(*this, 128 * (nodes_.size() + tries_.size() + queries_.size()) + 256);
  w.Fields("{\"theorem\":", theorem.name, ",\"prover\":", theorem.prover,
           ",\"policy\":", policy, ",\"seed\":", seed, ",\"status\":",
           SearchStatusName(status));
  w.Array(",\"nodes\":[", nodes_, [&w](const SearchNode& n, size_t i) {
    w.Fields("{\"id\":", i, ",\"parent\":", n.parent, ",\"step\":", Pooled{n.step},
             ",\"from_hammer\":", n.from_hammer, ",\"hammer_prover\":",
             Pooled{n.hammer_prover}, ",\"score\":", n.score, ",\"depth\":", n.depth,
             ",\"expanded\":", n.expanded, ",\"state\":", n.text, ",\"t_s\":",
             Seconds{n.t_us});
  });
  w.Array(",\"tries\":[", tries_, [&w](const TraceTry& t, size_t) {
    w.Fields("{\"from\":", t.from, ",\"to\":", t.duplicate ? -1 : t.to, ",\"step\":",
             Pooled{t.step}, ",\"logprob\":", t.logprob, ",\"outcome\":",
             StepKindName(static_cast<StepKind>(t.kind)), ",\"hammer\":", t.hammer,
             ",\"t_s\":", Seconds{t.t_us}, ",\"elapsed_s\":", Seconds{t.elapsed_us});
    if (t.duplicate) w.Fields(",\"duplicate_of\":", t.to);
    if (t.hammer_prover != 0) w.Fields(",\"hammer_prover\":", Pooled{t.hammer_prover});
    if (t.message != 0) w.Fields(",\"message\":", Pooled{t.message});
  });
  w.Array(",\"queries\":[", queries_, [&w](const TraceQuery& q, size_t) {
    w.Fields("{\"node\":", q.node, ",\"candidates\":", q.candidates, ",\"t_s\":",
             Seconds{q.t_us}, ",\"elapsed_s\":", Seconds{q.elapsed_us});
    if (q.error != 0) w.Fields(",\"error\":", Pooled{q.error});
  });
  w.Lit("}");
  return w.Take();
}

}  // namespace thor
