// Inference-only forms of layers: batch norm folded into the convolution before it (issue 17, batch-1 latency).
#include "ctorch_inference.h"
#include "ctorch_internal.h"

using ctorch::owned;
using ctorch::required;
using ctorch::unwrap;

extern "C" {

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
    const at::Tensor &w = unwrap(conv_weight);
    const at::Tensor b = ctorch::optional(conv_bias);
    const at::Tensor &gamma = unwrap(norm_weight), &beta = unwrap(norm_bias);
    const at::Tensor &mean = unwrap(running_mean), &var = unwrap(running_var);
    const int64_t outputs = w.dim() > 0 ? w.size(0) : -1;
    for (const at::Tensor *t : {&gamma, &beta, &mean, &var})
      if (t->dim() != 1 || t->size(0) != outputs)
        throw std::invalid_argument("batch norm tensors of shape " + std::to_string(t->dim() == 1 ? t->size(0) : -1) +
                                    " do not match the convolution's " + std::to_string(outputs) + " outputs");
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
    at::Tensor shift = b.defined() ? wide(b) - wide(mean) : -wide(mean);
    at::Tensor bias = (shift * scale + wide(beta)).to(w.scalar_type());
    auto weight_handle = owned(std::move(weight));
    auto bias_handle = owned(std::move(bias));
    *out_weight = weight_handle.release();
    *out_bias = bias_handle.release();
    return 0;
  })
}

}  // extern "C"
