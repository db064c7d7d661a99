// The LSTM training path: one autograd node per layer instead of libtorch 1.13's cell-by-cell graph.
// Profiled (issue 17, `lstm` on the UCI-HAR shape, batch 64, 1 thread, PyTorch 1.13's profiler): at::lstm's backward
// is 128 steps × (two small GEMMs for dL/dh and dL/dW_hh, a 4 MiB add accumulating dL/dW_hh, a cat joining the four
// gate gradients): `mm` 42%, `addmm` 20%, `add` 13%, `cat` 12% of the step. PyTorch 2.15 trains the same layer with
// oneDNN's RNN primitive, which keeps the per-step work to one GEMM and batches the weight gradients. This layer does
// the same with ATen ops and oneDNN's sgemm (ctorch_gemm.h): forward, one GEMM for every step's input projection, then per step one GEMM into a
// preallocated gate buffer and the gate maths; backward, per step the gate gradients and one GEMM for dL/dh, then one
// GEMM each for dL/dW_ih, dL/dW_hh and dL/dx over all steps at once. The backward's dL/dh and weight-gradient
// products take the library measured faster for this CPU's instruction set (ctorch::backward_gemm_policy).
// float32 takes each step's gate maths in one pass, forward and backward (ctorch::fused::lstm_cell and
// lstm_cell_backward); float64, the precision of the equivalence proofs, keeps libtorch's element-wise calls.
#include "ctorch_fused_kernels.h"
#include "ctorch_gemm.h"
#include "ctorch_internal.h"
#include "ctorch_recurrent_training.h"

using torch::autograd::AutogradContext;
using torch::autograd::Variable;
using torch::autograd::variable_list;

namespace {

/// One LSTM layer over time-major input `[T, B, I]` with initial state `[B, H]`: returns (y `[T, B, H]`, h_T, c_T).
/// Saves the activated gates and every cell state; backward recomputes tanh(c).
struct LSTMLayer : public torch::autograd::Function<LSTMLayer> {
  static variable_list forward(AutogradContext *ctx, const Variable &x_in, const Variable &h0_in, const Variable &c0_in,
                               const Variable &w_ih, const Variable &w_hh, const Variable &b_ih, const Variable &b_hh) {
    const at::Tensor x = x_in.contiguous(), h0 = h0_in.contiguous(), c0 = c0_in.contiguous();
    const int64_t steps = x.size(0), batch = x.size(1), hidden = w_hh.size(1);
    // Every step's input projection and both biases in one GEMM; the gates of step t are then added in place.
    at::Tensor gates = ctorch::linear_rows(x.view({steps * batch, x.size(2)}), w_ih, b_ih + b_hh).view({steps, batch, 4 * hidden});
    at::Tensor cells = at::empty({steps, batch, hidden}, x.options());
    at::Tensor y = at::empty({steps, batch, hidden}, x.options());
    at::Tensor h = h0, c = c0;
    const at::Tensor w_hh_t = w_hh.t();
    // float32 takes the gate maths in one pass (ctorch::fused::lstm_cell); float64 keeps libtorch's calls, and only it
    // needs the tanh(c) buffer.
    const bool one_pass = x.scalar_type() == at::kFloat;
    at::Tensor tanh_c = one_pass ? at::Tensor() : at::empty({batch, hidden}, x.options());
    for (int64_t t = 0; t < steps; ++t) {
      at::Tensor g = gates[t];
      ctorch::matmul_into(g, h, w_hh_t, 1);
      at::Tensor c_t = cells[t], y_t = y[t];
      if (one_pass) {
        ctorch::fused::lstm_cell(g.data_ptr<float>(), c.data_ptr<float>(), c_t.data_ptr<float>(), y_t.data_ptr<float>(),
                                 batch, hidden);
      } else {
        // i, f, g, o (PyTorch's order): sigmoid on i and f together, tanh on g, sigmoid on o.
        g.narrow(1, 0, 2 * hidden).sigmoid_();
        at::Tensor cell_gate = g.narrow(1, 2 * hidden, hidden).tanh_();
        at::Tensor out_gate = g.narrow(1, 3 * hidden, hidden).sigmoid_();
        at::mul_out(c_t, g.narrow(1, hidden, hidden), c);
        c_t.addcmul_(g.narrow(1, 0, hidden), cell_gate);
        at::tanh_out(tanh_c, c_t);
        at::mul_out(y_t, out_gate, tanh_c);
      }
      h = y_t;
      c = c_t;
    }
    ctx->save_for_backward({x, h0, c0, w_ih, w_hh, gates, cells, y});
    return {y, y[steps - 1].clone(), cells[steps - 1].clone()};
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &h0 = saved[1], &c0 = saved[2], &w_ih = saved[3], &w_hh = saved[4];
    const at::Tensor &gates = saved[5], &cells = saved[6], &y = saved[7];
    const int64_t steps = x.size(0), batch = x.size(1), hidden = w_hh.size(1);
    // float32 takes each step's gate gradients in one pass (ctorch::fused::lstm_cell_backward); float64 keeps
    // libtorch's element-wise calls.
    const bool one_pass = x.scalar_type() == at::kFloat;
    const at::Tensor grad_y = one_pass && grad_outputs[0].defined() ? grad_outputs[0].contiguous() : grad_outputs[0];
    at::Tensor dh = grad_outputs[1].defined() ? grad_outputs[1].clone(at::MemoryFormat::Contiguous)
                                              : at::zeros({batch, hidden}, x.options());
    at::Tensor dc = grad_outputs[2].defined() ? grad_outputs[2].clone(at::MemoryFormat::Contiguous)
                                              : at::zeros({batch, hidden}, x.options());
    at::Tensor grad_gates = at::empty({steps, batch, 4 * hidden}, x.options());
    at::Tensor tanh_c, scratch;
    if (!one_pass) {
      tanh_c = at::empty({batch, hidden}, x.options());
      scratch = at::empty({batch, hidden}, x.options());
    }
    const ctorch::BackwardGemmLibraries libraries(ctorch::backward_gemm_policy(), hidden);
    for (int64_t t = steps - 1; t >= 0; --t) {
      at::Tensor dg = grad_gates[t];
      if (one_pass) {
        // On pointers into the step's rows rather than a view of each buffer per step.
        const int64_t gate_offset = t * batch * 4 * hidden, state_offset = t * batch * hidden;
        const float *c_prev = t > 0 ? cells.data_ptr<float>() + state_offset - batch * hidden : c0.data_ptr<float>();
        ctorch::fused::lstm_cell_backward(gates.data_ptr<float>() + gate_offset, c_prev,
                                          cells.data_ptr<float>() + state_offset,
                                          grad_y.defined() ? grad_y.data_ptr<float>() + state_offset : nullptr,
                                          dh.data_ptr<float>(), dc.data_ptr<float>(), dg.data_ptr<float>(), batch,
                                          hidden);
      } else {
        if (grad_y.defined()) dh.add_(grad_y[t]);
        const at::Tensor g = gates[t];
        at::Tensor d_in = dg.narrow(1, 0, hidden), d_forget = dg.narrow(1, hidden, hidden);
        at::Tensor d_cell = dg.narrow(1, 2 * hidden, hidden), d_out = dg.narrow(1, 3 * hidden, hidden);
        const at::Tensor in_gate = g.narrow(1, 0, hidden), forget_gate = g.narrow(1, hidden, hidden);
        const at::Tensor cell_gate = g.narrow(1, 2 * hidden, hidden), out_gate = g.narrow(1, 3 * hidden, hidden);
        const at::Tensor c_prev = t > 0 ? cells[t - 1] : c0;
        at::tanh_out(tanh_c, cells[t]);
        // dL/dc_t = dc + dh · o · (1 − tanh²c); dL/do = dh · tanh c.
        at::mul_out(scratch, dh, out_gate);
        at::Tensor dc_total = dc.add_(at::tanh_backward(scratch, tanh_c));
        at::mul_out(scratch, dh, tanh_c);
        at::sigmoid_backward_out(d_out, scratch, out_gate);
        at::mul_out(scratch, dc_total, cell_gate);
        at::sigmoid_backward_out(d_in, scratch, in_gate);
        at::mul_out(scratch, dc_total, c_prev);
        at::sigmoid_backward_out(d_forget, scratch, forget_gate);
        at::mul_out(scratch, dc_total, in_gate);
        at::tanh_backward_out(d_cell, scratch, cell_gate);
        dc_total.mul_(forget_gate);
      }
      ctorch::matmul_into(dh, dg, w_hh, 0, libraries.hidden_gradient);
    }
    // The weight gradients of all steps at once: [4H, T·B] · [T·B, I or H]. dL/dW_hh pairs step t's gate gradients
    // with h_(t-1): step 0's with h0, the others' with the outputs of steps 0 … T-2.
    const at::Tensor flat_grad = grad_gates.view({steps * batch, 4 * hidden});
    at::Tensor grad_x = at::empty({steps * batch, x.size(2)}, x.options());
    ctorch::matmul_into(grad_x, flat_grad, w_ih, 0);
    const at::Tensor grad_w_ih =
        ctorch::sum_of_transposed_products({{flat_grad, x.view({steps * batch, x.size(2)})}}, libraries.weight_gradients,
                                           libraries.transposes_weight_gradient(x.size(2)));
    std::vector<std::pair<at::Tensor, at::Tensor>> hidden_pairs{{grad_gates[0], h0}};
    if (steps > 1)
      hidden_pairs.emplace_back(flat_grad.narrow(0, batch, (steps - 1) * batch),
                                y.narrow(0, 0, steps - 1).reshape({(steps - 1) * batch, hidden}));
    const at::Tensor grad_w_hh = ctorch::sum_of_transposed_products(hidden_pairs, libraries.weight_gradients,
                                                                    libraries.transposes_weight_gradient(hidden));
    const at::Tensor grad_b = flat_grad.sum(0);
    return {grad_x.view({steps, batch, x.size(2)}), dh, dc, grad_w_ih, grad_w_hh, grad_b, grad_b.clone()};
  }
};

}  // namespace

namespace ctorch {

std::tuple<at::Tensor, at::Tensor, at::Tensor> lstm_training(const at::Tensor &x, const at::Tensor &h0,
                                                              const at::Tensor &c0, const std::vector<at::Tensor> &params,
                                                              int64_t layers, double dropout, bool train,
                                                              bool batch_first) {
  std::vector<at::Tensor> hs, cs;
  const at::Tensor y = stacked_layers(x, layers, dropout, train, batch_first, [&](const at::Tensor &input, int64_t layer) {
    const auto *w = &params[4 * layer];
    auto out = LSTMLayer::apply(input, h0.select(0, layer), c0.select(0, layer), w[0], w[1], w[2], w[3]);
    hs.push_back(out[1]);
    cs.push_back(out[2]);
    return out[0];
  });
  return {y, at::stack(hs), at::stack(cs)};
}

}  // namespace ctorch
