// Private to CTorch: the PROTECT macro, handle conversions and shared helpers.
#pragma once

#include <torch/torch.h>
#include <memory>
#include <string>
#include <vector>
#include "CTorch.h"

struct ct_tensor_opaque {
  at::Tensor tensor;
};

namespace ctorch {

/// Stores a failure message in this thread's slot. Never throws (it runs inside catch handlers).
void set_error(const char *message) noexcept;

/// A new handle owned by a unique_ptr until it is handed out: an entry point with several outputs makes them all
/// first and releases them into the out-parameters last, so a failure leaves no output written and nothing leaked.
inline std::unique_ptr<ct_tensor_opaque> owned(at::Tensor t) {
  return std::unique_ptr<ct_tensor_opaque>(new ct_tensor_opaque{std::move(t)});
}

inline ct_tensor wrap(at::Tensor t) { return owned(std::move(t)).release(); }

inline const at::Tensor &unwrap(ct_tensor t) {
  if (t == nullptr) throw std::invalid_argument("null tensor handle");
  return t->tensor;
}

/// The tensor a handle holds, to change in place (set_data, set_requires_grad, the gradient slot).
inline at::Tensor &unwrap_mutable(ct_tensor t) {
  if (t == nullptr) throw std::invalid_argument("null tensor handle");
  return t->tensor;
}

/// A pointer argument the call cannot do without (an out-parameter, a path, a buffer).
template <typename T> T *required(T *pointer, const char *what) {
  if (pointer == nullptr) throw std::invalid_argument(std::string("null ") + what);
  return pointer;
}

/// An optional tensor argument: NULL becomes an undefined tensor.
inline at::Tensor optional(ct_tensor t) { return t == nullptr ? at::Tensor() : t->tensor; }

/// `n` values at `values` (NULL only when n is 0).
inline at::IntArrayRef ints(const int64_t *values, int n) {
  if (n < 0) throw std::invalid_argument("negative count " + std::to_string(n));
  if (n > 0 && values == nullptr) throw std::invalid_argument("null array of " + std::to_string(n) + " values");
  return at::IntArrayRef(values, static_cast<size_t>(n));
}

/// The tensors of `n` handles at `handles` (none may be NULL).
std::vector<at::Tensor> tensor_list(const ct_tensor *handles, int n);

at::ScalarType scalar_type(ct_dtype dtype);
/// The code of a dtype CTorch supports; throws naming any other.
ct_dtype dtype_code(at::ScalarType type);

/// Why a recurrent layer's input and weights do not suit the shim's own LSTM/GRU paths (inference, LSTM training), or
/// an empty string: a non-empty batched 3-D dense CPU input of float32 or float64, and 4 dense CPU tensors of its dtype
/// (w_ih, w_hh, b_ih, b_hh) per layer. Defined in ctorch_recurrent.cpp.
std::string recurrent_arguments_unmet(const at::Tensor &x, const std::vector<at::Tensor> &params, int64_t layers);

/// The type the shim's hand-written elementwise passes compute in: float64 for float64 activations, float32 for
/// float32 and bfloat16 (which is widened so sums and statistics keep float32 accuracy).
inline at::ScalarType compute_type(const at::Tensor &x) { return x.scalar_type() == at::kDouble ? at::kDouble : at::kFloat; }

}  // namespace ctorch

/// Runs `body`; any exception becomes the thread's error message and `sentinel` is returned.
/// Every entry point's body runs inside it (CT_VOID as the sentinel of the few that return nothing).
#define CT_PROTECT(sentinel, body)                                    \
  try {                                                               \
    body                                                              \
  } catch (const c10::Error &e) {                                     \
    ctorch::set_error(e.what_without_backtrace());                    \
  } catch (const std::exception &e) {                                 \
    ctorch::set_error(e.what());                                      \
  } catch (...) {                                                     \
    ctorch::set_error("unknown C++ exception in libtorch");           \
  }                                                                   \
  return sentinel;

/// The sentinel of an entry point returning void: `return ;`.
#define CT_VOID

/// The common case: a function returning a new tensor handle.
#define CT_TENSOR(expr) CT_PROTECT(nullptr, { return ctorch::wrap(expr); })
/// A function returning a status code (0 on success).
#define CT_STATUS(stmts) CT_PROTECT(-1, { stmts; return 0; })
