// A cheaper LSTM/GRU for inference: one GEMM for the input projection of all time steps per layer, then per step
// one GEMV (batch 1) or GEMM for the hidden state and the gate maths in place on preallocated buffers, no autograd.
// Profiled (issue 17): at batch 1, libtorch 1.13's at::lstm spends ~96% of its time in the per-step addmm
// h·W_hhᵀ, which OpenBLAS 0.3.21 runs as a full GEMM that packs all of W_hh on every call; a GEMV reads W_hh once.
#include "ctorch_fused_kernels.h"
#include "ctorch_gemm.h"
#include "ctorch_internal.h"
#include "ctorch_recurrent.h"
#include "ctorch_recurrent_training.h"
#include "ctorch_transposed_weights.h"

#include <ATen/autocast_mode.h>

using ctorch::owned;
using ctorch::required;
using ctorch::tensor_list;
using ctorch::unwrap;

namespace {

/// Gates per cell: LSTM i, f, g, o; GRU r, z, n (PyTorch's order).
int64_t gate_count(ct_cell cell) { return cell == CT_CELL_LSTM ? 4 : 3; }

/// Why this call cannot take the inference path, or an empty string when it can.
std::string unmet_condition(ct_cell cell, const at::Tensor &x, const std::vector<at::Tensor> &params, int64_t layers,
                            bool training, bool bidirectional) {
  if (cell != CT_CELL_LSTM && cell != CT_CELL_GRU) return "unknown cell " + std::to_string(static_cast<int>(cell));
  if (training) return "the layer is in training mode";
  if (at::GradMode::is_enabled()) return "autograd is recording (use no_grad or inference mode)";
  if (at::autocast::is_cpu_enabled()) return "CPU autocast is on";
  if (bidirectional) return "the layer is bidirectional";
  return ctorch::recurrent_arguments_unmet(x, params, layers);
}

}  // namespace

std::string ctorch::recurrent_arguments_unmet(const at::Tensor &x, const std::vector<at::Tensor> &params, int64_t layers) {
  if (x.dim() != 3) return "the input is not a batched 3-D sequence";
  if (x.size(0) == 0 || x.size(1) == 0 || x.size(2) == 0) return "the input is empty";
  if (!x.device().is_cpu() || x.layout() != at::kStrided) return "the input is not a dense CPU tensor";
  if (x.scalar_type() != at::kFloat && x.scalar_type() != at::kDouble) return "the input is neither float32 nor float64";
  if (layers < 1 || static_cast<int64_t>(params.size()) != 4 * layers)
    return "expected 4 tensors (w_ih, w_hh, b_ih, b_hh) per layer";
  for (const auto &p : params)
    if (!p.device().is_cpu() || p.layout() != at::kStrided || p.scalar_type() != x.scalar_type())
      return "a weight is not a dense CPU tensor of the input's dtype";
  return "";
}

bool ctorch::recurrent_training_applies(const at::Tensor &x, const std::vector<at::Tensor> &params, int64_t layers,
                                        bool bidirectional) {
  return at::GradMode::is_enabled() && !at::autocast::is_cpu_enabled() && !bidirectional &&
         recurrent_arguments_unmet(x, params, layers).empty();
}

namespace {

/// The layer's initial state `[B, H]`: slice `layer` of `given` `[layers, B, H]`, or zeros.
at::Tensor initial_state(const at::Tensor &given, int64_t layer, int64_t batch, int64_t hidden,
                         const at::TensorOptions &options) {
  return given.defined() ? given.select(0, layer).contiguous() : at::zeros({batch, hidden}, options);
}

/// A layer's weight `[out, in]` as the right operand `[in, out]` of its products: the transpose kept between calls
/// (ctorch::cached_transpose; never slower than the transposed view, up to 1.2× faster for the wide input projections),
/// or the view where the weight is an inference tensor.
at::Tensor right_operand(const at::Tensor &weight) {
  at::Tensor transposed = ctorch::cached_transpose(weight);
  return transposed.defined() ? transposed : weight.t();
}

/// A layer's input projection over every step at once: `input` `[T, B, I]` times W_ihᵀ plus `bias`, as
/// `[T, B, gates·H]`.
at::Tensor input_projection(const at::Tensor &input, const at::Tensor &w_ih, const at::Tensor &bias) {
  const int64_t steps = input.size(0), batch = input.size(1);
  return ctorch::product_plus_bias(input.reshape({steps * batch, input.size(2)}), right_operand(w_ih), bias)
      .view({steps, batch, w_ih.size(0)});
}

/// The right operand of the hidden products (`add_hidden_projection`): `right_operand(w_hh)` for a batch, the view
/// W_hhᵀ at batch 1, which multiplies by W_hh's rows and needs no transpose kept.
at::Tensor hidden_right_operand(const at::Tensor &w_hh, int64_t batch) {
  return batch > 1 ? right_operand(w_hh) : w_hh.t();
}

/// W_hh bytes per block of the batch-1 hidden product (ctorch::add_product_by_weight_blocks): a quarter of a 1 MiB
/// L2, the smallest of the CPUs met, so a weight that fits one block is multiplied in one call and a larger one's last
/// blocks are still cached when the next step starts on them.
constexpr int64_t kHiddenWeightBlockBytes = 256 * 1024;

/// gates = projected + h · W_hhᵀ at time step `step` (`projected` already holds the input projection and biases;
/// `w_hh_right` is `right_operand(w_hh)`). float32 at batch 1 takes the product `ctorch::batch_one_product` names,
/// in an order of W_hh's rows that alternates from step to step: the shim's one-pass product, or oneDNN's sgemm by
/// blocks of rows (1–4% faster per forward than ATen's `addmv`, which skips OpenBLAS's per-call packing of W_hh, see
/// ctorch_recurrent.h); float64 at batch 1 is `addmv`.
void add_hidden_projection(at::Tensor &gates, const at::Tensor &projected, const at::Tensor &w_hh,
                           const at::Tensor &w_hh_right, const at::Tensor &h, int64_t step) {
  const bool float32 = gates.scalar_type() == at::kFloat;
  if (h.size(0) == 1 && float32 && ctorch::batch_one_product() == ctorch::BatchOneProduct::fused &&
      w_hh.is_contiguous() && h.is_contiguous()) {
    gates.copy_(projected);
    ctorch::fused::add_matrix_vector(w_hh.data_ptr<float>(), h.data_ptr<float>(), gates.data_ptr<float>(),
                                     w_hh.size(0), w_hh.size(1), step % 2 == 1);
  } else if (h.size(0) == 1 && float32 && CTORCH_ONEDNN_GEMM) {
    gates.copy_(projected);
    ctorch::add_product_by_weight_blocks(gates, h, w_hh, kHiddenWeightBlockBytes, step % 2 == 1);
  } else if (h.size(0) == 1) {
    at::Tensor out = gates.select(0, 0);
    at::addmv_out(out, projected.select(0, 0), w_hh, h.select(0, 0));
  } else {
    gates.copy_(projected);
    ctorch::matmul_into(gates, h, w_hh_right, 1);
  }
}

/// One LSTM layer over time-major `input` `[T, B, I]`; writes `[T, B, H]` to `y` and leaves the last cell state in `c`.
void lstm_layer(const at::Tensor &input, const at::Tensor &w_ih, const at::Tensor &w_hh, const at::Tensor &b_ih,
                const at::Tensor &b_hh, at::Tensor h, at::Tensor &c, at::Tensor &y) {
  const int64_t steps = input.size(0), batch = input.size(1), hidden = w_hh.size(1);
  // Both biases fold into the one projection GEMM: (x·W_ihᵀ + b_ih + b_hh) + h·W_hhᵀ per step.
  const at::Tensor projected = input_projection(input, w_ih, b_ih + b_hh);
  const at::Tensor w_hh_right = hidden_right_operand(w_hh, batch);
  at::Tensor gates = at::empty({batch, 4 * hidden}, input.options());
  // float32 takes the gate maths in one pass (ctorch::fused::lstm_cell); float64 keeps libtorch's calls, and only it
  // needs their buffer and gate views.
  if (input.scalar_type() == at::kFloat) {
    for (int64_t t = 0; t < steps; ++t) {
      add_hidden_projection(gates, projected[t], w_hh, w_hh_right, h, t);
      h = y[t];
      ctorch::fused::lstm_cell(gates.data_ptr<float>(), c.data_ptr<float>(), c.data_ptr<float>(), h.data_ptr<float>(),
                               batch, hidden);
    }
    return;
  }
  at::Tensor cell_tanh = at::empty({batch, hidden}, input.options());
  at::Tensor in_forget = gates.narrow(1, 0, 2 * hidden), input_gate = gates.narrow(1, 0, hidden);
  at::Tensor forget_gate = gates.narrow(1, hidden, hidden), candidate = gates.narrow(1, 2 * hidden, hidden);
  at::Tensor output_gate = gates.narrow(1, 3 * hidden, hidden);
  for (int64_t t = 0; t < steps; ++t) {
    add_hidden_projection(gates, projected[t], w_hh, w_hh_right, h, t);
    in_forget.sigmoid_();
    output_gate.sigmoid_();
    candidate.tanh_();
    c.mul_(forget_gate).addcmul_(input_gate, candidate);
    at::tanh_out(cell_tanh, c);
    h = y[t];
    at::mul_out(h, output_gate, cell_tanh);
  }
}

/// One GRU layer over time-major `input` `[T, B, I]`; writes `[T, B, H]` to `y`.
void gru_layer(const at::Tensor &input, const at::Tensor &w_ih, const at::Tensor &w_hh, const at::Tensor &b_ih,
               const at::Tensor &b_hh, at::Tensor h, at::Tensor &y) {
  const int64_t steps = input.size(0), batch = input.size(1), hidden = w_hh.size(1);
  const at::Tensor projected = input_projection(input, w_ih, b_ih);
  const at::Tensor w_hh_right = hidden_right_operand(w_hh, batch);
  // The hidden projection keeps b_hh apart: the new gate multiplies (h·W_hnᵀ + b_hn) by the reset gate.
  const at::Tensor hidden_bias = b_hh.expand({batch, 3 * hidden});
  at::Tensor gates = at::empty({batch, 3 * hidden}, input.options());
  // float32 takes the gate maths in one pass (ctorch::fused::gru_cell, over the step's input projection in place);
  // float64 keeps libtorch's calls, and only it needs their buffers and gate views.
  if (input.scalar_type() == at::kFloat) {
    float *step = projected.data_ptr<float>();
    for (int64_t t = 0; t < steps; ++t, step += batch * 3 * hidden) {
      add_hidden_projection(gates, hidden_bias, w_hh, w_hh_right, h, t);
      const float *previous = h.data_ptr<float>();
      h = y[t];
      ctorch::fused::gru_cell(step, gates.data_ptr<float>(), previous, h.data_ptr<float>(), batch, hidden);
    }
    return;
  }
  at::Tensor new_gate = at::empty({batch, hidden}, input.options());
  at::Tensor difference = at::empty({batch, hidden}, input.options());
  at::Tensor reset_update = gates.narrow(1, 0, 2 * hidden), reset_gate = gates.narrow(1, 0, hidden);
  at::Tensor update_gate = gates.narrow(1, hidden, hidden), hidden_new = gates.narrow(1, 2 * hidden, hidden);
  for (int64_t t = 0; t < steps; ++t) {
    const at::Tensor step = projected[t];
    add_hidden_projection(gates, hidden_bias, w_hh, w_hh_right, h, t);
    reset_update.add_(step.narrow(1, 0, 2 * hidden)).sigmoid_();
    at::addcmul_out(new_gate, step.narrow(1, 2 * hidden, hidden), hidden_new, reset_gate).tanh_();
    at::sub_out(difference, h, new_gate);
    h = y[t];
    at::addcmul_out(h, new_gate, difference, update_gate);
  }
}

/// Throws naming the first layer whose weights do not fit `inputs` features into `hidden` features.
void check_weight_shapes(const std::vector<at::Tensor> &weights, int64_t layers, int64_t gates, int64_t inputs,
                         int64_t hidden) {
  for (int64_t layer = 0; layer < layers; ++layer) {
    const at::Tensor &w_ih = weights[4 * layer], &w_hh = weights[4 * layer + 1];
    const int64_t expected_inputs = layer == 0 ? inputs : hidden;
    const bool fits = w_ih.dim() == 2 && w_ih.size(0) == gates * hidden && w_ih.size(1) == expected_inputs &&
                      w_hh.dim() == 2 && w_hh.size(0) == gates * hidden && w_hh.size(1) == hidden &&
                      weights[4 * layer + 2].numel() == gates * hidden && weights[4 * layer + 3].numel() == gates * hidden;
    if (!fits)
      throw std::invalid_argument("recurrent inference path: the weights of layer " + std::to_string(layer) +
                                  " do not fit " + std::to_string(expected_inputs) + " inputs and " +
                                  std::to_string(hidden) + " hidden features");
  }
}

/// ct_nn_recurrent_inference's body (outside the macro, whose arguments cannot hold commas).
void run_inference(ct_cell cell, ct_tensor x, ct_tensor h0, ct_tensor c0, const ct_tensor *params, int nparams,
                   int64_t layers, bool batch_first, ct_tensor *out_y, ct_tensor *out_h, ct_tensor *out_c) {
  required(out_y, "output pointer");
  required(out_h, "output pointer");
  const bool lstm = cell == CT_CELL_LSTM;
  if (lstm) required(out_c, "output pointer");
  const at::Tensor &input = unwrap(x);
  const auto weights = tensor_list(params, nparams);
  const std::string unmet = unmet_condition(cell, input, weights, layers, false, false);
  if (!unmet.empty()) throw std::invalid_argument("recurrent inference path: " + unmet);
  const int64_t hidden = weights[1].size(-1), batch = input.size(batch_first ? 0 : 1);
  check_weight_shapes(weights, layers, gate_count(cell), input.size(2), hidden);
  const at::Tensor h_given = h0 ? unwrap(h0) : at::Tensor();
  const at::Tensor c_given = lstm && c0 ? unwrap(c0) : at::Tensor();
  at::Tensor sequence = batch_first ? input.transpose(0, 1) : input;  // time-major [T, B, I]
  std::vector<at::Tensor> last_h, last_c;
  for (int64_t layer = 0; layer < layers; ++layer) {
    const at::Tensor &w_ih = weights[4 * layer], &w_hh = weights[4 * layer + 1];
    const at::Tensor &b_ih = weights[4 * layer + 2], &b_hh = weights[4 * layer + 3];
    at::Tensor y = at::empty({sequence.size(0), batch, hidden}, input.options());
    const at::Tensor h = initial_state(h_given, layer, batch, hidden, input.options());
    if (lstm) {
      at::Tensor c = initial_state(c_given, layer, batch, hidden, input.options()).clone();
      lstm_layer(sequence, w_ih, w_hh, b_ih, b_hh, h, c, y);
      last_c.push_back(c);
    } else {
      gru_layer(sequence, w_ih, w_hh, b_ih, b_hh, h, y);
    }
    last_h.push_back(y[-1]);
    sequence = y;
  }
  auto y = owned(batch_first ? sequence.transpose(0, 1) : sequence);
  auto h_n = owned(at::stack(last_h));
  auto c_n = lstm ? owned(at::stack(last_c)) : nullptr;
  *out_y = y.release();
  *out_h = h_n.release();
  if (lstm) *out_c = c_n.release();
}

}  // namespace

int ct_nn_recurrent_inference_applies(ct_cell cell, ct_tensor x, const ct_tensor *params, int nparams, int64_t layers,
                                      int training, int bidirectional) {
  CT_PROTECT(-1, {
    return unmet_condition(cell, unwrap(x), tensor_list(params, nparams), layers, training != 0, bidirectional != 0)
                   .empty()
               ? 1
               : 0;
  })
}

int ct_recurrent_batch_one_product(void) { return static_cast<int>(ctorch::batch_one_product()); }

void ct_recurrent_batch_one_product_force(int product) {
  using ctorch::BatchOneProduct;
  ctorch::force_batch_one_product(product == 0 || product == 1
                                      ? std::optional<BatchOneProduct>(static_cast<BatchOneProduct>(product))
                                      : std::nullopt);
}

int ct_nn_recurrent_inference(ct_cell cell, ct_tensor x, ct_tensor h0, ct_tensor c0, const ct_tensor *params,
                              int nparams, int64_t layers, int batch_first, ct_tensor *out_y, ct_tensor *out_h,
                              ct_tensor *out_c) {
  CT_STATUS(run_inference(cell, x, h0, c0, params, nparams, layers, batch_first != 0, out_y, out_h, out_c))
}
