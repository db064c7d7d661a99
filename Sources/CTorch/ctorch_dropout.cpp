// Dropout as a custom autograd function whose mask is a pure function of (seed, element index). libtorch 1.13's
// at::dropout draws its mask with bernoulli_, one locked, serial draw of the generator per element: profiled on
// `transformer` training (dropout 0.1 in five places per layer), CPUGeneratorImpl::random64 alone took 7.8% of the
// step (docs/PERFORMANCE.md). Here each element's draw is SplitMix64 at its index, computed in parallel in the same
// pass that scales the input; backward recomputes the same mask from the seed, so nothing is stored.
#include "ctorch_dropout.h"
#include "ctorch_parallel_for.h"

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

/// SplitMix64's output function: its k-th draw from seed s is mix(s + k·γ), γ = 0x9e3779b97f4a7c15.
inline uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// `out[i] = in[i] · scale` where element i's 32-bit draw is at least `threshold`, else 0. Elements 2k and 2k+1 take
/// the low and high halves of the stream's k-th 64-bit draw, so any split of the range gives the same mask.
template <typename T, typename Compute>
void masked_scale(const T *in, T *out, int64_t n, uint64_t seed, uint64_t threshold, Compute scale) {
  constexpr uint64_t gamma = 0x9e3779b97f4a7c15ULL;
  ctorch::parallel_for(0, (n + 1) / 2, 8192, [&](int64_t begin, int64_t end) {
    for (int64_t pair = begin; pair < end; ++pair) {
      const uint64_t bits = mix(seed + uint64_t(pair + 1) * gamma);
      const int64_t first = 2 * pair;
      out[first] = (bits & 0xffffffffULL) >= threshold ? T(Compute(in[first]) * scale) : T(0);
      if (first + 1 < n) out[first + 1] = (bits >> 32) >= threshold ? T(Compute(in[first + 1]) * scale) : T(0);
    }
  });
}

/// A new tensor: `x` with the mask of (`p`, `seed`) applied and the kept elements scaled by 1/(1-p).
at::Tensor apply_mask(const at::Tensor &x_in, double p, uint64_t seed) {
  const at::Tensor x = x_in.contiguous();
  at::Tensor out = at::empty_like(x, at::MemoryFormat::Contiguous);
  const uint64_t threshold = uint64_t(std::llround(p * 4294967296.0));
  const int64_t n = x.numel();
  switch (x.scalar_type()) {
  case at::kFloat:
    masked_scale(x.data_ptr<float>(), out.data_ptr<float>(), n, seed, threshold, 1.0f / float(1 - p));
    break;
  case at::kDouble:
    masked_scale(x.data_ptr<double>(), out.data_ptr<double>(), n, seed, threshold, 1.0 / (1 - p));
    break;
  case at::kBFloat16:
    masked_scale(x.data_ptr<at::BFloat16>(), out.data_ptr<at::BFloat16>(), n, seed, threshold, 1.0f / float(1 - p));
    break;
  default:
    throw std::logic_error("ctorch::dropout: no mask kernel for " + std::string(c10::toString(x.scalar_type())));
  }
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
