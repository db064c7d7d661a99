// ctorch::matmul_into (ctorch_gemm.h): oneDNN's sgemm for float32, ATen for the rest; which library the LSTM
// backward's products take.
#include "ctorch_gemm.h"
#include "ctorch_recurrent.h"

#if CTORCH_ONEDNN_GEMM
#include <dnnl.h>
#endif

#include <atomic>
#include <optional>
#include <utility>

namespace {

#if CTORCH_ONEDNN_GEMM
/// How a row-major GEMM reads a 2-D float32 matrix: 'N' with its row stride when its rows are contiguous, 'T' with
/// its column stride when its columns are (a transposed view), nothing otherwise.
std::optional<std::pair<char, int64_t>> gemm_layout(const at::Tensor &m) {
  if (m.stride(1) == 1 && m.stride(0) >= std::max<int64_t>(1, m.size(1))) return std::make_pair('N', m.stride(0));
  if (m.stride(0) == 1 && m.stride(1) >= std::max<int64_t>(1, m.size(0))) return std::make_pair('T', m.stride(1));
  return std::nullopt;
}

/// Whether `t` is a non-empty float32 CPU matrix.
bool dense_float_matrix(const at::Tensor &t) {
  return t.dim() == 2 && t.device().is_cpu() && t.scalar_type() == at::kFloat && t.layout() == at::kStrided &&
         t.numel() > 0;
}

/// oneDNN's sgemm on `out = beta · out + a · b`; false where the operands do not suit it or oneDNN refused.
bool onednn_matmul(at::Tensor &out, const at::Tensor &a, const at::Tensor &b, float beta) {
  if (!dense_float_matrix(out) || !dense_float_matrix(a) || !dense_float_matrix(b)) return false;
  const auto la = gemm_layout(a), lb = gemm_layout(b), lc = gemm_layout(out);
  if (!la || !lb || !lc || lc->first != 'N') return false;
  const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  return dnnl_sgemm(la->first, lb->first, m, n, k, 1.0f, a.data_ptr<float>(), la->second, b.data_ptr<float>(),
                    lb->second, beta, out.data_ptr<float>(), lc->second) == dnnl_success;
}
#endif

/// Whether oneDNN's sgemm runs AVX-512 kernels here: the instruction set oneDNN itself reports, which
/// `DNNL_MAX_CPU_ISA` caps as it caps oneDNN.
bool onednn_runs_avx512() {
#if CTORCH_ONEDNN_GEMM
  const unsigned isa = static_cast<unsigned>(dnnl_get_effective_cpu_isa());
  const unsigned avx512 = static_cast<unsigned>(dnnl_cpu_isa_avx512_core);
  return (isa & avx512) == avx512;
#else
  return false;
#endif
}

/// -1: the instruction set's choice; else the forced `GemmLibrary`'s value.
std::atomic<int> forced_backward_library{-1};

}  // namespace

namespace ctorch {

BackwardGemmLibraries backward_gemm_libraries(int64_t hidden) {
  const int forced = forced_backward_library.load(std::memory_order_relaxed);
  if (forced >= 0) return {static_cast<GemmLibrary>(forced), static_cast<GemmLibrary>(forced)};
  if (!CTORCH_ONEDNN_GEMM) return {GemmLibrary::aten, GemmLibrary::aten};
  static const bool avx512 = onednn_runs_avx512();
  if (avx512) return {GemmLibrary::onednn, GemmLibrary::onednn};
  return {hidden % 512 == 0 ? GemmLibrary::aten : GemmLibrary::onednn, GemmLibrary::aten};
}

void force_backward_gemm_library(std::optional<GemmLibrary> library) {
  forced_backward_library.store(library ? static_cast<int>(*library) : -1, std::memory_order_relaxed);
}

void matmul_into(at::Tensor &out, const at::Tensor &a, const at::Tensor &b, float beta, GemmLibrary library) {
  TORCH_CHECK(a.dim() == 2 && b.dim() == 2 && out.dim() == 2 && a.size(1) == b.size(0) && out.size(0) == a.size(0) &&
                  out.size(1) == b.size(1),
              "matrices of shapes ", a.sizes(), " and ", b.sizes(), " cannot be multiplied into ", out.sizes());
#if CTORCH_ONEDNN_GEMM
  if (library == GemmLibrary::onednn && onednn_matmul(out, a, b, beta)) return;
#endif
  if (beta == 0)
    at::mm_out(out, a, b);
  else
    out.addmm_(a, b, beta);
}

at::Tensor linear_rows(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias) {
  at::Tensor out = bias.expand({input.size(0), weight.size(0)}).contiguous();
  matmul_into(out, input, weight.t(), 1);
  return out;
}

at::Tensor sum_of_transposed_products(const std::vector<std::pair<at::Tensor, at::Tensor>> &pairs,
                                      GemmLibrary library) {
  TORCH_CHECK(!pairs.empty(), "a sum of products needs at least one pair");
  const int64_t m = pairs.front().first.size(1), k = pairs.front().second.size(1);
  const bool transposed = library == GemmLibrary::aten && k < 1024;
  const auto options = pairs.front().first.options();
  at::Tensor sum = transposed ? at::empty({k, m}, options) : at::empty({m, k}, options);
  float beta = 0;
  for (const auto &[a, b] : pairs) {
    if (transposed)
      matmul_into(sum, b.t(), a, beta, library);
    else
      matmul_into(sum, a.t(), b, beta, library);
    beta = 1;
  }
  return transposed ? sum.t().contiguous() : sum;
}

}  // namespace ctorch

extern "C" int ct_recurrent_matmul_onednn(void) { return CTORCH_ONEDNN_GEMM ? 1 : 0; }

extern "C" int ct_recurrent_backward_matmul_policy(void) {
  if (!CTORCH_ONEDNN_GEMM) return 0;
  // The choice differs by hidden size only in dL/dh: 512 units and 128 tell the policies apart.
  const auto at_512 = ctorch::backward_gemm_libraries(512), at_128 = ctorch::backward_gemm_libraries(128);
  const auto all_on = [&](ctorch::GemmLibrary library) {
    return at_512.hidden_gradient == library && at_128.hidden_gradient == library && at_512.weight_gradients == library;
  };
  return all_on(ctorch::GemmLibrary::onednn) ? 1 : all_on(ctorch::GemmLibrary::aten) ? 0 : 2;
}

extern "C" void ct_recurrent_backward_matmul_force(int library) {
  if (library < 0)
    ctorch::force_backward_gemm_library(std::nullopt);
  else
    ctorch::force_backward_gemm_library(library == 1 ? ctorch::GemmLibrary::onednn : ctorch::GemmLibrary::aten);
}
