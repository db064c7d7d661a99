// Private to CTorch: the shim's vectorised passes — those of the fused spatial-attention block (ctorch_fused.cpp drives
// them), the recurrent cells' gate maths, the batch-1 recurrent product and dropout's masked scaling.
//
// The block maps feature maps x [B, F, T, C] (viewed as [B, F, N], N = T*C planes) through
//   m = mean_F x,  s = sigmoid(conv_(3,1)(m)),  y = x * s,  z = batch_norm(y),  out = relu(z).
// Each function below is one pass over the large tensors, vectorised with at::vec::Vectorized and
// parallelised with at::parallel_for. The passes are compiled once per instruction set (baseline SSE2, AVX2+FMA,
// AVX-512; ctorch_fused_kernels_impl.h) and the functions below call the copy ctorch_fused_isa.cpp selects. Storage types: float, double, bfloat16 (computed in float). The small
// per-sample and per-feature tensors (m, s, coefficients) are in the compute type: double for double, else float.
#pragma once

#include <ATen/ATen.h>
#include <array>

namespace ctorch {
namespace fused {

/// The 1→1 gate convolution: kernel taps along time (t-1, t, t+1) and the bias.
struct GateConv {
  double before, centre, after, bias;
};

/// Per-feature coefficients of y → z = y * scale + shift (batch norm folded to one multiply-add).
struct Affine {
  at::Tensor scale, shift;  // [F], compute type
};

/// Pass 1 (per sample): the map mean m and the gate s (both [B, N], compute type) and, when `plane_mean` and
/// `plane_m2` are defined ([B, F], double), each (sample, feature) plane's mean and sum of squared deviations of
/// y = x * s. The sample's F planes are read twice while they are still in cache.
void gate_and_plane_statistics(const at::Tensor &x, const GateConv &conv, int64_t time, at::Tensor &mean_map,
                               at::Tensor &gate, at::Tensor &plane_mean, at::Tensor &plane_m2);

/// Pass 2: out = relu(x * s * scale + shift), in x's type.
void scale_shift_relu(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, at::Tensor &out);

/// Backward pass 1 (per feature): with dz = grad_out where z > 0, the sums Σ dz and Σ dz (y - mean) ([F], double).
void relu_norm_sums(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, const at::Tensor &mean,
                    const at::Tensor &grad_out, at::Tensor &sum_dz, at::Tensor &sum_dz_centred);

/// Per-feature coefficients of dL/dy = a dz + b y + d (batch norm's backward, training or evaluation form).
struct NormGradient {
  at::Tensor a, b, d;  // [F], compute type
};

/// Backward pass 2 (per sample): dL/dx through the multiply and through the gate, and each sample's share of the gate
/// convolution's gradients ([B, 4] double: d before, d centre, d after, d bias).
void input_gradient(const at::Tensor &x, const at::Tensor &gate, const at::Tensor &mean_map, const Affine &affine,
                    const NormGradient &norm, const GateConv &conv, int64_t time, const at::Tensor &grad_out,
                    at::Tensor &grad_x, at::Tensor &conv_grads);

/// One LSTM step's gate maths for float32, in one pass instead of libtorch's seven element-wise calls (profiled:
/// at batch 1 those calls' dispatch was over a quarter of `deepconvlstm`'s latency, docs/PERFORMANCE.md). `gates`
/// `[B, 4H]` holds the pre-activations in PyTorch's order i, f, g, o and receives the activations (σ(i), σ(f),
/// tanh(g), σ(o)); `c_out` `[B, H]` receives σ(f)·c_prev + σ(i)·tanh(g) (it may be `c_prev` itself) and `h_out`
/// `[B, H]` σ(o)·tanh(c_out). All contiguous.
void lstm_cell(float *gates, const float *c_prev, float *c_out, float *h_out, int64_t batch, int64_t hidden);

/// The backward of one `lstm_cell` step for float32, in one pass instead of libtorch's fourteen element-wise calls
/// (ctorch_lstm_training.cpp). `gates` `[B, 4H]` holds the step's activations σ(i), σ(f), tanh(g), σ(o); `c_prev` and
/// `c` `[B, H]` the cell state it read and the one it wrote. `dh` `[B, H]` holds dL/dh carried from the later steps,
/// to which `grad_y` (may be null) adds the step's own output gradient. `dc` `[B, H]` holds dL/dc carried from the
/// later steps and receives dL/dc_prev; `grad_gates` `[B, 4H]` receives dL/d(gate pre-activations), the gradient of
/// the input and hidden projections alike. All contiguous.
void lstm_cell_backward(const float *gates, const float *c_prev, const float *c, const float *grad_y, const float *dh,
                        float *dc, float *grad_gates, int64_t batch, int64_t hidden);

/// One GRU step's gate maths for float32, in one pass instead of libtorch's five element-wise calls (the GRU paths,
/// ctorch_recurrent.cpp and ctorch_gru_training.cpp). `gates` `[B, 3H]` holds the input projection with b_ih in
/// PyTorch's order r, z, n and receives the activations r = σ(·), z = σ(·), n = tanh(·); `hidden_gates` `[B, 3H]` is
/// the hidden projection h_prev·W_hhᵀ + b_hh, added to the r and z pre-activations and, times r, to n's; `h_out`
/// `[B, H]` receives n + z·(h_prev − n). All contiguous.
void gru_cell(float *gates, const float *hidden_gates, const float *h_prev, float *h_out, int64_t batch, int64_t hidden);

/// The backward of one `gru_cell` step for float32, in one pass instead of about a dozen element-wise calls. `gates`
/// `[B, 3H]` holds the step's activations r, z, n; `hidden_gates` its hidden projection; `h_prev` `[B, H]` the state
/// it read. `dh` `[B, H]` holds dL/dh' carried from the later steps, to which `grad_y` (may be null) adds the step's
/// own output gradient; it receives dh·z, the part of dL/dh_prev that skips the hidden product. `grad_input_gates`
/// `[B, 3H]` receives dL/d(input projection) (r, z, n pre-activations) and `grad_hidden_gates` `[B, 3H]` dL/d(hidden
/// projection): the same in its r and z thirds, n's times r. All contiguous.
void gru_cell_backward(const float *gates, const float *hidden_gates, const float *h_prev, const float *grad_y,
                       float *dh, float *grad_input_gates, float *grad_hidden_gates, int64_t batch, int64_t hidden);

/// y += weight · x for float32 at batch 1: `weight` `[rows, columns]` row-major, `x` `[columns]`, `y` `[rows]`,
/// all contiguous; the recurrent inference path's hidden product h·W_hhᵀ (ctorch_recurrent.cpp). One pass over the
/// weight, four rows per pass over x, in row order or, `reversed`, from the last row, so that a step that follows
/// the previous step's order backwards starts on the rows still in cache. Each thread of libtorch's pool takes one
/// contiguous range of rows, in the same order.
void add_matrix_vector(const float *weight, const float *x, float *y, int64_t rows, int64_t columns, bool reversed);

/// Dropout's masked scaling (ctorch_dropout.cpp), one pass: `out[i] = x[i] · scale` where element i's 32-bit draw is
/// at least `threshold`, else 0. Elements 2k and 2k+1 take the low and high halves of SplitMix64's k-th 64-bit draw
/// from `seed`, so any split of the range, and every instruction set's copy, gives the same mask. `x` and `out`
/// contiguous, of one type: float, double or bfloat16 (computed in float).
void masked_scale(const at::Tensor &x, at::Tensor &out, uint64_t seed, uint32_t threshold, double scale);

/// One instruction set's copy of the four passes above, the recurrent cells, the batch-1 product and `masked_scale`.
struct Kernels {
  void (*gate_and_plane_statistics)(const at::Tensor &, const GateConv &, int64_t, at::Tensor &, at::Tensor &,
                                    at::Tensor &, at::Tensor &);
  void (*scale_shift_relu)(const at::Tensor &, const at::Tensor &, const Affine &, at::Tensor &);
  void (*relu_norm_sums)(const at::Tensor &, const at::Tensor &, const Affine &, const at::Tensor &,
                         const at::Tensor &, at::Tensor &, at::Tensor &);
  void (*input_gradient)(const at::Tensor &, const at::Tensor &, const at::Tensor &, const Affine &,
                         const NormGradient &, const GateConv &, int64_t, const at::Tensor &, at::Tensor &,
                         at::Tensor &);
  void (*lstm_cell)(float *, const float *, float *, float *, int64_t, int64_t);
  void (*lstm_cell_backward)(const float *, const float *, const float *, const float *, const float *, float *,
                             float *, int64_t, int64_t);
  void (*gru_cell)(float *, const float *, const float *, float *, int64_t, int64_t);
  void (*gru_cell_backward)(const float *, const float *, const float *, const float *, float *, float *, float *,
                            int64_t, int64_t);
  void (*add_matrix_vector)(const float *, const float *, float *, int64_t, int64_t, bool);
  void (*masked_scale)(const at::Tensor &, at::Tensor &, uint64_t, uint32_t, double);
};

// Each instruction set's copy (ATen's CPU_CAPABILITY names); null where the build left it out (not x86-64, or no
// sleef.h, which ATen's AVX2/AVX-512 vector headers include).
namespace DEFAULT { extern const Kernels *const kernels; }
namespace AVX2 { extern const Kernels *const kernels; }
namespace AVX512 { extern const Kernels *const kernels; }

}  // namespace fused
}  // namespace ctorch
