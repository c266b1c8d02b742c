// KnnModel's file format, version 4 (little-endian, as the machines it runs
// on): the 8 bytes "THORKNN\n", u32 version, u32 reserved, u64 payload size,
// u64 FNV-1a checksum of the payload, then the payload: the files, their
// own-file-only marks (one byte each; from version 2, version 1 has none), the
// theorems (file, ordinal, name; from version 3 also the proof text and
// its steps' starts), the tactic templates (text, hypothesis
// types), from version 4 the rests' templates (the same), the steps
// (theorem, index, template; from version 4 the rest's template) and the inverted index
// (hashes, IDF, offsets, postings' steps and weights), each a u64 count
// followed by its items. Strings are a u32 length and the bytes. Loading is
// a read of the file and copies of those arrays, no parsing of text.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "learn/knn_model.h"

namespace thor::learn {
namespace {

constexpr char kMagic[8] = {'T', 'H', 'O', 'R', 'K', 'N', 'N', '\n'};

uint64_t Checksum(const std::string& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

class Writer {
 public:
  template <typename T>
  void Pod(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void String(const std::string& s) {
    Pod<uint32_t>(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  template <typename T>
  void Array(const std::vector<T>& v) {
    Pod<uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}
  template <typename T>
  bool Pod(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool String(std::string* s) {
    uint32_t n = 0;
    if (!Pod(&n) || in_.size() - pos_ < n) return false;
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool Array(std::vector<T>* v) {
    uint64_t n = 0;
    if (!Pod(&n) || n > (in_.size() - pos_) / sizeof(T)) return false;
    v->resize(n);
    std::memcpy(v->data(), in_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool Count(uint64_t* n, size_t min_item_bytes) {
    return Pod(n) && *n <= (in_.size() - pos_) / min_item_bytes;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  absl::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

class ModelFile {
 public:
  static std::string Payload(const KnnModel& m) {
    Writer w;
    w.Pod<uint64_t>(m.files_.size());
    for (const std::string& f : m.files_) w.String(f);
    std::vector<uint8_t> own = m.own_only_;
    own.resize(m.files_.size(), 0);
    w.Array(own);
    w.Pod<uint64_t>(m.theorems_.size());
    for (const KnnModel::Theorem& t : m.theorems_) {
      w.Pod(t.file);
      w.Pod(t.ordinal);
      w.String(t.name);
      w.String(t.proof);
      w.Array(t.step_starts);
    }
    w.Pod<uint64_t>(m.templates_.size());
    for (const TacticTemplate& t : m.templates_) {
      w.String(t.text);
      w.String(EncodeHypothesisTypes(t.hypothesis_types));
    }
    w.Pod<uint64_t>(m.rest_templates_.size());
    for (const TacticTemplate& t : m.rest_templates_) {
      w.String(t.text);
      w.String(EncodeHypothesisTypes(t.hypothesis_types));
    }
    w.Pod<uint64_t>(m.steps_.size());
    for (const KnnModel::Step& s : m.steps_) {
      w.Pod(s.theorem);
      w.Pod(s.index);
      w.Pod(s.template_id);
      w.Pod(s.rest_template);
    }
    w.Array(m.feature_hash_);
    w.Array(m.idf_);
    w.Array(m.offsets_);
    w.Array(m.posting_step_);
    w.Array(m.posting_weight_);
    return std::move(w.bytes());
  }

  // False when the payload is malformed or its indices point outside it.
  static bool Parse(absl::string_view payload, uint32_t version, KnnModel* m) {
    Reader r(payload);
    uint64_t n = 0;
    if (!r.Count(&n, 4)) return false;
    m->files_.resize(n);
    for (std::string& f : m->files_) {
      if (!r.String(&f)) return false;
    }
    if (version >= 2) {
      if (!r.Array(&m->own_only_) || m->own_only_.size() != m->files_.size()) return false;
    } else {
      m->own_only_.assign(m->files_.size(), 0);
    }
    if (!r.Count(&n, 12)) return false;
    m->theorems_.resize(n);
    for (KnnModel::Theorem& t : m->theorems_) {
      if (!r.Pod(&t.file) || !r.Pod(&t.ordinal) || !r.String(&t.name)) return false;
      if (t.file >= m->files_.size()) return false;
      if (version >= 3) {
        if (!r.String(&t.proof) || !r.Array(&t.step_starts)) return false;
        for (size_t i = 0; i < t.step_starts.size(); ++i) {
          if (t.step_starts[i] >= t.proof.size() ||
              (i > 0 && t.step_starts[i - 1] >= t.step_starts[i])) {
            return false;
          }
        }
      }
    }
    auto templates = [&r, &n](std::vector<TacticTemplate>* out) {
      if (!r.Count(&n, 8)) return false;
      out->resize(n);
      for (TacticTemplate& t : *out) {
        std::string types;
        if (!r.String(&t.text) || !r.String(&types)) return false;
        t.hypothesis_types = DecodeHypothesisTypes(types);
      }
      return true;
    };
    if (!templates(&m->templates_)) return false;
    if (version >= 4 && !templates(&m->rest_templates_)) return false;
    if (!r.Count(&n, version >= 4 ? 16 : 12)) return false;
    m->steps_.resize(n);
    for (KnnModel::Step& s : m->steps_) {
      if (!r.Pod(&s.theorem) || !r.Pod(&s.index) || !r.Pod(&s.template_id)) return false;
      if (s.theorem >= m->theorems_.size() || s.template_id >= m->templates_.size()) return false;
      if (version >= 4) {
        if (!r.Pod(&s.rest_template)) return false;
        if (s.rest_template != KnnModel::kNoTemplate &&
            s.rest_template >= m->rest_templates_.size()) {
          return false;
        }
      }
    }
    if (!r.Array(&m->feature_hash_) || !r.Array(&m->idf_) || !r.Array(&m->offsets_) ||
        !r.Array(&m->posting_step_) || !r.Array(&m->posting_weight_) || !r.AtEnd()) {
      return false;
    }
    const size_t nf = m->feature_hash_.size();
    if (m->idf_.size() != nf || m->offsets_.size() != nf + 1 || m->offsets_[0] != 0 ||
        m->offsets_[nf] != m->posting_step_.size() ||
        m->posting_weight_.size() != m->posting_step_.size()) {
      return false;
    }
    for (size_t i = 0; i < nf; ++i) {
      if (m->offsets_[i] > m->offsets_[i + 1]) return false;
      if (i > 0 && m->feature_hash_[i - 1] >= m->feature_hash_[i]) return false;
    }
    for (uint32_t s : m->posting_step_) {
      if (s >= m->steps_.size()) return false;
    }
    return true;
  }
};

absl::Status KnnModel::Save(const std::string& path) const {
  const std::string payload = ModelFile::Payload(*this);
  Writer header;
  header.bytes().append(kMagic, sizeof(kMagic));
  header.Pod<uint32_t>(kFormatVersion);
  header.Pod<uint32_t>(0);
  header.Pod<uint64_t>(payload.size());
  header.Pod<uint64_t>(Checksum(payload));
  // A reader never sees half a model: write beside it, then rename.
  const std::string tmp = absl::StrCat(path, ".tmp.", getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", tmp));
    out.write(header.bytes().data(), header.bytes().size());
    out.write(payload.data(), payload.size());
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return absl::InternalError(absl::StrCat("writing ", tmp, " failed (disk full?)"));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::PermissionDeniedError(absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<KnnModel> KnnModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "k-NN model file ", path,
        " cannot be read; train one with: thor train --in=steps.jsonl --out=", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();
  auto corrupt = [&](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("k-NN model file ", path, ": ", why,
                                            "; retrain it with thor train"));
  };
  constexpr size_t kHeader = sizeof(kMagic) + 4 + 4 + 8 + 8;
  if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return corrupt("not a k-NN model file (no THORKNN header)");
  }
  Reader header(absl::string_view(bytes).substr(sizeof(kMagic)));
  uint32_t version = 0, reserved = 0;
  uint64_t size = 0, checksum = 0;
  header.Pod(&version);
  header.Pod(&reserved);
  header.Pod(&size);
  header.Pod(&checksum);
  if (version < 1 || version > KnnModel::kFormatVersion) {
    return corrupt(absl::StrCat("format version ", version, ", this thor reads versions 1 to ",
                                KnnModel::kFormatVersion));
  }
  if (size != bytes.size() - kHeader) return corrupt("truncated or extended");
  const std::string payload = bytes.substr(kHeader);
  if (Checksum(payload) != checksum) return corrupt("checksum mismatch (corrupt)");
  KnnModel m;
  if (!ModelFile::Parse(payload, version, &m)) return corrupt("malformed contents");
  return m;
}

}  // namespace thor::learn
