// The recurrent training paths, LSTM (ctorch_lstm_training.cpp) and GRU (ctorch_gru_training.cpp), for ct_nn_lstm and
// ct_nn_gru: a private C++ header, not part of the module the Swift side imports.
#pragma once

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

/// A stacked unidirectional LSTM with autograd, as `at::lstm(x, {h0, c0}, params, true, layers, dropout, train,
/// false, batch_first)` computes it (the same outputs, dropout between layers drawn by the same `at::dropout` calls),
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
