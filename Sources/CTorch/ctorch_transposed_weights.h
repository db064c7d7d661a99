// Weights kept transposed between inference calls (ctorch_transposed_weights.cpp): a private C++ header, not part of
// the module the Swift side imports.
#pragma once

#include <ATen/ATen.h>

#include <cstddef>

namespace ctorch {

/// `weight`ᵀ as a contiguous tensor, made once and kept while `weight` lives and is unchanged: the recurrent inference
/// path multiplies its input by W_ihᵀ, which oneDNN's and OpenBLAS's sgemm run faster from a stored transpose
/// (docs/PERFORMANCE.md: 2.66 against 3.15 ms for the `deepconvlstm` first layer's 109 × 2880 × 512 product on a
/// Sapphire Rapids, 90 against 115 GFLOP/s on a Zen 4), while transposing per call costs more than it saves.
/// An entry is found by the weight's TensorImpl (held weakly, so the cache never keeps a weight alive) and is remade
/// when the weight's version counter, data address or shape moved (an optimizer step, `loadState`, a conversion);
/// entries of weights that died are dropped at the next miss. Undefined for an inference tensor (no version counter
/// to watch): the caller multiplies by the transposed view instead. Thread-safe.
at::Tensor cached_transpose(const at::Tensor &weight);

/// The entries the cache holds now, dead weights' included until the next miss drops them (for tests).
size_t cached_transpose_entries();

}  // namespace ctorch
