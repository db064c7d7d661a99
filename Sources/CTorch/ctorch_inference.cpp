// Inference-only forms of layers: batch norm folded into the convolution before it (issue 17, batch-1 latency).
#include "ctorch_inference.h"
#include "ctorch_internal.h"

#include <malloc.h>
#include <cstdlib>

using ctorch::owned;
using ctorch::required;
using ctorch::unwrap;

namespace {

/// The folded weight and bias (see ct_nn_fold_batch_norm); throws naming a mismatch.
std::pair<at::Tensor, at::Tensor> fold_batch_norm(const at::Tensor &w, const at::Tensor &b, const at::Tensor &gamma,
                                                  const at::Tensor &beta, const at::Tensor &mean, const at::Tensor &var,
                                                  double eps) {
  if (w.dim() == 0) throw std::invalid_argument("the convolution weight is a scalar, not one filter per output");
  const int64_t outputs = w.size(0);
  const std::pair<const at::Tensor *, const char *> norms[] = {
      {&gamma, "weight"}, {&beta, "bias"}, {&mean, "running_mean"}, {&var, "running_var"}};
  for (const auto &[t, name] : norms) {
    if (t->dim() != 1)
      throw std::invalid_argument(std::string("the batch norm's ") + name + " has " + std::to_string(t->dim()) +
                                  " dimensions, not 1 (one value per channel)");
    if (t->size(0) != outputs)
      throw std::invalid_argument(std::string("the batch norm's ") + name + " has " + std::to_string(t->size(0)) +
                                  " channels, the convolution " + std::to_string(outputs) + " outputs");
  }
  if (b.defined() && (b.dim() != 1 || b.size(0) != outputs))
    throw std::invalid_argument("the convolution bias does not have one value per output");
  if (!w.is_floating_point()) throw std::invalid_argument("the convolution weight is not floating point");
  // Ordinary tensors even when called inside inference mode, so the cache can serve later no_grad calls too.
  c10::InferenceMode normal(false);
  at::NoGradGuard no_grad;
  const auto wide = [](const at::Tensor &t) { return t.detach().to(at::kDouble); };
  const at::Tensor scale = wide(gamma) / (wide(var) + eps).sqrt();
  std::vector<int64_t> per_output(static_cast<size_t>(w.dim()), 1);
  per_output[0] = outputs;
  at::Tensor weight = (wide(w) * scale.view(per_output)).to(w.scalar_type()).contiguous();
  const at::Tensor shift = b.defined() ? wide(b) - wide(mean) : -wide(mean);
  return {weight, (shift * scale + wide(beta)).to(w.scalar_type())};
}

/// glibc serves allocations above a threshold (128 KiB at first, raised as such blocks are freed) with a fresh mmap
/// and gives freed memory at the top of the heap back above a trim threshold, so a batch-1 forward whose activations
/// are a few hundred KiB to a few MiB (`sa` on DSADS: 0.7–1.5 MiB per layer) took page faults and zeroed new pages on
/// every call: `perf` put 17% of a batch-1 `sa` forward in the kernel (clear_page, page faults, unmap), and raising
/// both thresholds cut its CPU time by about a fifth (issue 17, docs/PERFORMANCE.md). Set once when the library
/// loads, unless the user set glibc's own MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ or HARLAB_MALLOC_DEFAULTS.
bool tune_allocator() {
  for (const char *name : {"HARLAB_MALLOC_DEFAULTS", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"})
    if (std::getenv(name) != nullptr) return false;
  return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1;
}

const bool allocator_tuned = tune_allocator();

}  // namespace

extern "C" {

int ct_runtime_allocator_tuned(void) { return allocator_tuned ? 1 : 0; }

int ct_tensor_versions(const ct_tensor *tensors, int n, int64_t *versions, int64_t *addresses) {
  CT_PROTECT(-1, {
    if (n < 0) throw std::invalid_argument("negative tensor count " + std::to_string(n));
    if (n > 0) {
      required(tensors, "tensor array");
      required(versions, "versions");
      required(addresses, "addresses");
    }
    for (int i = 0; i < n; ++i) {
      const at::Tensor &t = unwrap(tensors[i]);
      versions[i] = t.is_inference() ? -1 : static_cast<int64_t>(t._version());
      addresses[i] = reinterpret_cast<int64_t>(t.data_ptr());
    }
    return 0;
  })
}

int ct_nn_fold_batch_norm(ct_tensor conv_weight, ct_tensor conv_bias, ct_tensor norm_weight, ct_tensor norm_bias,
                          ct_tensor running_mean, ct_tensor running_var, double eps, ct_tensor *out_weight,
                          ct_tensor *out_bias) {
  CT_PROTECT(-1, {
    required(out_weight, "out_weight");
    required(out_bias, "out_bias");
    auto folded = fold_batch_norm(unwrap(conv_weight), ctorch::optional(conv_bias), unwrap(norm_weight),
                                  unwrap(norm_bias), unwrap(running_mean), unwrap(running_var), eps);
    auto weight_handle = owned(std::move(folded.first));
    auto bias_handle = owned(std::move(folded.second));
    *out_weight = weight_handle.release();
    *out_bias = bias_handle.release();
    return 0;
  })
}

}  // extern "C"
