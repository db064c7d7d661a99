// The cache behind ctorch::cached_transpose (see ctorch_transposed_weights.h).
#include "ctorch_transposed_weights.h"

#include <c10/core/InferenceMode.h>
#include <c10/util/intrusive_ptr.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace {

/// One weight's transpose and what it was made from.
struct Entry {
  c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl> weight;
  int64_t version;
  const void *data;
  std::vector<int64_t> sizes;
  at::Tensor transposed;

  /// Whether this entry was made from `w` as it is now (`w` alive, so a live entry's TensorImpl is not a reused one).
  bool matches(const at::Tensor &w) const {
    return !weight.expired() && weight._unsafe_get_target() == w.unsafeGetTensorImpl() &&
           version == int64_t(w._version()) && data == w.data_ptr() && w.sizes().equals(sizes);
  }
};

std::mutex lock;
/// Never destroyed: the tensors must not be freed after libtorch's allocator at exit.
std::vector<Entry> &entries = *new std::vector<Entry>();

}  // namespace

namespace ctorch {

at::Tensor cached_transpose(const at::Tensor &weight) {
  if (!weight.defined() || weight.is_inference() || weight.dim() != 2) return at::Tensor();
  std::lock_guard<std::mutex> guard(lock);
  for (const Entry &entry : entries)
    if (entry.matches(weight)) return entry.transposed;
  // A miss: drop the dead weights' entries and this weight's stale one, then make the transpose as an ordinary
  // tensor without history, even inside inference mode (an inference tensor could not be used outside it).
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const Entry &entry) {
                                 return entry.weight.expired() ||
                                        entry.weight._unsafe_get_target() == weight.unsafeGetTensorImpl();
                               }),
                entries.end());
  c10::InferenceMode normal_tensors(false);
  at::NoGradGuard no_history;
  at::Tensor transposed = weight.t().contiguous();
  entries.push_back(Entry{c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>(weight.getIntrusivePtr()),
                          int64_t(weight._version()), weight.data_ptr(), weight.sizes().vec(), transposed});
  return transposed;
}

size_t cached_transpose_entries() {
  std::lock_guard<std::mutex> guard(lock);
  return entries.size();
}

}  // namespace ctorch

extern "C" int64_t ct_recurrent_inference_cached_weights(void) {
  return int64_t(ctorch::cached_transpose_entries());
}
