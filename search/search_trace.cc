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

// Writes `s` as a JSON string at `out`, which has room for 6 bytes per
// input byte plus 2; returns the end. Invalid UTF-8 (from provers or models)
// is replaced by U+FFFD, byte by byte, not fatal.
char* WriteString(char* out, absl::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '"';
  size_t run = 0;  // Start of the pending run of bytes copied as they are.
  size_t i = 0;
  const auto flush = [&] {
    std::memcpy(out, s.data() + run, i - run);
    out += i - run;
  };
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
    flush();
    const char* esc = nullptr;
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      default: break;
    }
    if (esc != nullptr) {
      *out++ = esc[0];
      *out++ = esc[1];
    } else if (c < 0x20) {
      std::memcpy(out, "\\u00", 4);
      out[4] = kHex[c >> 4];
      out[5] = kHex[c & 15];
      out += 6;
    } else {
      std::memcpy(out, "\xEF\xBF\xBD", 3);  // U+FFFD.
      out += 3;
    }
    run = ++i;
  }
  flush();
  *out++ = '"';
  return out;
}

size_t MaxJsonStringBytes(absl::string_view s) { return 6 * s.size() + 2; }

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
    Reserve(MaxJsonStringBytes(s));
    len_ = static_cast<size_t>(WriteString(&buf_[len_], s) - buf_.data());
  }
  void Value(const std::string& s) { Value(absl::string_view(s)); }
  void Value(const char* s) { Value(absl::string_view(s)); }
  void Value(Pooled p) {
    std::string& e = escaped_[p.id];
    if (e.empty()) {
      const std::string& text = tree_.Text(p.id);
      e.resize(MaxJsonStringBytes(text));
      e.resize(static_cast<size_t>(WriteString(&e[0], text) - e.data()));
    }
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
    if (buf_.capacity() > len_ + len_ / 4) buf_.shrink_to_fit();
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
  std::string buf_;
  size_t len_ = 0;
};

}  // namespace

std::string SearchTree::TraceJson(const Theorem& theorem,
                                  const std::string& policy, uint64_t seed,
                                  SearchStatus status) const {
  // Room for the whole trace up front (goal texts plus a generous bound per
  // record), so the buffer is neither grown nor over-allocated much.
  size_t bytes = 512 + theorem.name.size() + policy.size() + 200 * nodes_.size() +
                 200 * tries_.size() + 100 * queries_.size();
  for (const SearchNode& n : nodes_) bytes += n.text.size() + Text(n.step).size();
  JsonWriter w(*this, bytes);
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
