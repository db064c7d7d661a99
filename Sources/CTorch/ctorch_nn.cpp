// Fused layer kernels, mixed precision, and state serialisation compatible
// with Python's torch.save / torch.load.
#include "ctorch_convolution.h"
#include "ctorch_dropout.h"
#include "ctorch_internal.h"
#include "ctorch_recurrent_training.h"

#include <ATen/autocast_mode.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickler.h>
#include <torch/csrc/jit/serialization/unpickler.h>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

using ctorch::ints;
using ctorch::optional;
using ctorch::owned;
using ctorch::required;
using ctorch::tensor_list;
using ctorch::unwrap;

struct ct_state_opaque {
  std::vector<std::string> names;
  std::vector<at::Tensor> tensors;
};

namespace {

/// Zeros of the hidden-state shape PyTorch's nn.LSTM/GRU use when h0 is omitted.
at::Tensor zero_state(const at::Tensor &x, int64_t layers, bool bidirectional, bool batch_first, int64_t hidden) {
  const int64_t batch = x.dim() == 3 ? x.size(batch_first ? 0 : 1) : 1;
  return at::zeros({layers * (bidirectional ? 2 : 1), batch, hidden}, x.options());
}

int64_t hidden_size(const std::vector<at::Tensor> &params, int gates) {
  if (params.size() < 2) throw std::invalid_argument("recurrent kernel needs at least w_ih and w_hh");
  return params[1].size(0) / gates;
}

/// Adds the tensors of a (possibly nested) dict to `state`, nested keys joined with dots.
void collect_tensors(const c10::IValue &value, const std::string &prefix, ct_state_opaque &state) {
  if (value.isTuple() && value.toTupleRef().elements().size() == 2 && value.toTupleRef().elements()[0].isGenericDict()) {
    collect_tensors(value.toTupleRef().elements()[0], prefix, state);  // (dict, attribute state) from libtorch_pickle
    return;
  }
  if (!value.isGenericDict())
    throw std::runtime_error(prefix.empty() ? "the file does not hold a dict of tensors"
                                            : "entry '" + prefix.substr(0, prefix.size() - 1) + "' is not a tensor");
  for (const auto &entry : value.toGenericDict()) {
    if (!entry.key().isString()) throw std::runtime_error("a key in the state dict is not a string");
    const std::string name = prefix + entry.key().toStringRef();
    if (entry.value().isTensor()) {
      const at::Tensor tensor = entry.value().toTensor();
      try {
        ctorch::dtype_code(tensor.scalar_type());
      } catch (const std::invalid_argument &e) {
        throw std::runtime_error("entry '" + name + "': " + e.what());
      }
      state.names.push_back(name);
      state.tensors.push_back(tensor);
    } else {
      collect_tensors(entry.value(), name + ".", state);
    }
  }
}

const ct_state_opaque &unwrap_state(ct_state s) {
  if (s == nullptr) throw std::invalid_argument("null state handle");
  return *s;
}

/// The i-th element, or an error naming the index and the count.
template <typename T> const T &entry(const std::vector<T> &values, int i) {
  if (i < 0 || static_cast<size_t>(i) >= values.size())
    throw std::out_of_range("state entry " + std::to_string(i) + " is out of range (the dict holds " +
                            std::to_string(values.size()) + ")");
  return values[static_cast<size_t>(i)];
}

ct_state make_state(const c10::IValue &value) {
  auto state = std::make_unique<ct_state_opaque>();
  collect_tensors(value, "", *state);
  return state.release();
}

/// The length of the argument that follows pickle opcode `op` at `data[i]` (just past the opcode).
size_t pickle_argument_length(unsigned char op, const std::string &data, size_t i) {
  auto line = [&](size_t from) {
    const size_t end = data.find('\n', from);
    if (end == std::string::npos) throw std::runtime_error("truncated pickle (unterminated line)");
    return end - from + 1;
  };
  auto prefixed = [&](size_t width) {
    if (i + width > data.size()) throw std::runtime_error("truncated pickle");
    uint64_t n = 0;
    for (size_t k = 0; k < width; ++k) n |= static_cast<uint64_t>(static_cast<unsigned char>(data[i + k])) << (8 * k);
    return width + static_cast<size_t>(n);
  };
  switch (op) {
    case 0x80: case 'K': case 'q': case 'h': case 0x82: return 1;
    case 'M': case 0x83: return 2;
    case 'J': case 'r': case 'j': case 0x84: return 4;
    case 'G': case 0x95: return 8;
    case 'X': case 'T': case 'B': case 0x8b: return prefixed(4);
    case 'U': case 'C': case 0x8a: case 0x8c: return prefixed(1);
    case 0x8d: case 0x8e: case 0x96: return prefixed(8);
    case 'I': case 'L': case 'F': case 'S': case 'V': case 'p': case 'g': case 'P': return line(i);
    case 'c': case 'i': { const size_t first = line(i); return first + line(i + first); }
    case '(': case ')': case ']': case '}': case '.': case '0': case '1': case '2': case 'N': case 't':
    case 0x85: case 0x86: case 0x87: case 'R': case 'b': case 'Q': case 's': case 'u': case 'a': case 'e':
    case 'l': case 'd': case 'o': case 0x88: case 0x89: case 0x81: case 0x92: case 0x93: case 0x94:
    case 0x8f: case 0x90: case 0x91: case 0x97: case 0x98:
      return 0;
    default:
      throw std::runtime_error("unsupported pickle opcode " + std::to_string(op) + " at offset " + std::to_string(i - 1));
  }
}

/// Rewrites a Python pickle (protocol 2) into the subset libtorch's unpickler reads:
/// - Python pickles a state dict as a `collections.OrderedDict`, which libtorch turns into None: each
///   `OrderedDict()` becomes an empty dict (the class itself is never pushed or memoised);
/// - BUILD (the `_metadata` attribute) becomes TUPLE2, pairing the dict with its attribute state, which
///   `collect_tensors` ignores;
/// - SETITEM (a dict of one entry), which libtorch lacks, becomes MARK key value SETITEMS.
/// It tracks where each stack item starts in the output to place that MARK.
std::string libtorch_pickle(const std::string &data) {
  static const std::string ordered_dict = "collections\nOrderedDict\n";
  std::string out;
  out.reserve(data.size() + 64);
  std::vector<size_t> starts;                     // output offset where each stack item begins
  std::vector<std::pair<size_t, size_t>> marks;   // (stack depth, output offset) of each MARK
  std::vector<bool> class_slots;                  // memo slots Python gave the OrderedDict class
  auto memo_index = [&](size_t at, size_t width) {
    uint32_t n = 0;
    for (size_t k = 0; k < width; ++k) n |= static_cast<uint32_t>(static_cast<unsigned char>(data[at + k])) << (8 * k);
    return n;
  };
  auto merge = [&](size_t n) {  // pops n items and pushes one that starts where the first began
    if (starts.size() < n) throw std::runtime_error("malformed pickle (stack underflow)");
    const size_t first = starts[starts.size() - n];
    starts.resize(starts.size() - n);
    starts.push_back(first);
  };
  auto close_mark = [&](bool push) {  // pops to the last MARK, optionally pushing one item that starts at it
    if (marks.empty() || starts.size() < marks.back().first) throw std::runtime_error("malformed pickle (no MARK)");
    starts.resize(marks.back().first);
    if (push) starts.push_back(marks.back().second);
    marks.pop_back();
  };
  bool class_pending = false;  // the OrderedDict class would be on top of Python's stack
  size_t i = 0;
  while (i < data.size()) {
    const auto op = static_cast<unsigned char>(data[i]);
    const size_t length = pickle_argument_length(op, data, i + 1);
    const bool is_put = op == 'q' || op == 'r', is_get = op == 'h' || op == 'j';
    const uint32_t memo = (is_put || is_get) ? memo_index(i + 1, (op == 'q' || op == 'h') ? 1 : 4) : 0;
    const size_t at = out.size();
    size_t consumed = 1 + length;
    if (op == 'c' && data.compare(i + 1, length, ordered_dict) == 0) {
      class_pending = true;
    } else if (is_put && class_pending) {
      if (class_slots.size() <= memo) class_slots.resize(memo + 1, false);
      class_slots[memo] = true;
    } else if (is_get && memo < class_slots.size() && class_slots[memo]) {
      class_pending = true;
    } else if (class_pending) {
      if (op != ')' || i + 1 >= data.size() || data[i + 1] != 'R')
        throw std::runtime_error("unsupported OrderedDict construction in pickle at offset " + std::to_string(i));
      out += '}';
      starts.push_back(at);
      class_pending = false;
      consumed = 2;
    } else {
      switch (op) {
        case '(': marks.emplace_back(starts.size(), at); out += '('; break;
        case 's': {  // SETITEM → MARK key value SETITEMS
          if (starts.size() < 3) throw std::runtime_error("malformed pickle (SETITEM without a dict)");
          out.insert(starts[starts.size() - 2], 1, '(');
          out += 'u';
          starts.resize(starts.size() - 2);
          break;
        }
        case 'b': out += '\x86'; merge(2); break;  // BUILD → TUPLE2 (object, attribute state)
        default: {
          out.append(data, i, 1 + length);
          switch (op) {
            case 't': case 'l': case 'd': case 0x91: close_mark(true); break;
            case 'u': case 'e': case '1': case 0x90: close_mark(false); break;
            case 0x85: case 'Q': merge(1); break;
            case 0x86: case 'R': case 0x81: case 0x93: merge(2); break;
            case 0x87: case 0x92: merge(3); break;
            case 's': case 'a': case '0':
              if (starts.empty()) throw std::runtime_error("malformed pickle (stack underflow)");
              starts.pop_back();
              break;
            case 'q': case 'r': case 0x80: case 0x95: case 0x94: case '.': break;
            case 'o': case 'i': throw std::runtime_error("unsupported pickle opcode OBJ/INST");
            default: starts.push_back(at); break;  // every other opcode pushes one value
          }
        }
      }
    }
    i += consumed;
  }
  return out;
}

/// Reads the dict pickled in a zip-format torch.save archive (Python's default since 1.6, and ours).
c10::IValue read_archive(const void *bytes, size_t size) {
  if (size < 4 || std::memcmp(bytes, "PK\x03\x04", 4) != 0)
    throw std::runtime_error("not a zip-format torch.save file (legacy files saved with "
                             "_use_new_zipfile_serialization=False are not supported)");
  caffe2::serialize::PyTorchStreamReader reader(
      std::make_shared<caffe2::serialize::MemoryReadAdapter>(bytes, static_cast<off_t>(size)));
  at::DataPtr pickle_ptr;
  size_t pickle_size = 0;
  std::tie(pickle_ptr, pickle_size) = reader.getRecord("data.pkl");
  const std::string pickle = libtorch_pickle(std::string(static_cast<const char *>(pickle_ptr.get()), pickle_size));
  size_t position = 0;
  auto read = [&](char *buffer, size_t n) {
    const size_t count = std::min(n, pickle.size() - position);
    std::memcpy(buffer, pickle.data() + position, count);
    position += count;
    return count;
  };
  auto read_record = [&](const std::string &name) { return std::get<0>(reader.getRecord("data/" + name)); };
  torch::jit::Unpickler unpickler(read, nullptr, nullptr, read_record, c10::optional<at::Device>(at::kCPU));
  unpickler.set_version(reader.version());
  return unpickler.parse_ivalue();
}

/// A zip archive Python's torch.load opens with its default `weights_only=True`: a plain dict pickle
/// (no TorchScript type tags) and one record per tensor storage.
std::vector<char> serialise(const char *const *names, const ct_tensor *tensors, int n) {
  const auto list = tensor_list(tensors, n);
  if (n > 0) required(names, "array of names");
  c10::Dict<std::string, at::Tensor> dict;
  for (int i = 0; i < n; ++i) {
    if (names[i] == nullptr) throw std::invalid_argument("null name in state dict");
    if (dict.contains(names[i])) throw std::invalid_argument(std::string("duplicate name '") + names[i] + "' in state dict");
    dict.insert(names[i], list[static_cast<size_t>(i)].detach().cpu());
  }
  std::vector<char> pickle;
  torch::jit::Pickler pickler([&](const char *data, size_t size) { pickle.insert(pickle.end(), data, data + size); },
                              nullptr, nullptr, nullptr, nullptr, /*tag_aggregates=*/false);
  pickler.protocol();
  pickler.pushIValue(c10::IValue(dict));
  pickler.stop();
  std::vector<char> archive;
  caffe2::serialize::PyTorchStreamWriter writer([&](const void *data, size_t size) {
    archive.insert(archive.end(), static_cast<const char *>(data), static_cast<const char *>(data) + size);
    return size;
  });
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  writer.writeRecord("byteorder", "little", 6);
  const auto &storages = pickler.tensorData();
  for (size_t i = 0; i < storages.size(); ++i) {
    const auto data = torch::jit::getWriteableTensorData(storages[i], /*to_cpu=*/true);
    writer.writeRecord("data/" + std::to_string(i), data.data(), data.sizeInBytes());
  }
  writer.writeEndOfFile();
  return archive;
}

}  // namespace

extern "C" {

/* ---- fused layer kernels ---- */

ct_tensor ct_nn_conv1d(ct_tensor x, ct_tensor w, ct_tensor bias, int64_t stride, int64_t padding, int64_t dilation,
                       int64_t groups) {
  CT_TENSOR(at::conv1d(unwrap(x), unwrap(w), optional(bias), {stride}, {padding}, {dilation}, groups))
}

ct_tensor ct_nn_conv2d(ct_tensor x, ct_tensor w, ct_tensor bias, const int64_t *stride, const int64_t *padding,
                       const int64_t *dilation, int64_t groups) {
  CT_TENSOR(ctorch::conv2d(unwrap(x), unwrap(w), optional(bias), ints(stride, 2), ints(padding, 2), ints(dilation, 2), groups))
}

ct_tensor ct_nn_linear(ct_tensor x, ct_tensor w, ct_tensor bias) { CT_TENSOR(at::linear(unwrap(x), unwrap(w), optional(bias))) }

ct_tensor ct_nn_pool(ct_tensor x, int kind, int dims, const int64_t *kernel, const int64_t *stride, const int64_t *padding) {
  CT_PROTECT(nullptr, {
    const auto &t = unwrap(x);
    if (dims == 1)
      return ctorch::wrap(kind == 0 ? at::max_pool1d(t, ints(kernel, 1), ints(stride, 1), ints(padding, 1))
                                    : at::avg_pool1d(t, ints(kernel, 1), ints(stride, 1), ints(padding, 1)));
    if (dims == 2)
      return ctorch::wrap(kind == 0 ? at::max_pool2d(t, ints(kernel, 2), ints(stride, 2), ints(padding, 2))
                                    : at::avg_pool2d(t, ints(kernel, 2), ints(stride, 2), ints(padding, 2)));
    throw std::invalid_argument("pooling supports 1 or 2 dimensions, got " + std::to_string(dims));
  })
}

ct_tensor ct_nn_adaptive_pool(ct_tensor x, int kind, int dims, const int64_t *output) {
  CT_PROTECT(nullptr, {
    const auto &t = unwrap(x);
    if (dims == 1)
      return ctorch::wrap(kind == 0 ? std::get<0>(at::adaptive_max_pool1d(t, ints(output, 1)))
                                    : at::adaptive_avg_pool1d(t, ints(output, 1)));
    if (dims == 2)
      return ctorch::wrap(kind == 0 ? std::get<0>(at::adaptive_max_pool2d(t, ints(output, 2)))
                                    : at::adaptive_avg_pool2d(t, ints(output, 2)));
    throw std::invalid_argument("adaptive pooling supports 1 or 2 dimensions, got " + std::to_string(dims));
  })
}

ct_tensor ct_nn_batch_norm(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean, ct_tensor running_var,
                           int training, double momentum, double eps) {
  CT_TENSOR(at::batch_norm(unwrap(x), optional(weight), optional(bias), optional(running_mean), optional(running_var),
                           training != 0, momentum, eps, at::globalContext().userEnabledCuDNN()))
}

ct_tensor ct_nn_layer_norm(ct_tensor x, const int64_t *normalized_shape, int ndim, ct_tensor weight, ct_tensor bias,
                           double eps) {
  CT_TENSOR(at::layer_norm(unwrap(x), ints(normalized_shape, ndim), optional(weight), optional(bias), eps))
}

ct_tensor ct_nn_dropout(ct_tensor x, double p, int training) { CT_TENSOR(ctorch::dropout(unwrap(x), p, training != 0)) }
ct_tensor ct_nn_softmax(ct_tensor x, int64_t dim) { CT_TENSOR(at::softmax(unwrap(x), dim)) }
ct_tensor ct_nn_log_softmax(ct_tensor x, int64_t dim) { CT_TENSOR(at::log_softmax(unwrap(x), dim)) }

ct_tensor ct_nn_cross_entropy(ct_tensor logits, ct_tensor targets, ct_tensor weight, ct_reduction reduction,
                              double label_smoothing) {
  CT_TENSOR(at::cross_entropy_loss(unwrap(logits), unwrap(targets), optional(weight), static_cast<int64_t>(reduction),
                                   -100, label_smoothing))
}

ct_tensor ct_nn_mse_loss(ct_tensor a, ct_tensor b, ct_reduction reduction) {
  CT_TENSOR(at::mse_loss(unwrap(a), unwrap(b), static_cast<int64_t>(reduction)))
}

int ct_nn_lstm(ct_tensor x, ct_tensor h0, ct_tensor c0, const ct_tensor *params, int nparams, int64_t layers,
               double dropout, int training, int bidirectional, int batch_first, ct_tensor *out_y, ct_tensor *out_h,
               ct_tensor *out_c) {
  CT_STATUS({
    required(out_y, "output pointer");
    required(out_h, "output pointer");
    required(out_c, "output pointer");
    const auto &input = unwrap(x);
    auto weights = tensor_list(params, nparams);
    const int64_t hidden = hidden_size(weights, 4);
    at::Tensor h = h0 ? unwrap(h0) : zero_state(input, layers, bidirectional != 0, batch_first != 0, hidden);
    at::Tensor c = c0 ? unwrap(c0) : zero_state(input, layers, bidirectional != 0, batch_first != 0, hidden);
    const bool has_biases = static_cast<int64_t>(weights.size()) == layers * (bidirectional ? 2 : 1) * 4;
    // Recording autograd: one node per layer with batched weight gradients (ctorch_lstm_training.cpp).
    auto result = ctorch::recurrent_training_applies(input, weights, layers, bidirectional != 0)
                      ? ctorch::lstm_training(input, h, c, weights, layers, dropout, training != 0, batch_first != 0)
                      : at::lstm(input, {h, c}, weights, has_biases, layers, dropout, training != 0, bidirectional != 0,
                                 batch_first != 0);
    auto y = owned(std::get<0>(result));
    auto h_n = owned(std::get<1>(result));
    auto c_n = owned(std::get<2>(result));
    *out_y = y.release();
    *out_h = h_n.release();
    *out_c = c_n.release();
  })
}

int ct_nn_gru(ct_tensor x, ct_tensor h0, const ct_tensor *params, int nparams, int64_t layers, double dropout,
              int training, int bidirectional, int batch_first, ct_tensor *out_y, ct_tensor *out_h) {
  CT_STATUS({
    required(out_y, "output pointer");
    required(out_h, "output pointer");
    const auto &input = unwrap(x);
    auto weights = tensor_list(params, nparams);
    const int64_t hidden = hidden_size(weights, 3);
    at::Tensor h = h0 ? unwrap(h0) : zero_state(input, layers, bidirectional != 0, batch_first != 0, hidden);
    const bool has_biases = static_cast<int64_t>(weights.size()) == layers * (bidirectional ? 2 : 1) * 4;
    // Recording autograd: one node per layer with batched weight gradients (ctorch_gru_training.cpp).
    auto result = ctorch::recurrent_training_applies(input, weights, layers, bidirectional != 0)
                      ? ctorch::gru_training(input, h, weights, layers, dropout, training != 0, batch_first != 0)
                      : at::gru(input, h, weights, has_biases, layers, dropout, training != 0, bidirectional != 0,
                                batch_first != 0);
    auto y = owned(std::get<0>(result));
    auto h_n = owned(std::get<1>(result));
    *out_y = y.release();
    *out_h = h_n.release();
  })
}

ct_tensor ct_nn_attention(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor mask, double dropout, int training,
                          ct_tensor *out_weights) {
  CT_PROTECT(nullptr, {
    const auto &query = unwrap(q);
    at::Tensor scores = at::matmul(query, unwrap(k).transpose(-2, -1)) / std::sqrt(static_cast<double>(query.size(-1)));
    if (mask != nullptr) scores = scores + unwrap(mask);
    at::Tensor weights = at::softmax(scores, -1);
    auto output = owned(at::matmul(ctorch::dropout(weights, dropout, training != 0), unwrap(v)));
    if (out_weights != nullptr) *out_weights = ctorch::wrap(weights.detach());
    return output.release();
  })
}

/* ---- mixed precision ---- */

int ct_convolution_as_products(void) { return ctorch::convolution_as_products() ? 1 : 0; }

void ct_convolution_as_products_force(int as_products) {
  ctorch::force_convolution_as_products(as_products < 0 ? std::nullopt : std::optional<bool>(as_products == 1));
}

int ct_float32_convolution_as_products(void) { return ctorch::float32_convolution_as_products() ? 1 : 0; }

void ct_float32_convolution_as_products_force(int as_products) {
  ctorch::force_float32_convolution_as_products(as_products < 0 ? std::nullopt
                                                                : std::optional<bool>(as_products == 1));
}

int ct_autocast_set(int device, int enabled, ct_dtype dtype) {
  CT_PROTECT(-1, {
    const at::ScalarType type = ctorch::scalar_type(dtype);
    if (device == 0) {
      const bool previous = at::autocast::is_cpu_enabled();
      at::autocast::set_cpu_enabled(enabled != 0);
      at::autocast::set_autocast_cpu_dtype(type);
      return previous ? 1 : 0;
    }
    const bool previous = at::autocast::is_enabled();
    at::autocast::set_enabled(enabled != 0);
    at::autocast::set_autocast_gpu_dtype(type);
    return previous ? 1 : 0;
  })
}

int ct_autocast_enabled(int device) {
  CT_PROTECT(-1, { return (device == 0 ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled()) ? 1 : 0; })
}

int ct_autocast_clear_cache(void) { CT_STATUS(at::autocast::clear_cache()) }

/* ---- state serialisation ---- */

int ct_state_save(const char *path, const char *const *names, const ct_tensor *tensors, int n) {
  CT_STATUS({
    required(path, "path");
    const auto bytes = serialise(names, tensors, n);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(std::string("cannot open '") + path + "' for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw std::runtime_error(std::string("writing '") + path + "' failed (disk full?)");
  })
}

void *ct_state_save_buffer(const char *const *names, const ct_tensor *tensors, int n, size_t *size) {
  CT_PROTECT(nullptr, {
    required(size, "size pointer");
    const auto bytes = serialise(names, tensors, n);
    void *out = std::malloc(bytes.size() == 0 ? 1 : bytes.size());
    if (out == nullptr) throw std::bad_alloc();
    std::memcpy(out, bytes.data(), bytes.size());
    *size = bytes.size();
    return out;
  })
}

ct_state ct_state_load(const char *path) {
  CT_PROTECT(nullptr, {
    std::ifstream in(required(path, "path"), std::ios::binary);
    if (!in) throw std::runtime_error(std::string("cannot open '") + path + "'");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return make_state(read_archive(bytes.data(), bytes.size()));
  })
}

ct_state ct_state_load_buffer(const void *data, size_t size) {
  CT_PROTECT(nullptr, {
    if (size > 0) required(data, "buffer");
    return make_state(read_archive(data, size));
  })
}

int ct_state_count(ct_state s) { CT_PROTECT(-1, { return static_cast<int>(unwrap_state(s).names.size()); }) }

const char *ct_state_name(ct_state s, int i) {
  CT_PROTECT(nullptr, { return entry(unwrap_state(s).names, i).c_str(); })
}

ct_tensor ct_state_tensor(ct_state s, int i) { CT_TENSOR(entry(unwrap_state(s).tensors, i)) }

void ct_state_free(ct_state s) { CT_PROTECT(CT_VOID, { delete s; return; }) }

}  // extern "C"
