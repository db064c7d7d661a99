// ctorch::conv2d (ctorch_convolution.h): libtorch's 2-D convolution, with the bfloat16 weight gradient as matrix
// products where oneDNN runs AMX kernels.
#include "ctorch_convolution.h"
#include "ctorch_gemm.h"
#include "ctorch_internal.h"

#include <ATen/autocast_mode.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

#include <atomic>
#include <vector>

using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// -1: the instruction set's choice; 0 or 1: forced.
std::atomic<int> forced_products{-1};

/// Whether `t` is float32 or bfloat16, the operand types CPU autocast lowers to bfloat16 (it leaves float64 alone).
bool autocast_lowers(const at::Tensor &t) {
  return t.scalar_type() == at::kFloat || t.scalar_type() == at::kBFloat16;
}

/// Whether `at::conv2d` on these operands would compute in bfloat16: under CPU autocast to bfloat16 (which casts
/// every float32 operand), or with bfloat16 operands outside it.
bool computes_in_bfloat16(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias) {
  if (at::autocast::is_cpu_enabled() && at::autocast::get_autocast_cpu_dtype() == at::kBFloat16)
    return autocast_lowers(input) && autocast_lowers(weight) && (!bias.defined() || autocast_lowers(bias));
  return input.scalar_type() == at::kBFloat16 && weight.scalar_type() == at::kBFloat16 &&
         (!bias.defined() || bias.scalar_type() == at::kBFloat16);
}

/// `t` in bfloat16, or undefined when `t` is.
at::Tensor bfloat16(const at::Tensor &t) { return t.defined() ? t.to(at::kBFloat16) : t; }

/// A bfloat16 one-group, undilated 2-D convolution whose backward takes the input gradient from libtorch and the
/// weight gradient from `ctorch::convolution_weight_gradient`. Gradients return in each operand's own dtype, as
/// autocast's casts would return them. A convolution without bias passes an empty `bias` (libtorch 1.13's custom
/// functions cannot take an undefined tensor among their inputs).
struct Conv2dWithProductWeightGradient : public torch::autograd::Function<Conv2dWithProductWeightGradient> {
  static variable_list forward(AutogradContext *ctx, Variable input, Variable weight, Variable bias,
                               std::vector<int64_t> stride, std::vector<int64_t> padding) {
    c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    const at::Tensor x = bfloat16(input), w = bfloat16(weight), b = bias.numel() > 0 ? bfloat16(bias) : at::Tensor();
    at::Tensor out = at::conv2d(x, w, b, stride, padding);
    ctx->save_for_backward({x, w});
    ctx->saved_data["stride"] = stride;
    ctx->saved_data["padding"] = padding;
    ctx->saved_data["input_type"] = static_cast<int64_t>(input.scalar_type());
    ctx->saved_data["weight_type"] = static_cast<int64_t>(weight.scalar_type());
    ctx->saved_data["has_bias"] = b.defined();
    ctx->saved_data["bias_type"] = static_cast<int64_t>(bias.scalar_type());
    return {out};
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &w = saved[1];
    const std::vector<int64_t> stride = ctx->saved_data["stride"].toIntVector();
    const std::vector<int64_t> padding = ctx->saved_data["padding"].toIntVector();
    const auto type = [&](const char *key) { return static_cast<at::ScalarType>(ctx->saved_data[key].toInt()); };
    const at::Tensor grad = grad_outputs[0].to(at::kBFloat16).contiguous();
    at::Tensor grad_input, grad_weight, grad_bias;
    if (ctx->needs_input_grad(0)) {
      grad_input = std::get<0>(at::convolution_backward(grad, x, w, c10::nullopt, stride, padding, {1, 1}, false,
                                                        {0, 0}, 1, {true, false, false}))
                       .to(type("input_type"));
    }
    if (ctx->needs_input_grad(1))
      grad_weight = ctorch::convolution_weight_gradient(grad, x, {w.size(2), w.size(3)}, stride, padding)
                        .to(type("weight_type"));
    if (ctx->needs_input_grad(2) && ctx->saved_data["has_bias"].toBool())
      grad_bias = grad.sum({0, 2, 3}, false, at::kFloat).to(type("bias_type"));
    return {grad_input, grad_weight, grad_bias, Variable(), Variable()};
  }
};

}  // namespace

namespace ctorch {

bool convolution_weight_gradient_as_products() {
  const int forced = forced_products.load(std::memory_order_relaxed);
  if (forced >= 0) return forced == 1;
  static const bool measured = onednn_runs(OneDNNInstructionSet::amx);
  return measured;
}

void force_convolution_weight_gradient_as_products(std::optional<bool> enabled) {
  forced_products.store(enabled ? (*enabled ? 1 : 0) : -1, std::memory_order_relaxed);
}

at::Tensor conv2d(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias, at::IntArrayRef stride,
                  at::IntArrayRef padding, at::IntArrayRef dilation, int64_t groups) {
  const bool undilated = dilation.size() == 2 && dilation[0] == 1 && dilation[1] == 1;
  const bool suits = groups == 1 && undilated && stride.size() == 2 && padding.size() == 2 && input.dim() == 4 &&
                     weight.dim() == 4 && input.device().is_cpu() && at::GradMode::is_enabled() &&
                     weight.requires_grad() && computes_in_bfloat16(input, weight, bias);
  if (!suits || !convolution_weight_gradient_as_products())
    return at::conv2d(input, weight, bias, stride, padding, dilation, groups);
  const at::Tensor bias_or_empty = bias.defined() ? bias : at::empty({0}, weight.options().requires_grad(false));
  return Conv2dWithProductWeightGradient::apply(input, weight, bias_or_empty, stride.vec(), padding.vec())[0];
}

at::Tensor convolution_weight_gradient(const at::Tensor &grad_output, const at::Tensor &input, at::IntArrayRef kernel,
                                       at::IntArrayRef stride, at::IntArrayRef padding) {
  const int64_t outputs = grad_output.size(1), rows = grad_output.size(2), columns = grad_output.size(3);
  const int64_t channels = input.size(1), positions = grad_output.size(0) * rows * columns;
  // [O, N·OH·OW]: one output channel's gradient per row, positions in (n, oh, ow) order.
  const at::Tensor grad = grad_output.transpose(0, 1).reshape({outputs, positions});
  const at::Tensor padded =
      padding[0] == 0 && padding[1] == 0 ? input : at::constant_pad_nd(input, {padding[1], padding[1], padding[0], padding[0]});
  at::Tensor weight_grad = at::empty({outputs, channels, kernel[0], kernel[1]}, grad_output.options());
  for (int64_t kh = 0; kh < kernel[0]; ++kh) {
    for (int64_t kw = 0; kw < kernel[1]; ++kw) {
      // The input each output position reads through tap (kh, kw), as [C, N·OH·OW] in the same position order.
      const at::Tensor taps = padded.slice(2, kh, kh + stride[0] * (rows - 1) + 1, stride[0])
                                  .slice(3, kw, kw + stride[1] * (columns - 1) + 1, stride[1])
                                  .transpose(0, 1)
                                  .reshape({channels, positions});
      weight_grad.select(3, kw).select(2, kh).copy_(at::mm(grad, taps.t()));
    }
  }
  return weight_grad;
}

}  // namespace ctorch
