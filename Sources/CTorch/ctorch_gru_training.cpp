// The GRU training path: one autograd node per layer instead of libtorch 1.13's cell-by-cell graph, as the LSTM's
// (ctorch_lstm_training.cpp). at::gru records each step's gate maths as a dozen autograd nodes and, backward, computes
// dL/dW_hh step by step (a small GEMM and a 3H × H accumulation per step); `gru` trained at 0.7–0.95× PyTorch 2.15's
// per CPU second on the UCI-HAR, WISDM and PAMAP2 shapes (Sapphire Rapids, 1 thread, both flushing subnormals).
// Forward: one GEMM for every step's input projection, then per step one GEMM for the hidden projection (kept apart:
// the new gate multiplies h·W_hnᵀ + b_hn by the reset gate) and the gate maths in place. Backward: per step the gate
// gradients and one GEMM for dL/dh, then one GEMM each for dL/dW_ih, dL/dW_hh and dL/dx over all steps at once.
// float32 takes each step's gate maths, forward and backward, in one pass (ctorch::fused::gru_cell and
// gru_cell_backward); float64, the precision of the equivalence proofs, keeps libtorch's element-wise calls.
#include "ctorch_fused_kernels.h"
#include "ctorch_gemm.h"
#include "ctorch_internal.h"
#include "ctorch_recurrent_training.h"

using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// One GRU layer over time-major input `[T, B, I]` with initial state `[B, H]`: returns (y `[T, B, H]`, h_T).
/// Saves the activated gates r, z, n and the hidden projection of every step.
struct GRULayer : public torch::autograd::Function<GRULayer> {
  static variable_list forward(AutogradContext *ctx, const Variable &x_in, const Variable &h0_in, const Variable &w_ih,
                               const Variable &w_hh, const Variable &b_ih, const Variable &b_hh) {
    const at::Tensor x = x_in.contiguous(), h0 = h0_in.contiguous();
    const int64_t steps = x.size(0), batch = x.size(1), hidden = w_hh.size(1);
    // Every step's input projection with b_ih in one GEMM; its r, z and n thirds are overwritten by the gates.
    at::Tensor gates = ctorch::linear_rows(x.view({steps * batch, x.size(2)}), w_ih, b_ih).view({steps, batch, 3 * hidden});
    // Every step's hidden projection starts as b_hh; step t adds h_(t-1)·W_hhᵀ.
    // (A fresh tensor: with one step of one sample, expand(...).contiguous() would be b_hh itself, overwritten below.)
    at::Tensor hidden_gates = at::empty({steps, batch, 3 * hidden}, x.options());
    hidden_gates.copy_(b_hh.expand({steps, batch, 3 * hidden}));
    at::Tensor y = at::empty({steps, batch, hidden}, x.options());
    const at::Tensor w_hh_t = w_hh.t();
    // float32 takes the gate maths in one pass (ctorch::fused::gru_cell); float64 keeps libtorch's calls.
    const bool one_pass = x.scalar_type() == at::kFloat;
    at::Tensor h = h0;
    for (int64_t t = 0; t < steps; ++t) {
      at::Tensor g = gates[t], hg = hidden_gates[t], y_t = y[t];
      ctorch::matmul_into(hg, h, w_hh_t, 1);
      if (one_pass) {
        ctorch::fused::gru_cell(g.data_ptr<float>(), hg.data_ptr<float>(), h.data_ptr<float>(), y_t.data_ptr<float>(),
                                batch, hidden);
      } else {
        // r, z = σ(input + hidden projections); n = tanh(input projection + r · hidden projection); h' = n + z·(h − n).
        g.narrow(1, 0, 2 * hidden).add_(hg.narrow(1, 0, 2 * hidden)).sigmoid_();
        at::Tensor n = g.narrow(1, 2 * hidden, hidden);
        n.addcmul_(g.narrow(1, 0, hidden), hg.narrow(1, 2 * hidden, hidden)).tanh_();
        at::sub_out(y_t, h, n).mul_(g.narrow(1, hidden, hidden)).add_(n);
      }
      h = y_t;
    }
    ctx->save_for_backward({x, h0, w_ih, w_hh, gates, hidden_gates, y});
    return {y, y[steps - 1].clone()};
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &h0 = saved[1], &w_ih = saved[2], &w_hh = saved[3];
    const at::Tensor &gates = saved[4], &hidden_gates = saved[5], &y = saved[6];
    const int64_t steps = x.size(0), batch = x.size(1), hidden = w_hh.size(1);
    const bool one_pass = x.scalar_type() == at::kFloat;
    const at::Tensor grad_y = one_pass && grad_outputs[0].defined() ? grad_outputs[0].contiguous() : grad_outputs[0];
    at::Tensor dh = grad_outputs[1].defined() ? grad_outputs[1].clone(at::MemoryFormat::Contiguous)
                                              : at::zeros({batch, hidden}, x.options());
    // dL/d(input projection) and dL/d(hidden projection) per step: equal in their r and z thirds; the hidden one's
    // n third is the input one's times r.
    at::Tensor grad_input_gates = at::empty({steps, batch, 3 * hidden}, x.options());
    at::Tensor grad_hidden_gates = at::empty({steps, batch, 3 * hidden}, x.options());
    at::Tensor scratch = one_pass ? at::Tensor() : at::empty({batch, hidden}, x.options());
    const ctorch::BackwardGemmLibraries libraries(ctorch::backward_gemm_policy(), hidden);
    for (int64_t t = steps - 1; t >= 0; --t) {
      at::Tensor dg = grad_input_gates[t], dhg = grad_hidden_gates[t];
      if (one_pass) {
        // float32: the gate gradients and dh·z in one pass (ctorch::fused::gru_cell_backward), on pointers into the
        // step's rows rather than a view of each buffer per step.
        const int64_t gate_offset = t * batch * 3 * hidden, state_offset = t * batch * hidden;
        const float *h_prev = t > 0 ? y.data_ptr<float>() + state_offset - batch * hidden : h0.data_ptr<float>();
        ctorch::fused::gru_cell_backward(gates.data_ptr<float>() + gate_offset, hidden_gates.data_ptr<float>() + gate_offset,
                                         h_prev, grad_y.defined() ? grad_y.data_ptr<float>() + state_offset : nullptr,
                                         dh.data_ptr<float>(), dg.data_ptr<float>(), dhg.data_ptr<float>(), batch,
                                         hidden);
      } else {
        const at::Tensor h_prev = t > 0 ? y[t - 1] : h0;
        if (grad_y.defined()) dh.add_(grad_y[t]);
        const at::Tensor g = gates[t];
        const at::Tensor reset = g.narrow(1, 0, hidden), update = g.narrow(1, hidden, hidden);
        const at::Tensor candidate = g.narrow(1, 2 * hidden, hidden);
        const at::Tensor hidden_new = hidden_gates[t].narrow(1, 2 * hidden, hidden);
        at::Tensor d_reset = dg.narrow(1, 0, hidden), d_update = dg.narrow(1, hidden, hidden);
        at::Tensor d_candidate = dg.narrow(1, 2 * hidden, hidden);
        // dL/dn = dh · (1 − z), through tanh.
        at::mul_out(scratch, dh, update);
        at::sub_out(scratch, dh, scratch);
        at::tanh_backward_out(d_candidate, scratch, candidate);
        // dL/dz = dh · (h_(t-1) − n), through σ.
        at::sub_out(scratch, h_prev, candidate).mul_(dh);
        at::sigmoid_backward_out(d_update, scratch, update);
        // dL/dr = dL/d(n's argument) · (h·W_hnᵀ + b_hn), through σ.
        at::mul_out(scratch, d_candidate, hidden_new);
        at::sigmoid_backward_out(d_reset, scratch, reset);
        dhg.narrow(1, 0, 2 * hidden).copy_(dg.narrow(1, 0, 2 * hidden));
        at::Tensor d_hidden_new = dhg.narrow(1, 2 * hidden, hidden);
        at::mul_out(d_hidden_new, d_candidate, reset);
        dh.mul_(update);
      }
      // dL/dh_(t-1) = dh · z + dL/d(hidden projection) · W_hh.
      ctorch::matmul_into(dh, dhg, w_hh, 1, libraries.hidden_gradient);
    }
    // The weight gradients of all steps at once: [3H, T·B] · [T·B, I or H]. dL/dW_hh pairs step t's hidden-projection
    // gradients with h_(t-1): step 0's with h0, the others' with the outputs of steps 0 … T-2.
    const at::Tensor flat_input_grad = grad_input_gates.view({steps * batch, 3 * hidden});
    const at::Tensor flat_hidden_grad = grad_hidden_gates.view({steps * batch, 3 * hidden});
    at::Tensor grad_x = at::empty({steps * batch, x.size(2)}, x.options());
    ctorch::matmul_into(grad_x, flat_input_grad, w_ih, 0);
    const at::Tensor grad_w_ih = ctorch::sum_of_transposed_products(
        {{flat_input_grad, x.view({steps * batch, x.size(2)})}}, libraries.weight_gradients,
        libraries.transposes_weight_gradient(x.size(2)));
    std::vector<std::pair<at::Tensor, at::Tensor>> hidden_pairs{{grad_hidden_gates[0], h0}};
    if (steps > 1)
      hidden_pairs.emplace_back(flat_hidden_grad.narrow(0, batch, (steps - 1) * batch),
                                y.narrow(0, 0, steps - 1).reshape({(steps - 1) * batch, hidden}));
    const at::Tensor grad_w_hh = ctorch::sum_of_transposed_products(hidden_pairs, libraries.weight_gradients,
                                                                    libraries.transposes_weight_gradient(hidden));
    return {grad_x.view({steps, batch, x.size(2)}), dh, grad_w_ih, grad_w_hh, flat_input_grad.sum(0),
            flat_hidden_grad.sum(0)};
  }
};

}  // namespace

namespace ctorch {

std::tuple<at::Tensor, at::Tensor> gru_training(const at::Tensor &x, const at::Tensor &h0,
                                                const std::vector<at::Tensor> &params, int64_t layers, double dropout,
                                                bool train, bool batch_first) {
  std::vector<at::Tensor> hs;
  const at::Tensor y = stacked_layers(x, layers, dropout, train, batch_first, [&](const at::Tensor &input, int64_t layer) {
    const auto *w = &params[4 * layer];
    auto out = GRULayer::apply(input, h0.select(0, layer), w[0], w[1], w[2], w[3]);
    hs.push_back(out[1]);
    return out[0];
  });
  return {y, at::stack(hs)};
}

}  // namespace ctorch
