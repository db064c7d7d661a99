// 2-D convolution as matrix products for bfloat16 training where oneDNN runs AMX kernels, and for float32 training
// of short outputs where it runs AVX2 ones (ctorch_convolution.cpp): a private C++ header, not part of the module the
// Swift side imports.
#pragma once

#include <ATen/ATen.h>

#include <optional>

namespace ctorch {

/// Whether a bfloat16 training convolution runs as matrix products over the input's kernel-tap columns (its weight
/// gradient always, its forward where the product is deep enough and the output short) instead of oneDNN's
/// convolution primitives: where oneDNN runs AMX kernels. There oneDNN 2.6's (Debian's) AMX backward-weights
/// primitive took 8.5 s where the same sums as AMX matrix products took 1.3 s in one epoch of `sa` on the DSADS
/// shape, and its forward reached 100–200 GFLOP/s on the OPPORTUNITY shape's (3,1) stride-2 layers against ~330 for
/// its matrix product, with a layout reorder on each side (`DNNL_VERBOSE`; docs/PERFORMANCE.md, Sapphire Rapids
/// section). Chosen from the instruction set oneDNN reports (`DNNL_MAX_CPU_ISA` caps it), never by timing;
/// `force_convolution_as_products` overrides.
bool convolution_as_products();

/// Makes `convolution_as_products` answer `enabled` for the whole process (tests run both paths on any CPU); nullopt
/// puts the instruction set's choice back.
void force_convolution_as_products(std::optional<bool> enabled);

/// Whether a float32 training convolution with a short output plane (`float32_products_positions`) runs as matrix
/// products over the input's tap columns, forward and weight gradient, instead of oneDNN's convolution primitives:
/// where oneDNN runs AVX2 kernels and not AVX-512 ones. There oneDNN 2.6's direct convolution reached 30–46 GFLOP/s
/// forward and 42–48 backward-weights on the 3-wide WISDM plane's stride-2 layers against ~80 for the matrix product
/// (Zen 3, 1 thread; docs/PERFORMANCE.md, session 19); unmeasured on AVX-512 CPUs, which keep oneDNN. Chosen from the
/// instruction set oneDNN reports, never by timing; `force_float32_convolution_as_products` overrides.
bool float32_convolution_as_products();

/// Makes `float32_convolution_as_products` answer `enabled` for the whole process; nullopt puts the instruction set's
/// choice back.
void force_float32_convolution_as_products(std::optional<bool> enabled);

/// `at::conv2d(input, weight, bias, stride, padding, dilation, groups)`, as matrix products where
/// `convolution_as_products()` holds and the call is a bfloat16 training convolution (CPU autocast to bfloat16 on, or
/// bfloat16 operands; gradients recorded for the weight; one group, no dilation): the weight gradient always, the
/// forward when input channels × kernel taps reach one AMX tile's depth (32) and the output has at most 8 rows
/// (oneDNN's AMX forward measured slower than the products there, faster on longer outputs). The input gradient is
/// libtorch's either way. Likewise a float32 training convolution where `float32_convolution_as_products()` holds,
/// input channels × taps reach 32 and each window's output has at most `float32_products_positions` positions (rows
/// × columns): its forward and weight gradient as float32 products. Every other call is exactly `at::conv2d`.
at::Tensor conv2d(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias, at::IntArrayRef stride,
                  at::IntArrayRef padding, at::IntArrayRef dilation, int64_t groups);

/// The input elements each output position of a one-group, undilated 2-D convolution reads through each kernel tap:
/// for `input` [N, C, H, W] and a kernel of `kernel` [KH, KW] taps, a [KH·KW·C, N·OH·OW] matrix, rows in (tap,
/// channel) order and columns in (n, oh, ow) order; a tap that falls in the padding reads zero. The weight as an
/// [O, KH·KW·C] matrix times it is the convolution's output as [O, N·OH·OW].
at::Tensor convolution_columns(const at::Tensor &input, at::IntArrayRef kernel, at::IntArrayRef stride,
                               at::IntArrayRef padding);

/// dL/dweight [O, C, KH, KW] of that convolution, given dL/doutput `grad_output` [N, O, OH, OW] and the input's
/// `columns` (`convolution_columns`): `grad_output` as an [O, N·OH·OW] matrix times the columns' transpose, in the
/// operands' dtype.
at::Tensor convolution_weight_gradient(const at::Tensor &grad_output, const at::Tensor &columns,
                                       at::IntArrayRef weight_shape);

}  // namespace ctorch
