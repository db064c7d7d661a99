// The recurrent training paths, LSTM (ctorch_lstm_training.cpp) and GRU (ctorch_gru_training.cpp), for ct_nn_lstm and
// ct_nn_gru: a private C++ header, not part of the module the Swift side imports.
#pragma once

#include "ctorch_dropout.h"

#include <ATen/ATen.h>

#include <string>
#include <tuple>
#include <vector>

namespace ctorch {

/// Whether the training paths (`lstm_training`, `gru_training`) compute `ct_nn_lstm` / `ct_nn_gru` with these
/// arguments rather than libtorch's `at::lstm` / `at::gru`: autograd recording, no CPU autocast, one direction,
/// biases, dense CPU float32/64.
bool recurrent_training_applies(const at::Tensor &x, const std::vector<at::Tensor> &params, int64_t layers,
                                bool bidirectional);

/// `layers` stacked unidirectional layers over `x` (`[B, T, I]` when `batch_first`, else `[T, B, I]`):
/// `layer(input, index)` runs layer `index` on its time-major input and returns its time-major output; between layers
/// in training, where at::lstm and at::gru apply theirs, harlab's dropout (ctorch::dropout). Returns the last layer's
/// output in `x`'s layout.
template <class Layer>
at::Tensor stacked_layers(const at::Tensor &x, int64_t layers, double dropout, bool train, bool batch_first,
                          Layer layer) {
  at::Tensor sequence = batch_first ? x.transpose(0, 1) : x;
  for (int64_t index = 0; index < layers; ++index) {
    sequence = layer(sequence, index);
    if (dropout != 0 && train && index < layers - 1) sequence = ctorch::dropout(sequence, dropout, train);
  }
  return batch_first ? sequence.transpose(0, 1) : sequence;
}

/// A stacked unidirectional LSTM with autograd, as `at::lstm(x, {h0, c0}, params, true, layers, dropout, train,
/// false, batch_first)` computes it (the same outputs; dropout between layers is harlab's, `stacked_layers`),
/// but each layer one autograd node whose backward batches the weight gradients of all time steps into one GEMM.
/// `h0`, `c0`: `[layers, B, H]`. Returns (output, h_n, c_n).
std::tuple<at::Tensor, at::Tensor, at::Tensor> lstm_training(const at::Tensor &x, const at::Tensor &h0,
                                                              const at::Tensor &c0, const std::vector<at::Tensor> &params,
                                                              int64_t layers, double dropout, bool train,
                                                              bool batch_first);

/// A stacked unidirectional GRU with autograd, as `at::gru(x, h0, params, true, layers, dropout, train, false,
/// batch_first)` computes it, each layer one autograd node whose backward batches the weight gradients of all time
/// steps into one GEMM each. `h0`: `[layers, B, H]`. Returns (output, h_n).
std::tuple<at::Tensor, at::Tensor> gru_training(const at::Tensor &x, const at::Tensor &h0,
                                                const std::vector<at::Tensor> &params, int64_t layers, double dropout,
                                                bool train, bool batch_first);

}  // namespace ctorch
