// Matrix products for the recurrent layers (ctorch_lstm_training.cpp, ctorch_recurrent.cpp): a private C++ header,
// not part of the module the Swift side imports.
#pragma once

#include <ATen/ATen.h>

/// 1 where Package.swift found oneDNN's header and links libdnnl (matmul_into then runs float32 on oneDNN), else 0.
#ifndef CTORCH_ONEDNN_GEMM
#define CTORCH_ONEDNN_GEMM 0
#endif

#include <utility>
#include <vector>

namespace ctorch {

/// The library that multiplies: oneDNN's sgemm, or ATen's `mm` (OpenBLAS in Debian's libtorch).
enum class GemmLibrary { onednn, aten };

/// The library for the LSTM backward's per-step dL/dh and its weight gradients, the products whose faster library
/// measured differently by CPU (docs/PERFORMANCE.md, "The LSTM backward's products by CPU"): oneDNN where its sgemm
/// runs AVX-512 kernels (1.2–1.4× OpenBLAS on a Zen 4), ATen where it runs AVX2 ones (OpenBLAS 1.25× on dL/dh and
/// 1.1–2.6× on the weight gradients on a Zen 3), and ATen in a build without oneDNN. Decided by the instruction set
/// oneDNN reports (`DNNL_MAX_CPU_ISA` included), never by timing, so a run is the same numbers every time on one
/// machine; `force_backward_gemm_library` overrides it.
GemmLibrary backward_gemm_library();

/// Makes `backward_gemm_library` answer `library` for the whole process (tests run both paths on any CPU); nullptr
/// puts the instruction set's choice back.
void force_backward_gemm_library(const GemmLibrary *library);

/// `out = beta · out + a · b` for 2-D CPU matrices (`beta` 0 or 1: with 0, `out`'s old contents are never read).
/// On `GemmLibrary::onednn`, float32 products whose operands each have contiguous rows or columns run on oneDNN's
/// sgemm, the GEMM of the oneDNN build libtorch itself links: on the LSTM's forward shapes it measured 1.0–1.4×
/// OpenBLAS's, which is what Debian's libtorch takes its `at::mm` from (docs/PERFORMANCE.md, "LSTM training").
/// Everything else, `GemmLibrary::aten` and a build without oneDNN's headers go to ATen.
void matmul_into(at::Tensor &out, const at::Tensor &a, const at::Tensor &b, float beta,
                 GemmLibrary library = GemmLibrary::onednn);

/// `Σ aᵢᵀ · bᵢ` over `pairs` (each `a` `[nᵢ, m]`, each `b` `[nᵢ, k]`): a new contiguous `[m, k]` tensor, the shape of a
/// weight gradient summed over time steps. oneDNN multiplies it as written; ATen computes the transpose
/// `Σ bᵢᵀ · aᵢ` and transposes it once, the form in which OpenBLAS measured fastest for these tall products.
at::Tensor sum_of_transposed_products(const std::vector<std::pair<at::Tensor, at::Tensor>> &pairs,
                                      GemmLibrary library);

/// `input · weightᵀ + bias` for a 2-D `input` `[N, in]`, `weight` `[out, in]` and `bias` `[out]`: a new `[N, out]`
/// tensor, its product computed by `matmul_into`.
at::Tensor linear_rows(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias);

}  // namespace ctorch
