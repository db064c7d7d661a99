// Synchronised batch norm (see ctorch_syncbn.h): a custom autograd function whose forward and backward passes each
// sum per-channel vectors across the ranks with one all-reduce of the Gloo group, the rest being plain ATen ops
// (libtorch 1.13's batch_norm_stats, batch_norm_gather_stats_with_counts and their kin have CUDA kernels only).
#include "ctorch_internal.h"

#include <c10/core/impl/LocalDispatchKeySet.h>
#include <cstdlib>
#include <string>

using ctorch::compute_type;
using ctorch::required;
using ctorch::unwrap;
using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// Every dimension but the channels' (1): the ones batch norm reduces over.
std::vector<int64_t> reduced_dims(const at::Tensor &x) {
  std::vector<int64_t> dims{0};
  for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  return dims;
}

/// [1, C, 1, …]: a per-channel vector's shape broadcast against x.
std::vector<int64_t> channel_shape(const at::Tensor &x) {
  std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
  shape[1] = x.size(1);
  return shape;
}

/// Sums `values` (contiguous float64) across the ranks of `group` in place; a failure names the pass.
void all_reduce(ct_process_group group, const at::Tensor &values, const char *pass) {
  ct_tensor_opaque handle{values};
  if (ct_process_group_all_reduce_sum(group, &handle) == 0) return;
  char *message = ct_error_take();
  std::string text = std::string("synchronised batch norm: the ") + pass + " all-reduce failed: " +
                     (message != nullptr ? message : "no message");
  std::free(message);
  throw std::runtime_error(text);
}

struct SyncBatchNorm : public torch::autograd::Function<SyncBatchNorm> {
  static variable_list forward(AutogradContext *ctx, Variable x_in, Variable weight, Variable bias,
                               at::Tensor running_mean, at::Tensor running_var, double momentum, double eps,
                               int64_t group_address) {
    // The statistics' precision is this function's to choose; autocast must not recast the per-channel arithmetic.
    c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    auto *group = reinterpret_cast<ct_process_group>(static_cast<intptr_t>(group_address));
    const at::Tensor x = x_in.contiguous();
    const int64_t C = x.size(1);
    const auto dims = reduced_dims(x), shape = channel_shape(x);
    const double local = double(x.numel() / C);
    // [count, Σx (C), Σx² (C)] of this share, summed over the ranks: the global batch's.
    const at::Tensor xd = x.to(at::kDouble);
    const at::Tensor sums = at::cat({at::full({1}, local, xd.options()), xd.sum(dims), xd.square().sum(dims)});
    all_reduce(group, sums, "forward statistics");
    const double count = sums[0].item<double>();
    if (count <= 1)
      throw std::invalid_argument("synchronised batch norm expects more than 1 value per channel in the global batch, got " +
                                  std::to_string(int64_t(count)));
    const at::Tensor mean = sums.slice(0, 1, 1 + C) / count;
    const at::Tensor variance = (sums.slice(0, 1 + C) / count - mean.square()).clamp_min(0);
    running_mean.copy_(running_mean.to(at::kDouble) * (1 - momentum) + mean * momentum);
    running_var.copy_(running_var.to(at::kDouble) * (1 - momentum) + variance * (count / (count - 1)) * momentum);
    const at::Tensor rstd = (variance + eps).rsqrt(), gamma = weight.detach().to(at::kDouble);
    const at::Tensor scale = gamma * rstd, shift = bias.detach().to(at::kDouble) - mean * scale;
    const auto type = compute_type(x);
    at::Tensor out = (x.to(type) * scale.to(type).view(shape) + shift.to(type).view(shape)).to(x.scalar_type());

    ctx->save_for_backward({x_in});
    ctx->saved_data["mean"] = mean;
    ctx->saved_data["rstd"] = rstd;
    ctx->saved_data["gamma"] = gamma;
    ctx->saved_data["local"] = local;
    ctx->saved_data["count"] = count;
    ctx->saved_data["group"] = group_address;
    ctx->saved_data["weight_type"] = int64_t(weight.scalar_type());
    ctx->saved_data["bias_type"] = int64_t(bias.scalar_type());
    return {out};
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    const at::Tensor x = ctx->get_saved_variables()[0].contiguous();
    const at::Tensor grad_out = grad_outputs[0].contiguous();
    auto tensor = [&](const char *name) { return ctx->saved_data[name].toTensor(); };
    const at::Tensor mean = tensor("mean"), rstd = tensor("rstd"), gamma = tensor("gamma");
    const double local = ctx->saved_data["local"].toDouble(), count = ctx->saved_data["count"].toDouble();
    auto *group = reinterpret_cast<ct_process_group>(static_cast<intptr_t>(ctx->saved_data["group"].toInt()));
    const int64_t C = x.size(1);
    const auto dims = reduced_dims(x), shape = channel_shape(x);

    const at::Tensor dy = grad_out.to(at::kDouble), centred = x.to(at::kDouble) - mean.view(shape);
    const at::Tensor sum_dy = dy.sum(dims), sum_dy_centred = (dy * centred).sum(dims);
    // The caller weighs this rank's gradients by its share of the global batch (local / count): the sums are
    // reduced share-weighted, so that they are the global loss's, and the input gradient's global terms are divided
    // by the share (local / count × count = local), so that share × this gradient is the global loss's.
    const double share = local / count;
    const at::Tensor sums = at::cat({sum_dy, sum_dy_centred}) * share;
    all_reduce(group, sums, "backward gradient-sum");
    at::Tensor grad_x = at::zeros_like(x);
    if (local > 0) {
      const at::Tensor mean_dy = sums.slice(0, 0, C) / local, mean_dy_centred = sums.slice(0, C) / local;
      // dL/dx = a·dy + b·x + d per channel, with a = γ·rstd, b = −a·rstd²·mean(dy·(x − mean)), d = −a·mean(dy) − b·mean.
      const at::Tensor a = gamma * rstd, b = -a * rstd * rstd * mean_dy_centred, d = -a * mean_dy - b * mean;
      const auto type = compute_type(x);
      grad_x = (grad_out.to(type) * a.to(type).view(shape) + x.to(type) * b.to(type).view(shape) + d.to(type).view(shape))
                   .to(x.scalar_type());
    }
    const auto weight_type = static_cast<at::ScalarType>(ctx->saved_data["weight_type"].toInt());
    const auto bias_type = static_cast<at::ScalarType>(ctx->saved_data["bias_type"].toInt());
    return {grad_x, (sum_dy_centred * rstd).to(weight_type), sum_dy.to(bias_type),
            Variable(), Variable(), Variable(), Variable(), Variable()};
  }
};

/// Checks that `t` is a floating-point vector of `n` elements, naming it in the message.
void expect_vector(const at::Tensor &t, int64_t n, const char *what) {
  if (t.dim() != 1 || t.size(0) != n)
    throw std::invalid_argument(std::string("synchronised batch norm's ") + what + " must have shape [" + std::to_string(n) +
                                "], got " + c10::str(t.sizes()));
  if (!at::isFloatingType(t.scalar_type()))
    throw std::invalid_argument(std::string("synchronised batch norm's ") + what + " must be floating-point");
}

}  // namespace

ct_tensor ct_sync_batch_norm(ct_process_group group, ct_tensor x_handle, ct_tensor weight, ct_tensor bias,
                             ct_tensor running_mean, ct_tensor running_var, double momentum, double eps) {
  CT_PROTECT(nullptr, {
    required(group, "process group");
    const at::Tensor &x = unwrap(x_handle);
    if (x.dim() < 2) throw std::invalid_argument("synchronised batch norm expects x [B, C, …], got " + c10::str(x.sizes()));
    if (!at::isFloatingType(x.scalar_type()))
      throw std::invalid_argument(std::string("synchronised batch norm expects floating-point x, got ") + c10::toString(x.scalar_type()));
    if (x.device().type() != at::kCPU) throw std::invalid_argument("synchronised batch norm runs on the CPU only (Gloo)");
    const int64_t C = x.size(1);
    expect_vector(unwrap(weight), C, "weight");
    expect_vector(unwrap(bias), C, "bias");
    expect_vector(unwrap(running_mean), C, "running mean");
    expect_vector(unwrap(running_var), C, "running variance");
    if (!(momentum >= 0 && momentum <= 1)) throw std::invalid_argument("synchronised batch norm's momentum must be in [0, 1]");
    if (!(eps > 0)) throw std::invalid_argument("synchronised batch norm's eps must be positive");
    const variable_list outputs =
        SyncBatchNorm::apply(x, unwrap(weight), unwrap(bias), unwrap(running_mean), unwrap(running_var), momentum, eps,
                             static_cast<int64_t>(reinterpret_cast<intptr_t>(group)));
    return ctorch::wrap(outputs[0]);
  })
}
