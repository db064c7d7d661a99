// Tensors: creation, copies, queries, elementwise ops, reductions, shapes,
// autograd and process-wide settings.
#include "ctorch_internal.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace {
thread_local std::string last_error;
thread_local bool has_error = false;

at::TensorOptions options(ct_dtype dtype) { return at::TensorOptions().dtype(ctorch::scalar_type(dtype)); }

/// A malloc'd copy (the caller frees it with free()).
char *copy_string(const std::string &s) {
  char *out = static_cast<char *>(std::malloc(s.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

at::Tensor unary(const at::Tensor &t, ct_unary_op op) {
  switch (op) {
    case CT_RELU: return at::relu(t);
    case CT_GELU: return at::gelu(t);
    case CT_SIGMOID: return at::sigmoid(t);
    case CT_TANH: return at::tanh(t);
    case CT_EXP: return at::exp(t);
    case CT_LOG: return at::log(t);
    case CT_NEG: return at::neg(t);
    case CT_ABS: return at::abs(t);
    case CT_SQRT: return at::sqrt(t);
    case CT_RSQRT: return at::rsqrt(t);
    case CT_SIGN: return at::sign(t);
    case CT_SQUARE: return at::square(t);
    case CT_ISFINITE: return at::isfinite(t);
    case CT_FLOOR: return at::floor(t);
    case CT_ROUND: return at::round(t);
    case CT_LOGICAL_NOT: return at::logical_not(t);
    case CT_SIN: return at::sin(t);
    case CT_COS: return at::cos(t);
    case CT_ELU: return at::elu(t);
    case CT_SILU: return at::silu(t);
    case CT_ISNAN: return at::isnan(t);
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(op));
}

at::Tensor binary(const at::Tensor &a, const at::Tensor &b, ct_binary_op op) {
  switch (op) {
    case CT_ADD: return at::add(a, b);
    case CT_SUB: return at::sub(a, b);
    case CT_MUL: return at::mul(a, b);
    case CT_DIV: return at::div(a, b);
    case CT_POW: return at::pow(a, b);
    case CT_MAXIMUM: return at::maximum(a, b);
    case CT_MINIMUM: return at::minimum(a, b);
    case CT_EQ: return at::eq(a, b);
    case CT_NE: return at::ne(a, b);
    case CT_LT: return at::lt(a, b);
    case CT_LE: return at::le(a, b);
    case CT_GT: return at::gt(a, b);
    case CT_GE: return at::ge(a, b);
    case CT_MATMUL: return at::matmul(a, b);
    case CT_BMM: return at::bmm(a, b);
    case CT_LOGICAL_AND: return at::logical_and(a, b);
    case CT_LOGICAL_OR: return at::logical_or(a, b);
    case CT_REMAINDER: return at::remainder(a, b);
  }
  throw std::invalid_argument("unknown binary op " + std::to_string(op));
}

at::Tensor binary_scalar(const at::Tensor &a, const at::Scalar &s, ct_binary_op op) {
  switch (op) {
    case CT_ADD: return at::add(a, s);
    case CT_SUB: return at::sub(a, s);
    case CT_MUL: return at::mul(a, s);
    case CT_DIV: return at::div(a, s);
    case CT_POW: return at::pow(a, s);
    case CT_EQ: return at::eq(a, s);
    case CT_NE: return at::ne(a, s);
    case CT_LT: return at::lt(a, s);
    case CT_LE: return at::le(a, s);
    case CT_GT: return at::gt(a, s);
    case CT_GE: return at::ge(a, s);
    case CT_REMAINDER: return at::remainder(a, s);
    case CT_MAXIMUM: return at::clamp_min(a, s);
    case CT_MINIMUM: return at::clamp_max(a, s);
    default: break;
  }
  throw std::invalid_argument("binary op " + std::to_string(op) + " does not take a scalar");
}

at::Tensor reduce(const at::Tensor &t, ct_reduce_op op, at::IntArrayRef dims, bool keep, bool unbiased) {
  const bool all = dims.empty();
  switch (op) {
    case CT_SUM: return all ? (keep ? t.sum(c10::IntArrayRef(), true) : t.sum()) : t.sum(dims, keep);
    case CT_MEAN: return all ? t.mean() : t.mean(dims, keep);
    case CT_MAX:
      if (all) return t.max();
      if (dims.size() == 1) return std::get<0>(t.max(dims[0], keep));
      return t.amax(dims, keep);
    case CT_MIN:
      if (all) return t.min();
      if (dims.size() == 1) return std::get<0>(t.min(dims[0], keep));
      return t.amin(dims, keep);
    case CT_ARGMAX:
      if (dims.size() > 1) throw std::invalid_argument("argmax takes one dimension");
      return all ? t.argmax() : t.argmax(dims[0], keep);
    case CT_ARGMIN:
      if (dims.size() > 1) throw std::invalid_argument("argmin takes one dimension");
      return all ? t.argmin() : t.argmin(dims[0], keep);
    case CT_VAR: return all ? t.var(unbiased) : t.var(dims, unbiased, keep);
    case CT_STD: return all ? t.std(unbiased) : t.std(dims, unbiased, keep);
    case CT_LOGSUMEXP: {
      std::vector<int64_t> every;
      for (int64_t i = 0; i < t.dim(); ++i) every.push_back(i);
      return t.logsumexp(all ? at::IntArrayRef(every) : dims, keep);
    }
    case CT_PROD:
      if (all) return t.prod();
      if (dims.size() > 1) throw std::invalid_argument("prod takes one dimension");
      return t.prod(dims[0], keep);
    case CT_ALL:
      if (all) return t.all();
      if (dims.size() > 1) throw std::invalid_argument("all takes one dimension");
      return t.all(dims[0], keep);
    case CT_ANY:
      if (all) return t.any();
      if (dims.size() > 1) throw std::invalid_argument("any takes one dimension");
      return t.any(dims[0], keep);
    case CT_NORM: return all ? t.norm() : at::norm(t, 2, dims, keep);
  }
  throw std::invalid_argument("unknown reduction " + std::to_string(op));
}

/// A whole-number scalar stays integral for integer tensors (in-place ops on them reject floating scalars).
at::Scalar scalar_for(const at::Tensor &t, double value) {
  if (!at::isFloatingType(t.scalar_type()) && std::nearbyint(value) == value) return at::Scalar(static_cast<int64_t>(value));
  return at::Scalar(value);
}

}  // namespace

namespace ctorch {

void set_error(const char *message) noexcept {
  try {
    last_error = message;
  } catch (...) {  // no memory for the message: keep what fits in the string's own storage
    last_error.clear();
    try { last_error = "out of memory"; } catch (...) {}
  }
  has_error = true;
}

std::vector<at::Tensor> tensor_list(const ct_tensor *handles, int n) {
  if (n < 0) throw std::invalid_argument("negative count " + std::to_string(n));
  if (n > 0 && handles == nullptr) throw std::invalid_argument("null array of " + std::to_string(n) + " tensor handles");
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) list.push_back(unwrap(handles[i]));
  return list;
}

at::ScalarType scalar_type(ct_dtype dtype) {
  switch (dtype) {
    case CT_FLOAT32: return at::kFloat;
    case CT_FLOAT64: return at::kDouble;
    case CT_INT64: return at::kLong;
    case CT_INT32: return at::kInt;
    case CT_BOOL: return at::kBool;
    case CT_BFLOAT16: return at::kBFloat16;
    case CT_FLOAT16: return at::kHalf;
    case CT_UINT8: return at::kByte;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
}

ct_dtype dtype_code(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return CT_FLOAT32;
    case at::kDouble: return CT_FLOAT64;
    case at::kLong: return CT_INT64;
    case at::kInt: return CT_INT32;
    case at::kBool: return CT_BOOL;
    case at::kBFloat16: return CT_BFLOAT16;
    case at::kHalf: return CT_FLOAT16;
    case at::kByte: return CT_UINT8;
    default: break;
  }
  throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(type) +
                              " (CTorch handles float32, float64, int64, int32, bool, bfloat16, float16 and uint8)");
}

}  // namespace ctorch

using ctorch::ints;
using ctorch::optional;
using ctorch::required;
using ctorch::tensor_list;
using ctorch::unwrap;
using ctorch::unwrap_mutable;

extern "C" {

char *ct_error_take(void) {
  CT_PROTECT(nullptr, {
    if (!has_error) return nullptr;
    char *message = copy_string(last_error);
    has_error = false;
    return message;
  })
}

/* ---- creation, copies, queries ---- */

ct_tensor ct_tensor_from_blob(const void *data, const int64_t *shape, int ndim, ct_dtype dtype) {
  CT_TENSOR(at::from_blob(const_cast<void *>(data), ints(shape, ndim), options(dtype)).clone())
}

ct_tensor ct_tensor_full(const int64_t *shape, int ndim, double value, ct_dtype dtype) {
  CT_TENSOR(at::full(ints(shape, ndim), value, options(dtype)))
}

ct_tensor ct_tensor_randn(const int64_t *shape, int ndim, ct_dtype dtype) {
  CT_TENSOR(at::randn(ints(shape, ndim), options(dtype)))
}

ct_tensor ct_tensor_rand(const int64_t *shape, int ndim, ct_dtype dtype) {
  CT_TENSOR(at::rand(ints(shape, ndim), options(dtype)))
}

ct_tensor ct_tensor_randint(int64_t low, int64_t high, const int64_t *shape, int ndim) {
  CT_TENSOR(at::randint(low, high, ints(shape, ndim), at::TensorOptions().dtype(at::kLong)))
}

ct_tensor ct_tensor_randperm(int64_t n) { CT_TENSOR(at::randperm(n, at::TensorOptions().dtype(at::kLong))) }

ct_tensor ct_tensor_arange(double start, double end, double step, ct_dtype dtype) {
  CT_TENSOR(at::arange(start, end, step, options(dtype)))
}

ct_tensor ct_tensor_bernoulli(ct_tensor p) { CT_TENSOR(at::bernoulli(unwrap(p))) }

int ct_tensor_uniform_(ct_tensor t, double low, double high) {
  CT_STATUS(at::NoGradGuard guard; unwrap(t).uniform_(low, high))
}

int ct_tensor_normal_(ct_tensor t, double mean, double std) {
  CT_STATUS(at::NoGradGuard guard; unwrap(t).normal_(mean, std))
}

int ct_tensor_copy_to(ct_tensor t, void *out, size_t bytes, ct_dtype dtype) {
  CT_STATUS({
    at::Tensor src = unwrap(t).detach().to(at::kCPU, ctorch::scalar_type(dtype)).contiguous();
    const size_t need = static_cast<size_t>(src.numel()) * src.element_size();
    if (need != bytes)
      throw std::invalid_argument("copy_to: tensor holds " + std::to_string(need) + " bytes, buffer has " +
                                  std::to_string(bytes));
    if (need > 0) std::memcpy(required(out, "output buffer"), src.data_ptr(), need);
  })
}

void ct_tensor_free(ct_tensor t) { CT_PROTECT(CT_VOID, { delete t; return; }) }

ct_tensor ct_tensor_alias(ct_tensor t) { CT_TENSOR(unwrap(t)) }

int ct_tensor_set_data(ct_tensor t, ct_tensor src) {
  CT_STATUS(unwrap_mutable(t).set_data(unwrap(src)))
}

int ct_tensor_ndim(ct_tensor t) { CT_PROTECT(-1, { return static_cast<int>(unwrap(t).dim()); }) }

namespace {
/// Writes `values` (sizes or strides) into `out`, which has room for `cap`; a smaller buffer is an error.
int write_dims(at::IntArrayRef values, int64_t *out, int cap) {
  const auto n = static_cast<int64_t>(values.size());
  if (cap < n)
    throw std::invalid_argument("buffer for " + std::to_string(cap) + " dimensions, the tensor has " + std::to_string(n));
  if (n > 0) std::copy(values.begin(), values.end(), required(out, "output buffer"));
  return static_cast<int>(n);
}
}  // namespace

int ct_tensor_shape(ct_tensor t, int64_t *out, int cap) { CT_PROTECT(-1, { return write_dims(unwrap(t).sizes(), out, cap); }) }

int ct_tensor_strides(ct_tensor t, int64_t *out, int cap) { CT_PROTECT(-1, { return write_dims(unwrap(t).strides(), out, cap); }) }

int ct_tensor_dtype(ct_tensor t) { CT_PROTECT(-1, { return ctorch::dtype_code(unwrap(t).scalar_type()); }) }

int64_t ct_tensor_numel(ct_tensor t) { CT_PROTECT(-1, { return unwrap(t).numel(); }) }

int ct_tensor_device(ct_tensor t, int *index) {
  CT_PROTECT(-1, {
    const auto device = unwrap(t).device();
    if (index != nullptr) *index = device.has_index() ? device.index() : 0;
    return device.is_cuda() ? 1 : 0;
  })
}

int ct_tensor_is_contiguous(ct_tensor t) { CT_PROTECT(-1, { return unwrap(t).is_contiguous() ? 1 : 0; }) }

char *ct_tensor_describe(ct_tensor t) {
  CT_PROTECT(nullptr, {
    std::ostringstream s;
    s << unwrap(t);
    return copy_string(s.str());
  })
}

int ct_tensor_item(ct_tensor t, double *out) {
  CT_STATUS({
    const double value = unwrap(t).item<double>();
    *required(out, "output pointer") = value;
  })
}

/* ---- elementwise and linear algebra ---- */

ct_tensor ct_tensor_unary(ct_tensor t, ct_unary_op op) { CT_TENSOR(unary(unwrap(t), op)) }

ct_tensor ct_tensor_binary(ct_tensor a, ct_tensor b, ct_binary_op op) { CT_TENSOR(binary(unwrap(a), unwrap(b), op)) }

ct_tensor ct_tensor_binary_scalar(ct_tensor a, double s, ct_binary_op op) {
  CT_TENSOR(binary_scalar(unwrap(a), at::Scalar(s), op))
}

ct_tensor ct_tensor_scalar_binary(double s, ct_tensor a, ct_binary_op op) {
  CT_PROTECT(nullptr, {
    const auto &x = unwrap(a);
    switch (op) {
      case CT_SUB: return ctorch::wrap(at::rsub(x, s));
      case CT_DIV: return ctorch::wrap(at::reciprocal(x) * s);
      case CT_POW: return ctorch::wrap(at::pow(at::Scalar(s), x));
      default: return ctorch::wrap(binary_scalar(x, at::Scalar(s), op));
    }
  })
}

ct_tensor ct_tensor_clamp(ct_tensor t, double low, double high) { CT_TENSOR(at::clamp(unwrap(t), low, high)) }

ct_tensor ct_tensor_where(ct_tensor condition, ct_tensor a, ct_tensor b) {
  CT_TENSOR(at::where(unwrap(condition), unwrap(a), unwrap(b)))
}

ct_tensor ct_tensor_leaky_relu(ct_tensor t, double slope) { CT_TENSOR(at::leaky_relu(unwrap(t), slope)) }

int ct_tensor_add_(ct_tensor a, ct_tensor b, double alpha) { CT_STATUS(unwrap(a).add_(unwrap(b), scalar_for(unwrap(a), alpha))) }
int ct_tensor_mul_scalar_(ct_tensor a, double s) { CT_STATUS(unwrap(a).mul_(scalar_for(unwrap(a), s))) }
int ct_tensor_mul_(ct_tensor a, ct_tensor b) { CT_STATUS(unwrap(a).mul_(unwrap(b))) }
int ct_tensor_addcmul_(ct_tensor a, ct_tensor t1, ct_tensor t2, double value) {
  CT_STATUS(unwrap(a).addcmul_(unwrap(t1), unwrap(t2), value))
}
int ct_tensor_addcdiv_(ct_tensor a, ct_tensor t1, ct_tensor t2, double value) {
  CT_STATUS(unwrap(a).addcdiv_(unwrap(t1), unwrap(t2), value))
}
int ct_tensor_copy_(ct_tensor dst, ct_tensor src) {
  CT_STATUS(at::NoGradGuard guard; unwrap(dst).copy_(unwrap(src)))
}
int ct_tensor_fill_(ct_tensor t, double value) { CT_STATUS(at::NoGradGuard guard; unwrap(t).fill_(value)) }
int ct_tensor_zero_(ct_tensor t) { CT_STATUS(at::NoGradGuard guard; unwrap(t).zero_()) }

/* ---- reductions ---- */

ct_tensor ct_tensor_reduce(ct_tensor t, ct_reduce_op op, const int64_t *dims, int ndims, int keepdim, int unbiased) {
  CT_TENSOR(reduce(unwrap(t), op, ints(dims, ndims), keepdim != 0, unbiased != 0))
}

/* ---- shape and indexing ---- */

ct_tensor ct_tensor_reshape(ct_tensor t, const int64_t *shape, int ndim) { CT_TENSOR(unwrap(t).reshape(ints(shape, ndim))) }
ct_tensor ct_tensor_view(ct_tensor t, const int64_t *shape, int ndim) { CT_TENSOR(unwrap(t).view(ints(shape, ndim))) }
ct_tensor ct_tensor_permute(ct_tensor t, const int64_t *dims, int ndim) { CT_TENSOR(unwrap(t).permute(ints(dims, ndim))) }
ct_tensor ct_tensor_expand(ct_tensor t, const int64_t *shape, int ndim) { CT_TENSOR(unwrap(t).expand(ints(shape, ndim))) }
ct_tensor ct_tensor_repeat(ct_tensor t, const int64_t *repeats, int ndim) { CT_TENSOR(unwrap(t).repeat(ints(repeats, ndim))) }
ct_tensor ct_tensor_transpose(ct_tensor t, int64_t d0, int64_t d1) { CT_TENSOR(unwrap(t).transpose(d0, d1)) }
ct_tensor ct_tensor_contiguous(ct_tensor t) { CT_TENSOR(unwrap(t).contiguous()) }

ct_tensor ct_tensor_squeeze(ct_tensor t, int64_t dim) {
  CT_TENSOR(dim == INT64_MIN ? unwrap(t).squeeze() : unwrap(t).squeeze(dim))
}

ct_tensor ct_tensor_unsqueeze(ct_tensor t, int64_t dim) { CT_TENSOR(unwrap(t).unsqueeze(dim)) }
ct_tensor ct_tensor_flatten(ct_tensor t, int64_t start, int64_t end) { CT_TENSOR(unwrap(t).flatten(start, end)) }
ct_tensor ct_tensor_cat(const ct_tensor *ts, int n, int64_t dim) { CT_TENSOR(at::cat(tensor_list(ts, n), dim)) }
ct_tensor ct_tensor_stack(const ct_tensor *ts, int n, int64_t dim) { CT_TENSOR(at::stack(tensor_list(ts, n), dim)) }

ct_tensor ct_tensor_narrow(ct_tensor t, int64_t dim, int64_t start, int64_t length) {
  CT_TENSOR(unwrap(t).narrow(dim, start, length))
}

ct_tensor ct_tensor_slice(ct_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  CT_TENSOR(unwrap(t).slice(dim, start, end, step))
}

ct_tensor ct_tensor_select(ct_tensor t, int64_t dim, int64_t index) { CT_TENSOR(unwrap(t).select(dim, index)) }

ct_tensor ct_tensor_index_select(ct_tensor t, int64_t dim, ct_tensor index) {
  CT_PROTECT(nullptr, {
    const auto &self = unwrap(t);
    const auto &indices = unwrap(index);
    const int64_t axis = c10::maybe_wrap_dim(dim, self.dim());
    const int64_t size = self.dim() == 0 ? 1 : self.size(axis);
    if (indices.numel() > 0 && !at::isFloatingType(indices.scalar_type())) {
      const int64_t low = indices.min().item<int64_t>();
      const int64_t high = indices.max().item<int64_t>();
      const int64_t bad = high >= size ? high : low;
      if (high >= size || low < 0)
        throw std::out_of_range("index_select(): index " + std::to_string(bad) + " is out of range for dimension " +
                                std::to_string(axis) + " of size " + std::to_string(size));
    }
    return ctorch::wrap(self.index_select(dim, indices));
  })
}

ct_tensor ct_tensor_gather(ct_tensor t, int64_t dim, ct_tensor index) { CT_TENSOR(unwrap(t).gather(dim, unwrap(index))) }
ct_tensor ct_tensor_flip(ct_tensor t, const int64_t *dims, int ndims) { CT_TENSOR(unwrap(t).flip(ints(dims, ndims))) }
ct_tensor ct_tensor_one_hot(ct_tensor labels, int64_t classes) { CT_TENSOR(at::one_hot(unwrap(labels), classes)) }
ct_tensor ct_tensor_clone(ct_tensor t) { CT_TENSOR(unwrap(t).clone()) }
ct_tensor ct_tensor_detach(ct_tensor t) { CT_TENSOR(unwrap(t).detach()) }
ct_tensor ct_tensor_to_dtype(ct_tensor t, ct_dtype dtype) { CT_TENSOR(unwrap(t).to(ctorch::scalar_type(dtype))) }

ct_tensor ct_tensor_to_device(ct_tensor t, int device, int index) {
  CT_PROTECT(nullptr, {
    if (device == 1 && !torch::cuda::is_available())
      throw std::runtime_error("CUDA is not available in this libtorch build or on this machine");
    const at::Device target = device == 1 ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)) : at::Device(at::kCPU);
    return ctorch::wrap(unwrap(t).to(target));
  })
}

ct_tensor ct_tensor_memory_format(ct_tensor t, int channels_last) {
  CT_TENSOR(unwrap(t).contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous))
}

/* ---- autograd ---- */

int ct_autograd_set_requires_grad(ct_tensor t, int on) { CT_STATUS(unwrap_mutable(t).set_requires_grad(on != 0)) }
int ct_autograd_requires_grad(ct_tensor t) { CT_PROTECT(-1, { return unwrap(t).requires_grad() ? 1 : 0; }) }

char *ct_autograd_grad_fn_name(ct_tensor t) {
  CT_PROTECT(nullptr, {
    const auto &function = unwrap(t).grad_fn();
    return copy_string(function ? function->name() : std::string());
  })
}

int ct_autograd_backward(ct_tensor t, ct_tensor grad, int retain_graph) {
  CT_STATUS(unwrap(t).backward(optional(grad), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt))
}

int ct_autograd_grad(ct_tensor t, ct_tensor *out) {
  CT_STATUS({
    required(out, "output pointer");
    const at::Tensor &g = unwrap(t).grad();
    *out = g.defined() ? ctorch::wrap(g) : nullptr;
  })
}

int ct_autograd_clear_grad(ct_tensor t) { CT_STATUS(unwrap_mutable(t).mutable_grad() = at::Tensor()) }

int ct_autograd_set_enabled(int on) {
  CT_PROTECT(-1, {
    const bool previous = at::GradMode::is_enabled();
    at::GradMode::set_enabled(on != 0);
    return previous ? 1 : 0;
  })
}

int ct_autograd_is_enabled(void) { CT_PROTECT(-1, { return at::GradMode::is_enabled() ? 1 : 0; }) }

void *ct_inference_mode_enter(void) { CT_PROTECT(nullptr, { return new c10::InferenceMode(); }) }

int ct_inference_mode_exit(void *guard) {
  CT_STATUS(delete static_cast<c10::InferenceMode *>(required(guard, "inference mode guard")))
}

/* ---- process-wide settings ---- */

int ct_manual_seed(uint64_t seed) { CT_STATUS(torch::manual_seed(seed)) }

ct_tensor ct_rng_get_state(void) {
  CT_TENSOR(at::detail::getDefaultCPUGenerator().get_state())
}

int ct_rng_set_state(ct_tensor state) {
  CT_STATUS({
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(unwrap(state));
  })
}

int ct_set_num_threads(int n) { CT_STATUS({
  if (n < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(n));
  at::set_num_threads(n);
}) }

int ct_get_num_threads(void) { CT_PROTECT(-1, { return at::get_num_threads(); }) }
int ct_cuda_is_available(void) { CT_PROTECT(-1, { return torch::cuda::is_available() ? 1 : 0; }) }
int ct_cuda_device_count(void) { CT_PROTECT(-1, { return static_cast<int>(torch::cuda::device_count()); }) }
const char *ct_version(void) { CT_PROTECT(nullptr, { return TORCH_VERSION; }) }
int ct_has_mkldnn(void) { CT_PROTECT(-1, { return at::hasMKLDNN() ? 1 : 0; }) }

}  // extern "C"
