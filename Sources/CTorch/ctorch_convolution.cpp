// ctorch::conv2d (ctorch_convolution.h): libtorch's 2-D convolution, or, for bfloat16 training where oneDNN runs AMX
// kernels and for float32 training of short outputs where it runs AVX2 ones, the same convolution as matrix products
// over the input's kernel-tap columns.
#include "ctorch_convolution.h"
#include "ctorch_gemm.h"
#include "ctorch_internal.h"

#include <ATen/autocast_mode.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

#include <algorithm>
#include <atomic>
#include <vector>

using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// -1: the instruction set's choice; 0 or 1: forced.
std::atomic<int> forced_products{-1};

/// The smallest matrix depth (input channels × kernel taps) whose forward runs as a matrix product: one AMX tile
/// holds 32 bfloat16 values of depth, and a shallower product (the one-channel first layer) is a memory-bound pass
/// that oneDNN's direct convolution makes without the product's extra output transpose.
constexpr int64_t products_forward_depth = 32;

/// The most output rows (per window) whose forward runs as a matrix product. oneDNN 2.6's AMX forward convolution
/// (`brgconv`) slows down on short outputs: on the OPPORTUNITY shape's stride-2 layers, 8, 4 and 2 rows of 113, it
/// took 26–57, 57–72 and 118–181 ms per batch of 128 where the products took 22, 33 and 59; on PAMAP2's, 22 and 11
/// rows of 36, it took 50 and 80 ms against the products' 55 and 92, before the products' column copies
/// (`DNNL_VERBOSE`, Sapphire Rapids; docs/PERFORMANCE.md).
constexpr int64_t products_forward_rows = 8;

/// The most output positions per window (rows × columns) whose float32 training convolution runs as matrix products
/// where oneDNN runs AVX2 kernels. Measured on a Zen 3, 1 thread, batch 64, (3,1) taps at stride (2,1): on planes 3
/// wide (13–50 rows: 39–150 positions) the products took 0.50–0.75 of oneDNN's forward and 0.54–0.61 of its weight
/// gradient, columns included; 9 wide, 8 and 16 rows (72, 144) 0.74–0.79 forward and 0.71–0.82 weight gradient; 9 wide
/// with 32 rows (288) and 45 or 113 wide (720, 904) the forward took 1.1–2.2× oneDNN's (docs/PERFORMANCE.md, session 19).
constexpr int64_t float32_products_positions = 160;

/// -1: the instruction set's choice; 0 or 1: forced (float32 convolutions).
std::atomic<int> forced_float32_products{-1};

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

/// The output length along one axis of an undilated convolution over `length` input elements.
int64_t output_length(int64_t length, int64_t kernel, int64_t stride, int64_t padding) {
  return (length + 2 * padding - kernel) / stride + 1;
}

/// The output positions along one axis that read a real input element (not padding) through a tap `offset` elements
/// from the window's start (the tap's index less the padding): [first, end) of `outputs` positions, for an input of
/// `length` elements read every `stride`.
std::pair<int64_t, int64_t> reading_positions(int64_t outputs, int64_t stride, int64_t offset, int64_t length) {
  const int64_t first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const int64_t end = length - 1 - offset < 0 ? 0 : std::min(outputs, (length - 1 - offset) / stride + 1);
  return {std::min(first, outputs), std::max(end, std::min(first, outputs))};
}

/// The output positions (rows × columns) a convolution makes per window; at most 0 where the kernel does not fit.
int64_t positions_per_window(const at::Tensor &input, const at::Tensor &weight, at::IntArrayRef stride,
                             at::IntArrayRef padding) {
  const int64_t rows = output_length(input.size(2), weight.size(2), stride[0], padding[0]);
  const int64_t columns = output_length(input.size(3), weight.size(3), stride[1], padding[1]);
  return rows > 0 && columns > 0 ? rows * columns : 0;
}

/// The weight [O, C, KH, KW] as the [O, KH·KW·C] matrix that multiplies `ctorch::convolution_columns`.
at::Tensor weight_matrix(const at::Tensor &weight) {
  return weight.permute({0, 2, 3, 1}).reshape({weight.size(0), -1});
}

/// A one-group, undilated 2-D convolution as matrix products, in bfloat16 (`in_bfloat16`: operands cast as autocast
/// would) or in the operands' own float32: the weight gradient always as one product with the input's tap columns,
/// the forward too where the product is deep enough and the output short enough (bfloat16: `products_forward_depth`,
/// `products_forward_rows`; float32: `ctorch::conv2d` sends only such convolutions here; the columns are then kept
/// for the backward), the input gradient libtorch's. Gradients return in each operand's own dtype, as autocast's casts
/// would return them. A convolution without bias passes an empty `bias` (libtorch 1.13's custom functions cannot take
/// an undefined tensor among their inputs).
struct Conv2dAsProducts : public torch::autograd::Function<Conv2dAsProducts> {
  static variable_list forward(AutogradContext *ctx, Variable input, Variable weight, Variable bias,
                               std::vector<int64_t> stride, std::vector<int64_t> padding, bool in_bfloat16) {
    c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    const auto operand = [&](const at::Tensor &t) { return in_bfloat16 ? bfloat16(t) : t; };
    const at::Tensor x = operand(input), w = operand(weight), b = bias.numel() > 0 ? operand(bias) : at::Tensor();
    const int64_t outputs = w.size(0), depth = w.size(1) * w.size(2) * w.size(3);
    const int64_t rows = output_length(x.size(2), w.size(2), stride[0], padding[0]);
    at::Tensor out, columns;
    if (!in_bfloat16 || (depth >= products_forward_depth && rows <= products_forward_rows)) {
      const int64_t width = output_length(x.size(3), w.size(3), stride[1], padding[1]);
      columns = ctorch::convolution_columns(x, {w.size(2), w.size(3)}, stride, padding);
      const at::Tensor products =
          b.defined() ? at::addmm(b.view({outputs, 1}), weight_matrix(w), columns) : at::mm(weight_matrix(w), columns);
      out = products.view({outputs, x.size(0), rows, width}).permute({1, 0, 2, 3}).contiguous();
    } else {
      out = at::conv2d(x, w, b, stride, padding);
    }
    ctx->save_for_backward({x, w, columns});
    ctx->saved_data["stride"] = stride;
    ctx->saved_data["padding"] = padding;
    ctx->saved_data["input_type"] = static_cast<int64_t>(input.scalar_type());
    ctx->saved_data["weight_type"] = static_cast<int64_t>(weight.scalar_type());
    ctx->saved_data["has_bias"] = b.defined();
    ctx->saved_data["in_bfloat16"] = in_bfloat16;
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
    const at::Tensor grad = grad_outputs[0].to(x.scalar_type()).contiguous();
    at::Tensor grad_input, grad_weight, grad_bias;
    if (ctx->needs_input_grad(0)) {
      grad_input = std::get<0>(at::convolution_backward(grad, x, w, c10::nullopt, stride, padding, {1, 1}, false,
                                                        {0, 0}, 1, {true, false, false}))
                       .to(type("input_type"));
    }
    if (ctx->needs_input_grad(1)) {
      const at::Tensor columns =
          saved[2].defined() ? saved[2] : ctorch::convolution_columns(x, {w.size(2), w.size(3)}, stride, padding);
      grad_weight = ctorch::convolution_weight_gradient(grad, columns, w.sizes()).to(type("weight_type"));
    }
    if (ctx->needs_input_grad(2) && ctx->saved_data["has_bias"].toBool())
      grad_bias = grad.sum({0, 2, 3}, false, at::kFloat).to(type("bias_type"));
    return {grad_input, grad_weight, grad_bias, Variable(), Variable(), Variable()};
  }
};

}  // namespace

namespace ctorch {

bool convolution_as_products() {
  const int forced = forced_products.load(std::memory_order_relaxed);
  if (forced >= 0) return forced == 1;
  static const bool measured = onednn_runs(OneDNNInstructionSet::amx);
  return measured;
}

void force_convolution_as_products(std::optional<bool> enabled) {
  forced_products.store(enabled ? (*enabled ? 1 : 0) : -1, std::memory_order_relaxed);
}

bool float32_convolution_as_products() {
  const int forced = forced_float32_products.load(std::memory_order_relaxed);
  if (forced >= 0) return forced == 1;
  static const bool measured =
      onednn_runs(OneDNNInstructionSet::avx2) && !onednn_runs(OneDNNInstructionSet::avx512);
  return measured;
}

void force_float32_convolution_as_products(std::optional<bool> enabled) {
  forced_float32_products.store(enabled ? (*enabled ? 1 : 0) : -1, std::memory_order_relaxed);
}

at::Tensor conv2d(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias, at::IntArrayRef stride,
                  at::IntArrayRef padding, at::IntArrayRef dilation, int64_t groups) {
  const bool undilated = dilation.size() == 2 && dilation[0] == 1 && dilation[1] == 1;
  const bool suits = groups == 1 && undilated && stride.size() == 2 && padding.size() == 2 && input.dim() == 4 &&
                     weight.dim() == 4 && input.device().is_cpu() && at::GradMode::is_enabled() &&
                     weight.requires_grad();
  if (!suits) return at::conv2d(input, weight, bias, stride, padding, dilation, groups);
  const bool in_bfloat16 = computes_in_bfloat16(input, weight, bias);
  const auto is_float32 = [](const at::Tensor &t) { return t.scalar_type() == at::kFloat; };
  const bool short_float32 = !in_bfloat16 && is_float32(input) && is_float32(weight) &&
                             (!bias.defined() || is_float32(bias)) &&
                             weight.size(1) * weight.size(2) * weight.size(3) >= products_forward_depth &&
                             positions_per_window(input, weight, stride, padding) > 0 &&
                             positions_per_window(input, weight, stride, padding) <= float32_products_positions;
  if (!(in_bfloat16 && convolution_as_products()) && !(short_float32 && float32_convolution_as_products()))
    return at::conv2d(input, weight, bias, stride, padding, dilation, groups);
  const at::Tensor bias_or_empty = bias.defined() ? bias : at::empty({0}, weight.options().requires_grad(false));
  return Conv2dAsProducts::apply(input, weight, bias_or_empty, stride.vec(), padding.vec(), in_bfloat16)[0];
}

at::Tensor convolution_columns(const at::Tensor &input, at::IntArrayRef kernel, at::IntArrayRef stride,
                               at::IntArrayRef padding) {
  const int64_t batch = input.size(0), channels = input.size(1), height = input.size(2), width = input.size(3);
  const int64_t rows = output_length(height, kernel[0], stride[0], padding[0]);
  const int64_t columns = output_length(width, kernel[1], stride[1], padding[1]);
  at::Tensor result = at::empty({kernel[0] * kernel[1], channels, batch, rows, columns}, input.options());
  for (int64_t kh = 0; kh < kernel[0]; ++kh) {
    const auto [first_row, end_row] = reading_positions(rows, stride[0], kh - padding[0], height);
    for (int64_t kw = 0; kw < kernel[1]; ++kw) {
      const auto [first_column, end_column] = reading_positions(columns, stride[1], kw - padding[1], width);
      const at::Tensor tap = result.select(0, kh * kernel[1] + kw);  // [C, N, OH, OW]
      // Positions whose tap falls in the padding read zero: only those margins are written with it.
      tap.narrow(2, 0, first_row).zero_();
      tap.narrow(2, end_row, rows - end_row).zero_();
      tap.narrow(3, 0, first_column).zero_();
      tap.narrow(3, end_column, columns - end_column).zero_();
      if (end_row == first_row || end_column == first_column) continue;
      const int64_t top = first_row * stride[0] + kh - padding[0], left = first_column * stride[1] + kw - padding[1];
      tap.narrow(2, first_row, end_row - first_row)
          .narrow(3, first_column, end_column - first_column)
          .copy_(input.slice(2, top, top + (end_row - first_row - 1) * stride[0] + 1, stride[0])
                     .slice(3, left, left + (end_column - first_column - 1) * stride[1] + 1, stride[1])
                     .transpose(0, 1));
    }
  }
  return result.view({kernel[0] * kernel[1] * channels, batch * rows * columns});
}

at::Tensor convolution_weight_gradient(const at::Tensor &grad_output, const at::Tensor &columns,
                                       at::IntArrayRef weight_shape) {
  const int64_t outputs = grad_output.size(1);
  // [O, N·OH·OW]: one output channel's gradient per row, positions in (n, oh, ow) order as the columns have them.
  const at::Tensor grad = grad_output.transpose(0, 1).reshape({outputs, columns.size(1)});
  return at::mm(grad, columns.t())
      .view({outputs, weight_shape[2], weight_shape[3], weight_shape[1]})
      .permute({0, 3, 1, 2})
      .contiguous();
}

}  // namespace ctorch
