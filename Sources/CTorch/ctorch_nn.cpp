// Fused layer kernels, mixed precision, and state serialisation compatible
// with Python's torch.save / torch.load.
#include "ctorch_internal.h"

#include <ATen/autocast_mode.h>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

using ctorch::ints;
using ctorch::optional;
using ctorch::unwrap;

struct ct_state_opaque {
  std::vector<std::string> names;
  std::vector<at::Tensor> tensors;
};

namespace {

std::vector<at::Tensor> params_list(const ct_tensor *params, int n) {
  std::vector<at::Tensor> list;
  for (int i = 0; i < n; ++i) list.push_back(unwrap(params[i]));
  return list;
}

/// Zeros of the hidden-state shape PyTorch's nn.LSTM/GRU use when h0 is omitted.
at::Tensor zero_state(const at::Tensor &x, int64_t layers, bool bidirectional, bool batch_first, int64_t hidden) {
  const int64_t batch = x.dim() == 3 ? x.size(batch_first ? 0 : 1) : 1;
  return at::zeros({layers * (bidirectional ? 2 : 1), batch, hidden}, x.options());
}

int64_t hidden_size(const std::vector<at::Tensor> &params, int gates) {
  if (params.size() < 2) throw std::invalid_argument("recurrent kernel needs at least w_ih and w_hh");
  return params[1].size(0) / gates;
}

ct_state make_state(const c10::IValue &value) {
  if (!value.isGenericDict()) throw std::runtime_error("the file does not hold a dict of tensors");
  auto state = std::make_unique<ct_state_opaque>();
  for (const auto &entry : value.toGenericDict()) {
    if (!entry.key().isString()) throw std::runtime_error("a key in the state dict is not a string");
    if (!entry.value().isTensor())
      throw std::runtime_error("entry '" + entry.key().toStringRef() + "' is not a tensor");
    state->names.push_back(entry.key().toStringRef());
    state->tensors.push_back(entry.value().toTensor());
  }
  return state.release();
}

std::vector<char> serialise(const char *const *names, const ct_tensor *tensors, int n) {
  c10::Dict<std::string, at::Tensor> dict;
  for (int i = 0; i < n; ++i) {
    if (names[i] == nullptr) throw std::invalid_argument("null name in state dict");
    dict.insert(names[i], unwrap(tensors[i]).detach().cpu());
  }
  return torch::pickle_save(c10::IValue(dict));
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
  CT_TENSOR(at::conv2d(unwrap(x), unwrap(w), optional(bias), ints(stride, 2), ints(padding, 2), ints(dilation, 2), groups))
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

ct_tensor ct_nn_dropout(ct_tensor x, double p, int training) { CT_TENSOR(at::dropout(unwrap(x), p, training != 0)) }
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
    const auto &input = unwrap(x);
    auto weights = params_list(params, nparams);
    const int64_t hidden = hidden_size(weights, 4);
    at::Tensor h = h0 ? unwrap(h0) : zero_state(input, layers, bidirectional != 0, batch_first != 0, hidden);
    at::Tensor c = c0 ? unwrap(c0) : zero_state(input, layers, bidirectional != 0, batch_first != 0, hidden);
    const bool has_biases = static_cast<int64_t>(weights.size()) == layers * (bidirectional ? 2 : 1) * 4;
    auto result = at::lstm(input, {h, c}, weights, has_biases, layers, dropout, training != 0, bidirectional != 0,
                           batch_first != 0);
    *out_y = ctorch::wrap(std::get<0>(result));
    *out_h = ctorch::wrap(std::get<1>(result));
    *out_c = ctorch::wrap(std::get<2>(result));
  })
}

int ct_nn_gru(ct_tensor x, ct_tensor h0, const ct_tensor *params, int nparams, int64_t layers, double dropout,
              int training, int bidirectional, int batch_first, ct_tensor *out_y, ct_tensor *out_h) {
  CT_STATUS({
    const auto &input = unwrap(x);
    auto weights = params_list(params, nparams);
    const int64_t hidden = hidden_size(weights, 3);
    at::Tensor h = h0 ? unwrap(h0) : zero_state(input, layers, bidirectional != 0, batch_first != 0, hidden);
    const bool has_biases = static_cast<int64_t>(weights.size()) == layers * (bidirectional ? 2 : 1) * 4;
    auto result = at::gru(input, h, weights, has_biases, layers, dropout, training != 0, bidirectional != 0,
                          batch_first != 0);
    *out_y = ctorch::wrap(std::get<0>(result));
    *out_h = ctorch::wrap(std::get<1>(result));
  })
}

ct_tensor ct_nn_attention(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor mask, double dropout, int training,
                          ct_tensor *out_weights) {
  CT_PROTECT(nullptr, {
    const auto &query = unwrap(q);
    at::Tensor scores = at::matmul(query, unwrap(k).transpose(-2, -1)) / std::sqrt(static_cast<double>(query.size(-1)));
    if (mask != nullptr) scores = scores + unwrap(mask);
    at::Tensor weights = at::softmax(scores, -1);
    if (out_weights != nullptr) *out_weights = ctorch::wrap(weights.detach());
    return ctorch::wrap(at::matmul(at::dropout(weights, dropout, training != 0), unwrap(v)));
  })
}

/* ---- mixed precision ---- */

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
  return (device == 0 ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled()) ? 1 : 0;
}

void ct_autocast_clear_cache(void) { at::autocast::clear_cache(); }

/* ---- state serialisation ---- */

int ct_state_save(const char *path, const char *const *names, const ct_tensor *tensors, int n) {
  CT_STATUS({
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
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(std::string("cannot open '") + path + "'");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return make_state(torch::pickle_load(bytes));
  })
}

ct_state ct_state_load_buffer(const void *data, size_t size) {
  CT_PROTECT(nullptr, {
    const char *begin = static_cast<const char *>(data);
    std::vector<char> bytes(begin, begin + size);
    return make_state(torch::pickle_load(bytes));
  })
}

int ct_state_count(ct_state s) { return s == nullptr ? 0 : static_cast<int>(s->names.size()); }

const char *ct_state_name(ct_state s, int i) {
  CT_PROTECT(nullptr, { return s->names.at(static_cast<size_t>(i)).c_str(); })
}

ct_tensor ct_state_tensor(ct_state s, int i) { CT_TENSOR(s->tensors.at(static_cast<size_t>(i))) }

void ct_state_free(ct_state s) { delete s; }

}  // extern "C"
