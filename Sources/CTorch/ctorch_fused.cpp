// Fused blocks as custom autograd functions (torch::autograd::Function): the forward and backward passes call the
// vectorised memory passes of ctorch_fused_kernels.cpp; only per-feature and per-sample vectors go through ATen ops.
#include "ctorch_internal.h"
#include "ctorch_fused_kernels.h"

#include <c10/core/impl/LocalDispatchKeySet.h>
#include <string>

using ctorch::compute_type;
using ctorch::optional;
using ctorch::owned;
using ctorch::required;
using ctorch::unwrap;
using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// The spatial-attention block (see ct_fused_spatial_attention). Forward: one pass for the gate and each plane's
/// statistics, one for the normalised, rectified output. Backward: one pass for batch norm's sums, one for dL/dx and
/// the gate convolution's gradients. Intermediates y and z are recomputed from x and the gate, never stored.
struct SpatialAttentionBlock : public torch::autograd::Function<SpatialAttentionBlock> {
  static variable_list forward(AutogradContext *ctx, Variable x_in, Variable gate_weight, Variable gate_bias,
                               Variable norm_weight, Variable norm_bias, at::Tensor running_mean,
                               at::Tensor running_var, bool training, double momentum, double eps) {
    // The block decides its own precision; autocast must not recast the small per-feature arithmetic.
    c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    const at::Tensor x = x_in.contiguous();
    const int64_t B = x.size(0), F = x.size(1), T = x.size(2), N = T * x.size(3);
    const auto options = x.options().dtype(compute_type(x));
    const at::Tensor taps = at::cat({gate_weight.detach().reshape({3}), gate_bias.detach().reshape({1})}).to(at::kDouble);
    const ctorch::fused::GateConv conv{taps[0].item<double>(), taps[1].item<double>(), taps[2].item<double>(),
                                       taps[3].item<double>()};
    at::Tensor mean_map = at::empty({B, N}, options), gate = at::empty({B, 1, T, x.size(3)}, options);
    at::Tensor plane_mean, plane_m2, mean, variance;
    if (training) {
      plane_mean = at::empty({B, F}, x.options().dtype(at::kDouble));
      plane_m2 = at::empty({B, F}, x.options().dtype(at::kDouble));
    }
    ctorch::fused::gate_and_plane_statistics(x, conv, T, mean_map, gate, plane_mean, plane_m2);
    if (training) {
      // Planes of equal size merge exactly: the mean of means, and the within- plus between-plane squares.
      mean = plane_mean.mean(0);
      const at::Tensor squares = plane_m2.sum(0) + (plane_mean - mean).pow(2).sum(0) * double(N);
      const double count = double(B) * double(N);
      variance = squares / count;
      if (running_mean.numel() > 0) {
        running_mean.copy_(running_mean.to(at::kDouble) * (1 - momentum) + mean * momentum);
        running_var.copy_(running_var.to(at::kDouble) * (1 - momentum) + squares / (count - 1) * momentum);
      }
    } else {
      mean = running_mean.to(at::kDouble);
      variance = running_var.to(at::kDouble);
    }
    const at::Tensor rstd = (variance + eps).rsqrt(), gamma = norm_weight.detach().to(at::kDouble);
    const at::Tensor scale = gamma * rstd, shift = norm_bias.detach().to(at::kDouble) - mean * scale;
    at::Tensor out = at::empty_like(x);
    ctorch::fused::scale_shift_relu(x, gate, {scale.to(options.dtype()), shift.to(options.dtype())}, out);

    ctx->save_for_backward({x_in, gate});
    ctx->mark_non_differentiable({gate});
    ctx->saved_data["mean_map"] = mean_map;
    ctx->saved_data["taps"] = taps;
    ctx->saved_data["mean"] = mean;
    ctx->saved_data["rstd"] = rstd;
    ctx->saved_data["gamma"] = gamma;
    ctx->saved_data["shift"] = shift;
    ctx->saved_data["training"] = training;
    ctx->saved_data["gate_weight"] = gate_weight.detach();
    ctx->saved_data["gate_bias"] = gate_bias.detach();
    ctx->saved_data["norm_weight"] = norm_weight.detach();
    ctx->saved_data["norm_bias"] = norm_bias.detach();
    return {out, gate};
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor x = saved[0].contiguous(), gate = saved[1];
    const at::Tensor grad_out = grad_outputs[0].to(x.scalar_type()).contiguous();
    auto tensor = [&](const char *name) { return ctx->saved_data[name].toTensor(); };
    const at::Tensor taps = tensor("taps"), mean = tensor("mean"), rstd = tensor("rstd"), gamma = tensor("gamma");
    const bool training = ctx->saved_data["training"].toBool();
    const auto type = compute_type(x);
    const int64_t B = x.size(0), F = x.size(1), T = x.size(2);
    const double count = double(B) * double(T * x.size(3));
    const ctorch::fused::GateConv conv{taps[0].item<double>(), taps[1].item<double>(), taps[2].item<double>(),
                                       taps[3].item<double>()};
    const at::Tensor scale = gamma * rstd;
    const ctorch::fused::Affine affine{scale.to(type), tensor("shift").to(type)};

    at::Tensor sum_dz = at::empty({F}, x.options().dtype(at::kDouble)), sum_dz_centred = at::empty_like(sum_dz);
    ctorch::fused::relu_norm_sums(x, gate, affine, mean.to(type), grad_out, sum_dz, sum_dz_centred);
    // dL/dy = a dz + b y + d: batch norm's backward; in training the batch statistics' own terms give b and d.
    at::Tensor b = at::zeros_like(scale), d = at::zeros_like(scale);
    if (training) {
      b = -scale * rstd * rstd * sum_dz_centred / count;
      d = -scale * sum_dz / count - b * mean;
    }
    at::Tensor grad_x = at::empty_like(x), conv_grads = at::empty({B, 4}, x.options().dtype(at::kDouble));
    ctorch::fused::input_gradient(x, gate, tensor("mean_map"), affine, {scale.to(type), b.to(type), d.to(type)}, conv, T,
                                  grad_out, grad_x, conv_grads);
    const at::Tensor conv_sums = conv_grads.sum(0);
    const at::Tensor gate_weight = tensor("gate_weight"), gate_bias = tensor("gate_bias");
    const at::Tensor norm_weight = tensor("norm_weight"), norm_bias = tensor("norm_bias");
    return {grad_x,
            conv_sums.slice(0, 0, 3).reshape(gate_weight.sizes()).to(gate_weight.scalar_type()),
            conv_sums.slice(0, 3, 4).reshape(gate_bias.sizes()).to(gate_bias.scalar_type()),
            (rstd * sum_dz_centred).to(norm_weight.scalar_type()),
            sum_dz.to(norm_bias.scalar_type()),
            Variable(), Variable(), Variable(), Variable(), Variable()};
  }
};

/// Checks that `t` is a vector of `n` elements, naming it in the message.
void expect_vector(const at::Tensor &t, int64_t n, const char *what) {
  if (t.dim() != 1 || t.size(0) != n)
    throw std::invalid_argument(std::string(what) + " must have shape [" + std::to_string(n) + "], got " +
                                c10::str(t.sizes()));
  if (!at::isFloatingType(t.scalar_type())) throw std::invalid_argument(std::string(what) + " must be floating-point");
}

/// Validates the block's arguments (every message names the argument) and applies the autograd function.
variable_list spatial_attention(ct_tensor x_handle, ct_tensor gate_weight, ct_tensor gate_bias, ct_tensor norm_weight,
                                ct_tensor norm_bias, ct_tensor running_mean, ct_tensor running_var, bool training,
                                double momentum, double eps) {
  const at::Tensor &x = unwrap(x_handle);
  const auto type = x.scalar_type();
  if (x.dim() != 4) throw std::invalid_argument("fused spatial attention expects x [B, F, T, C], got " + c10::str(x.sizes()));
  if (type != at::kFloat && type != at::kDouble && type != at::kBFloat16)
    throw std::invalid_argument(std::string("fused spatial attention computes float32, float64 or bfloat16, got ") +
                                c10::toString(type));
  if (x.device().type() != at::kCPU) throw std::invalid_argument("fused spatial attention runs on the CPU only");
  const int64_t F = x.size(1);
  if (x.numel() == 0) throw std::invalid_argument("fused spatial attention got an empty x " + c10::str(x.sizes()));
  if (unwrap(gate_weight).numel() != 3 || unwrap(gate_bias).numel() != 1)
    throw std::invalid_argument("the gate convolution must have weight [1, 1, 3, 1] and bias [1], got " +
                                c10::str(unwrap(gate_weight).sizes()) + " and " + c10::str(unwrap(gate_bias).sizes()));
  expect_vector(unwrap(norm_weight), F, "batch norm weight");
  expect_vector(unwrap(norm_bias), F, "batch norm bias");
  const at::Tensor mean = optional(running_mean), variance = optional(running_var);
  if (mean.defined() != variance.defined()) throw std::invalid_argument("running mean and variance come together");
  if (mean.defined()) {
    expect_vector(mean, F, "running mean");
    expect_vector(variance, F, "running variance");
  } else if (!training) {
    throw std::invalid_argument("evaluation mode needs the running mean and variance");
  }
  if (training && x.numel() / F <= 1)
    throw std::invalid_argument("expected more than 1 value per feature map when training, got x " + c10::str(x.sizes()));
  // Absent statistics travel as empty tensors: an undefined tensor argument trips the autograd function's bookkeeping.
  const at::Tensor none = at::empty({0}, x.options());
  return SpatialAttentionBlock::apply(x, unwrap(gate_weight), unwrap(gate_bias), unwrap(norm_weight), unwrap(norm_bias),
                                      mean.defined() ? mean : none, variance.defined() ? variance : none, training,
                                      momentum, eps);
}

}  // namespace

int ct_fused_spatial_attention(ct_tensor x, ct_tensor gate_weight, ct_tensor gate_bias, ct_tensor norm_weight,
                               ct_tensor norm_bias, ct_tensor running_mean, ct_tensor running_var, int training,
                               double momentum, double eps, ct_tensor *out, ct_tensor *gate) {
  CT_STATUS(required(out, "output slot"); required(gate, "gate slot");
            const variable_list outputs = spatial_attention(x, gate_weight, gate_bias, norm_weight, norm_bias,
                                                            running_mean, running_var, training != 0, momentum, eps);
            auto output = owned(outputs[0]); auto map = owned(outputs[1]);
            *out = output.release(); *gate = map.release())
}
