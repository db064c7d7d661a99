// Private to CTorch: the PROTECT macro, handle conversions and shared helpers.
#pragma once

#include <torch/torch.h>
#include <string>
#include <vector>
#include "CTorch.h"

struct ct_tensor_opaque {
  at::Tensor tensor;
};

namespace ctorch {

/// Stores a failure message in this thread's slot.
void set_error(const std::string &message);

inline ct_tensor wrap(at::Tensor t) { return new ct_tensor_opaque{std::move(t)}; }

inline const at::Tensor &unwrap(ct_tensor t) {
  if (t == nullptr) throw std::invalid_argument("null tensor handle");
  return t->tensor;
}

/// An optional tensor argument: NULL becomes an undefined tensor.
inline at::Tensor optional(ct_tensor t) { return t == nullptr ? at::Tensor() : t->tensor; }

inline at::IntArrayRef ints(const int64_t *values, int n) {
  return at::IntArrayRef(values, static_cast<size_t>(n < 0 ? 0 : n));
}

at::ScalarType scalar_type(ct_dtype dtype);
ct_dtype dtype_code(at::ScalarType type);

}  // namespace ctorch

/// Runs `body`; any exception becomes the thread's error message and `sentinel` is returned.
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

/// The common case: a function returning a new tensor handle.
#define CT_TENSOR(expr) CT_PROTECT(nullptr, { return ctorch::wrap(expr); })
/// A function returning a status code (0 on success).
#define CT_STATUS(stmts) CT_PROTECT(-1, { stmts; return 0; })
