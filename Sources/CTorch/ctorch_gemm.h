// Matrix products for the recurrent layers (ctorch_lstm_training.cpp, ctorch_recurrent.cpp): a private C++ header,
// not part of the module the Swift side imports.
#pragma once

#include <ATen/ATen.h>

/// 1 where Package.swift found oneDNN's header and links libdnnl (matmul_into then runs float32 on oneDNN), else 0.
#ifndef CTORCH_ONEDNN_GEMM
#define CTORCH_ONEDNN_GEMM 0
#endif

namespace ctorch {

/// `out = beta · out + a · b` for 2-D CPU matrices (`beta` 0 or 1: with 0, `out`'s old contents are never read).
/// float32 products whose operands each have contiguous rows or columns run on oneDNN's sgemm, the GEMM of the
/// oneDNN build libtorch itself links: on the LSTM's shapes it measured 1.1–1.4× OpenBLAS's, which is what
/// Debian's libtorch takes its `at::mm` from (docs/PERFORMANCE.md, "LSTM training"). Everything else, and a build
/// without oneDNN's headers, goes to ATen.
void matmul_into(at::Tensor &out, const at::Tensor &a, const at::Tensor &b, float beta);

/// `input · weightᵀ + bias` for a 2-D `input` `[N, in]`, `weight` `[out, in]` and `bias` `[out]`: a new `[N, out]`
/// tensor, its product computed by `matmul_into`.
at::Tensor linear_rows(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias);

}  // namespace ctorch
