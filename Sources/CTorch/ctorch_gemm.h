// Matrix products for the recurrent layers (ctorch_lstm_training.cpp, ctorch_recurrent.cpp) and which oneDNN kernels
// run: a private C++ header, not part of the module the Swift side imports.
#pragma once

#include <ATen/ATen.h>

/// 1 where Package.swift found oneDNN's header and links libdnnl (matmul_into then runs float32 on oneDNN), else 0.
#ifndef CTORCH_ONEDNN_GEMM
#define CTORCH_ONEDNN_GEMM 0
#endif

#include <optional>
#include <utility>
#include <vector>

namespace ctorch {

/// Instruction sets whose oneDNN kernels change which path measured faster.
enum class OneDNNInstructionSet {
  /// `avx2`: AVX2 with FMA.
  avx2,
  /// `avx512_core`: AVX-512 F, BW, VL and DQ.
  avx512,
  /// `avx512_core_amx`: AVX-512 BF16 and the AMX tile, int8 and bfloat16 units.
  amx,
};

/// Whether oneDNN runs `set`'s kernels here: the instruction set oneDNN itself reports (`dnnl_get_effective_cpu_isa`),
/// which `DNNL_MAX_CPU_ISA` caps as it caps oneDNN; false in a build without oneDNN's header.
bool onednn_runs(OneDNNInstructionSet set);

/// The library that multiplies: oneDNN's sgemm, or ATen's `mm` (OpenBLAS in Debian's libtorch).
enum class GemmLibrary { onednn, aten };

/// How the LSTM backward chooses its libraries (`ct_recurrent_backward_matmul_policy` reports it by these values).
enum class BackwardGemmPolicy {
  /// Every product on ATen: a build without oneDNN, or forced.
  aten = 0,
  /// Every product on oneDNN, as written: oneDNN's sgemm runs AVX-512 kernels without AMX, or forced.
  onednn = 1,
  /// oneDNN's sgemm runs AVX2 kernels: the weight gradients on ATen, dL/dh on ATen where the hidden size is a
  /// multiple of 512 and on oneDNN otherwise.
  by_size = 2,
  /// oneDNN runs AMX kernels: every product on oneDNN, the weight gradients below 1024 columns computed as their
  /// transposes.
  onednn_transposed = 3,
};

/// The policy in force, by what measured faster for the instruction set oneDNN runs (`DNNL_MAX_CPU_ISA` included;
/// docs/PERFORMANCE.md, "The LSTM backward's products by CPU"): with AMX (a Sapphire Rapids) `onednn_transposed`,
/// oneDNN's sgemm for every product, computing the weight gradients below 1024 columns as their transposes (1.1–1.7×
/// as written below 512 columns, within 4% at 512–768; as written from 1024 columns on); with AVX-512
/// kernels but no AMX (a Zen 4) oneDNN for every product as written, 1.2–1.4× OpenBLAS there; with AVX2 kernels (a
/// Zen 3) `by_size`: ATen for the weight gradients (OpenBLAS up to 2.5× on them) and for dL/dh where the hidden size
/// is a multiple of 512 (oneDNN's AVX2 sgemm dropped to 34–51 GFLOP/s at 512, 1024, 1536 and 2048 units against
/// OpenBLAS's 52–68, while it led at every other size measured, 64–1280). Never chosen by timing, so one machine
/// gives a seeded run the same numbers every time; `force_backward_gemm_policy` overrides it.
BackwardGemmPolicy backward_gemm_policy();

/// Makes `backward_gemm_policy` answer `policy` for the whole process (tests run every policy on any CPU); nullopt
/// puts the measured choice back.
void force_backward_gemm_policy(std::optional<BackwardGemmPolicy> policy);

/// How a recurrent layer's float32 hidden product h·W_hhᵀ is computed at batch 1, on the inference path
/// (`ct_recurrent_batch_one_product` reports it by these values).
enum class BatchOneProduct {
  /// `ctorch::fused::add_matrix_vector`: one pass over W_hh, its row order alternating step to step.
  fused = 0,
  /// oneDNN's sgemm by blocks of W_hh's rows in alternating order (`add_product_by_weight_blocks`; one product on
  /// ATen in a build without oneDNN).
  onednn_blocks = 1,
};

/// The product in force, by what measured faster (docs/PERFORMANCE.md, "Session 18: the batch-1 recurrent product"):
/// where oneDNN runs AVX-512 kernels (the Sapphire Rapids it was measured on) `onednn_blocks`, which took `lstm`'s
/// batch-1 latency there from 62 to 52–54 ms; elsewhere `fused`, which on a Zen 3 (oneDNN's AVX2 kernels) took `lstm`'s
/// batch-1 forward on the DSADS shape from 28.2 to 26.6 ms on one thread and from 22.1 to 16.1 ms on two, against
/// `onednn_blocks` in alternating processes (oneDNN's per-call cost and threading, 16 calls per step, outweighed the
/// cache the blocks keep). Never chosen by timing; `force_batch_one_product` overrides it.
BatchOneProduct batch_one_product();

/// Makes `batch_one_product` answer `product` for the whole process (tests run both on any CPU); nullopt puts the
/// measured choice back.
void force_batch_one_product(std::optional<BatchOneProduct> product);

/// The libraries of one LSTM layer's backward products.
struct BackwardGemmLibraries {
  /// The per-step dL/dh = dL/dgates · W_hh.
  GemmLibrary hidden_gradient;
  /// dL/dW_ih and dL/dW_hh over all steps (`sum_of_transposed_products`).
  GemmLibrary weight_gradients;

  /// What `policy` gives a layer of `hidden` units.
  BackwardGemmLibraries(BackwardGemmPolicy policy, int64_t hidden);

  /// Whether a weight gradient `columns` wide (the layer's input width, or its hidden size for dL/dW_hh) is computed
  /// as its transpose: below 1024 columns on ATen, the form in which OpenBLAS measured fastest for these tall products
  /// with few columns (1.2–2.1× as written at the benchmark shapes' 3–113 input columns, about equal at 256–768), and
  /// likewise under `onednn_transposed` (oneDNN on AMX: 1.1–1.7× below 512 columns, as written ahead from 1024);
  /// never on oneDNN otherwise.
  bool transposes_weight_gradient(int64_t columns) const;

 private:
  BackwardGemmPolicy policy;
};

/// `out = beta · out + a · b` for 2-D CPU matrices (`beta` 0 or 1: with 0, `out`'s old contents are never read).
/// On `GemmLibrary::onednn`, float32 products whose operands each have contiguous rows or columns run on oneDNN's
/// sgemm, the GEMM of the oneDNN build libtorch itself links: on the LSTM's forward shapes it measured 1.0–1.4×
/// OpenBLAS's, which is what Debian's libtorch takes its `at::mm` from (docs/PERFORMANCE.md, "LSTM training").
/// Everything else, `GemmLibrary::aten` and a build without oneDNN's headers go to ATen.
void matmul_into(at::Tensor &out, const at::Tensor &a, const at::Tensor &b, float beta,
                 GemmLibrary library = GemmLibrary::onednn);

/// `out += a · weightᵀ` for a row-contiguous `weight` `[n, k]`, computed as products of `out`'s columns by blocks of
/// the weight's rows of at most `block_bytes` each, in order or (`reversed`) in reverse. A recurrent layer at batch 1
/// multiplies by the same W_hh at every step, and where W_hh exceeds the core's cache each step streams all of it from
/// memory (`lstm`'s 4 MiB at 21.5 GB/s bound its batch-1 latency); alternating the order step to step starts each
/// step on the blocks the previous one read last, still in cache (docs/PERFORMANCE.md: 45 against 55 ms for the 256
/// steps of `lstm`'s two 512-unit layers). float32 on oneDNN's sgemm; anything else one `matmul_into`.
void add_product_by_weight_blocks(at::Tensor &out, const at::Tensor &a, const at::Tensor &weight, int64_t block_bytes,
                                  bool reversed);

/// `Σ aᵢᵀ · bᵢ` over `pairs` (each `a` `[nᵢ, m]`, each `b` `[nᵢ, k]`): a new contiguous `[m, k]` tensor, the shape of a
/// weight gradient summed over time steps, multiplied on `library`. With `transposed` it computes the transpose
/// `Σ bᵢᵀ · aᵢ` and transposes it once (`BackwardGemmLibraries::transposes_weight_gradient` says where that is faster).
at::Tensor sum_of_transposed_products(const std::vector<std::pair<at::Tensor, at::Tensor>> &pairs,
                                      GemmLibrary library, bool transposed);

/// `input · right + bias` for a 2-D `input` `[N, in]`, `right` `[in, out]` and `bias` `[out]`: a new `[N, out]` tensor,
/// its product computed by `matmul_into`.
at::Tensor product_plus_bias(const at::Tensor &input, const at::Tensor &right, const at::Tensor &bias);

/// `input · weightᵀ + bias` for a `weight` `[out, in]`: `product_plus_bias` with the transposed view.
at::Tensor linear_rows(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias);

}  // namespace ctorch
