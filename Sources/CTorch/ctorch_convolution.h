// 2-D convolution with its bfloat16 weight gradient as matrix products (ctorch_convolution.cpp): a private C++
// header, not part of the module the Swift side imports.
#pragma once

#include <ATen/ATen.h>

#include <optional>

namespace ctorch {

/// Whether a bfloat16 training convolution computes its weight gradient as matrix products (one per kernel tap)
/// instead of oneDNN's convolution backward-weights primitive: where oneDNN runs AMX kernels, whose backward-weights
/// primitive (oneDNN 2.6, Debian's) took 8.5 s where the same sums as AMX matrix products took 1.3 s in one epoch of
/// `sa` on the DSADS shape (`DNNL_VERBOSE`; docs/PERFORMANCE.md, Sapphire Rapids section). Chosen from the instruction set oneDNN
/// reports (`DNNL_MAX_CPU_ISA` caps it), never by timing; `force_convolution_weight_gradient_as_products` overrides.
bool convolution_weight_gradient_as_products();

/// Makes `convolution_weight_gradient_as_products` answer `enabled` for the whole process (tests run both paths on
/// any CPU); nullopt puts the instruction set's choice back.
void force_convolution_weight_gradient_as_products(std::optional<bool> enabled);

/// `at::conv2d(input, weight, bias, stride, padding, dilation, groups)`, the weight gradient computed as matrix
/// products where `convolution_weight_gradient_as_products()` holds and the call is a bfloat16 training convolution
/// (CPU autocast to bfloat16 on, or bfloat16 operands; gradients recorded for the weight; one group, no dilation);
/// otherwise exactly `at::conv2d`. The forward and the input gradient are libtorch's own either way.
at::Tensor conv2d(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias, at::IntArrayRef stride,
                  at::IntArrayRef padding, at::IntArrayRef dilation, int64_t groups);

/// dL/dweight of a one-group, undilated 2-D convolution of `input` [N, C, H, W] with a kernel of `kernel` [KH, KW]
/// taps, given dL/doutput `grad_output` [N, O, OH, OW]: for each tap, `grad_output` as an [O, N·OH·OW] matrix times the
/// input rows that tap reads, as an [N·OH·OW, C] matrix. Returns [O, C, KH, KW] in the operands' dtype.
at::Tensor convolution_weight_gradient(const at::Tensor &grad_output, const at::Tensor &input, at::IntArrayRef kernel,
                                       at::IntArrayRef stride, at::IntArrayRef padding);

}  // namespace ctorch
