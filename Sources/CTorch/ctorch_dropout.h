// Dropout with a counter-based mask (ctorch_dropout.cpp): a private C++ header, not part of the module the Swift side
// imports.
#pragma once

#include <ATen/ATen.h>

namespace ctorch {

/// PyTorch's dropout — in training, each element zeroed with probability `p` and the rest scaled by 1/(1-p); `x`
/// itself when not training or when `p` is 0 — with the mask drawn in parallel passes instead of libtorch 1.13's
/// serial, one-draw-per-element `bernoulli_`. Element i is kept when its 32 bits of SplitMix64's stream (elements 2k
/// and 2k+1 take the halves of the k-th 64-bit draw), started from one 64-bit seed taken from libtorch's default
/// generator, are at least p·2³², so `Runtime.manualSeed` fixes the mask,
/// the thread count never changes it, and backward recomputes it from the seed instead of storing it.
/// float32, float64 and bfloat16 CPU tensors take this path; anything else goes to `at::dropout`.
/// - Throws: std::invalid_argument when `p` is outside [0, 1].
at::Tensor dropout(const at::Tensor &x, double p, bool training);

}  // namespace ctorch
