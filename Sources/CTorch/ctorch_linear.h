// Linear layers on oneDNN's sgemm (ctorch_linear.cpp): a private C++ header, not part of the module the Swift side
// imports.
#pragma once

#include <ATen/ATen.h>

namespace ctorch {

/// Whether `linear` multiplies on oneDNN here: a build with oneDNN whose `backward_gemm_policy` puts every product
/// on it (AVX-512 kernels), CPU autocast off, and dense float32 CPU tensors of matching shapes (`x` [..., in], `weight`
/// [out, in], `bias` [out] or undefined).
bool linear_on_onednn(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias);

/// PyTorch's linear `x · weightᵀ + bias`: where `linear_on_onednn` holds, its products run on `matmul_into` — recording,
/// as one autograd node whose products (dL/dx, dL/dW, and those of a gradient's graph) run there too; elsewhere
/// `at::linear`.
at::Tensor linear(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias);

}  // namespace ctorch
