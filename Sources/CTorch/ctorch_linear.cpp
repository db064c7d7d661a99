// Linear layers' float32 products on oneDNN's sgemm where the recurrent layers' measurements put every product there
// (BackwardGemmPolicy onednn or onednn_transposed: oneDNN runs AVX-512 kernels, with or without AMX). Debian's
// libtorch runs at::linear's addmm on OpenBLAS; on a `transformer`'s shapes (1024 rows, 64–360 columns; Sapphire Rapids,
// 1 thread) oneDNN's sgemm measured 1.12–1.27× OpenBLAS forward, 1.25–1.33× for dL/dx and 1.01–1.32× for dL/dW
// (docs/PERFORMANCE.md). Where oneDNN runs AVX2 kernels, OpenBLAS was up to 2.5× faster on weight gradients, so
// those CPUs, other dtypes, autocast and builds without oneDNN keep at::linear.
#include "ctorch_gemm.h"
#include "ctorch_linear.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// `a · b` for 2-D float32 matrices on `matmul_into`, as an autograd node whose backward is built from this node
/// again (dL/da = g · bᵀ, dL/db = aᵀ · g), so a graph of the gradient (create_graph) is differentiable too.
struct Product : public torch::autograd::Function<Product> {
  static Variable forward(AutogradContext *ctx, const Variable &a, const Variable &b) {
    ctx->save_for_backward({a, b});
    at::Tensor out = at::empty({a.size(0), b.size(1)}, a.options());
    ctorch::matmul_into(out, a, b, 0);
    return out;
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor &g = grads[0];
    return {ctx->needs_input_grad(0) ? Product::apply(g, saved[1].t()) : Variable(),
            ctx->needs_input_grad(1) ? Product::apply(saved[0].t(), g) : Variable()};
  }
};

/// `x · Wᵀ + b` for `x` `[N, in]` as one autograd node (the bias written into the output before the product, as
/// addmm does); its backward multiplies through `Product`, and dL/db is the gradient's column sums.
struct LinearProduct : public torch::autograd::Function<LinearProduct> {
  static Variable forward(AutogradContext *ctx, const Variable &x, const Variable &weight, const Variable &bias) {
    ctx->save_for_backward({x, weight});
    return ctorch::product_plus_bias(x, weight.t(), bias);
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor &g = grads[0];
    return {ctx->needs_input_grad(0) ? Product::apply(g, saved[1]) : Variable(),
            ctx->needs_input_grad(1) ? Product::apply(g.t(), saved[0]) : Variable(),
            ctx->needs_input_grad(2) ? g.sum(0) : Variable()};
  }
};

}  // namespace

namespace ctorch {

bool linear_on_onednn(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias) {
  const BackwardGemmPolicy policy = backward_gemm_policy();
  const auto fits = [](const at::Tensor &t) {
    return t.device().is_cpu() && t.layout() == at::kStrided && t.scalar_type() == at::kFloat;
  };
  return CTORCH_ONEDNN_GEMM &&
         (policy == BackwardGemmPolicy::onednn || policy == BackwardGemmPolicy::onednn_transposed) &&
         !at::autocast::is_cpu_enabled() && fits(x) && fits(weight) && (!bias.defined() || fits(bias)) &&
         x.dim() >= 1 && weight.dim() == 2 && x.size(-1) == weight.size(1) && x.numel() > 0 && weight.numel() > 0 &&
         (!bias.defined() || (bias.dim() == 1 && bias.size(0) == weight.size(0)));
}

at::Tensor linear(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias) {
  if (!linear_on_onednn(x, weight, bias)) return at::linear(x, weight, bias.defined() ? c10::optional<at::Tensor>(bias) : c10::nullopt);
  const at::Tensor rows = x.dim() == 2 ? x : x.reshape({-1, x.size(-1)});
  const bool records = at::GradMode::is_enabled() &&
                       (x.requires_grad() || weight.requires_grad() || (bias.defined() && bias.requires_grad()));
  at::Tensor out;
  if (records) {  // (libtorch's custom functions take no undefined tensor: without a bias, the plain product)
    out = bias.defined() ? LinearProduct::apply(rows, weight, bias) : Product::apply(rows, weight.t());
  } else if (bias.defined()) {  // nothing to record (evaluation, no_grad, inference mode): the product alone
    out = ctorch::product_plus_bias(rows, weight.t(), bias);
  } else {
    out = at::empty({rows.size(0), weight.size(0)}, x.options());
    ctorch::matmul_into(out, rows, weight.t(), 0);
  }
  if (x.dim() == 2) return out;
  std::vector<int64_t> shape = x.sizes().vec();
  shape.back() = weight.size(0);
  return out.view(shape);
}

}  // namespace ctorch
