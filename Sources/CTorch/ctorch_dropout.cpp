// Dropout as a custom autograd function whose mask is a pure function of (seed, element index). libtorch 1.13's
// at::dropout draws its mask with bernoulli_, one locked, serial draw of the generator per element: profiled on
// `transformer` training (dropout 0.1 in five places per layer), CPUGeneratorImpl::random64 alone took 7.8% of the
// step (docs/PERFORMANCE.md). Here each element's draw is SplitMix64 at its index, computed in parallel in the same
// pass that scales the input (ctorch::fused::masked_scale, vectorised per instruction set: the scalar loop it replaced
// was 10% of a `transformer` step); backward recomputes the same mask from the seed, so nothing is stored.
#include "ctorch_dropout.h"
#include "ctorch_fused_kernels.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>

using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// A new tensor: `x` with the mask of (`p`, `seed`) applied and the kept elements scaled by 1/(1-p).
at::Tensor apply_mask(const at::Tensor &x_in, double p, uint64_t seed) {
  const at::Tensor x = x_in.contiguous();
  const uint64_t threshold = uint64_t(std::llround(p * 4294967296.0));
  if (threshold > UINT32_MAX) return at::zeros_like(x, at::MemoryFormat::Contiguous);  // no 32-bit draw reaches it
  at::Tensor out = at::empty_like(x, at::MemoryFormat::Contiguous);
  ctorch::fused::masked_scale(x, out, seed, uint32_t(threshold), 1.0 / (1 - p));
  return out;
}

/// The masked scaling as an autograd node. Its derivative is the same masked scaling of the incoming gradient, built
/// with this function again, so a graph of the gradient (create_graph) is differentiable too.
struct MaskedScale : public torch::autograd::Function<MaskedScale> {
  static Variable forward(AutogradContext *ctx, const Variable &x, double p, int64_t seed) {
    ctx->saved_data["p"] = p;
    ctx->saved_data["seed"] = seed;
    return apply_mask(x, p, uint64_t(seed));
  }

  static variable_list backward(AutogradContext *ctx, variable_list grads) {
    const double p = ctx->saved_data["p"].toDouble();
    const int64_t seed = ctx->saved_data["seed"].toInt();
    return {MaskedScale::apply(grads[0], p, seed), Variable(), Variable()};
  }
};

/// The next 64 bits of libtorch's default CPU generator, as bernoulli_ would take them.
uint64_t next_seed() {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

}  // namespace

namespace ctorch {

at::Tensor dropout(const at::Tensor &x, double p, bool training) {
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
  const auto type = x.scalar_type();
  const bool masked = x.device().is_cpu() && (type == at::kFloat || type == at::kDouble || type == at::kBFloat16);
  if (!masked || !training || p == 0 || p == 1 || x.numel() == 0) return at::dropout(x, p, training);
  return MaskedScale::apply(x, p, int64_t(next_seed()));
}

}  // namespace ctorch
