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

/// -1: the instruction set's choice; else the forced `BackwardGemmPolicy`'s value.
std::atomic<int> forced_backward_policy{-1};

/// -1: the instruction set's choice; else the forced `BatchOneProduct`'s value.
std::atomic<int> forced_batch_one_product{-1};

}  // namespace

namespace ctorch {

bool onednn_runs(OneDNNInstructionSet set) {
#if CTORCH_ONEDNN_GEMM
  const unsigned isa = static_cast<unsigned>(dnnl_get_effective_cpu_isa());
  const unsigned wanted = static_cast<unsigned>(set == OneDNNInstructionSet::amx      ? dnnl_cpu_isa_avx512_core_amx
                                                : set == OneDNNInstructionSet::avx512 ? dnnl_cpu_isa_avx512_core
                                                                                      : dnnl_cpu_isa_avx2);
  return (isa & wanted) == wanted;
#else
  (void)set;
  return false;
#endif
}

BackwardGemmPolicy backward_gemm_policy() {
  const int forced = forced_backward_policy.load(std::memory_order_relaxed);
  if (forced >= 0) return static_cast<BackwardGemmPolicy>(forced);
  static const BackwardGemmPolicy measured = !CTORCH_ONEDNN_GEMM                          ? BackwardGemmPolicy::aten
                                             : onednn_runs(OneDNNInstructionSet::amx)    ? BackwardGemmPolicy::onednn_transposed
                                             : onednn_runs(OneDNNInstructionSet::avx512) ? BackwardGemmPolicy::onednn
                                                                                         : BackwardGemmPolicy::by_size;
  return measured;
}

void force_backward_gemm_policy(std::optional<BackwardGemmPolicy> policy) {
  forced_backward_policy.store(policy ? static_cast<int>(*policy) : -1, std::memory_order_relaxed);
}

BatchOneProduct batch_one_product() {
  const int forced = forced_batch_one_product.load(std::memory_order_relaxed);
  if (forced >= 0) return static_cast<BatchOneProduct>(forced);
  static const BatchOneProduct measured =
      onednn_runs(OneDNNInstructionSet::avx512) ? BatchOneProduct::onednn_blocks : BatchOneProduct::fused;
  return measured;
}

void force_batch_one_product(std::optional<BatchOneProduct> product) {
  forced_batch_one_product.store(product ? static_cast<int>(*product) : -1, std::memory_order_relaxed);
}

BackwardGemmLibraries::BackwardGemmLibraries(BackwardGemmPolicy policy, int64_t hidden)
    : hidden_gradient(policy == BackwardGemmPolicy::aten || (policy == BackwardGemmPolicy::by_size && hidden % 512 == 0)
                          ? GemmLibrary::aten
                          : GemmLibrary::onednn),
      weight_gradients(policy == BackwardGemmPolicy::onednn || policy == BackwardGemmPolicy::onednn_transposed
                           ? GemmLibrary::onednn
                           : GemmLibrary::aten),
      policy(policy) {}

bool BackwardGemmLibraries::transposes_weight_gradient(int64_t columns) const {
  return (policy == BackwardGemmPolicy::onednn_transposed || weight_gradients == GemmLibrary::aten) && columns < 1024;
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

void add_product_by_weight_blocks(at::Tensor &out, const at::Tensor &a, const at::Tensor &weight, int64_t block_bytes,
                                  bool reversed) {
  TORCH_CHECK(weight.dim() == 2 && block_bytes > 0, "a blocked product needs a 2-D weight and a positive block size");
#if CTORCH_ONEDNN_GEMM
  const auto la = gemm_layout(a), lc = gemm_layout(out);
  const bool fits = dense_float_matrix(out) && dense_float_matrix(a) && dense_float_matrix(weight) &&
                    weight.is_contiguous() && la && lc && lc->first == 'N' && a.size(1) == weight.size(1) &&
                    out.size(0) == a.size(0) && out.size(1) == weight.size(0);
  if (fits) {
    const int64_t n = weight.size(0), k = weight.size(1), m = a.size(0);
    const int64_t rows = std::max<int64_t>(1, block_bytes / int64_t(k * sizeof(float)));
    const int64_t blocks = (n + rows - 1) / rows;
    const float *a_data = a.data_ptr<float>(), *w_data = weight.data_ptr<float>();
    float *out_data = out.data_ptr<float>();
    for (int64_t i = 0; i < blocks; ++i) {
      const int64_t first = (reversed ? blocks - 1 - i : i) * rows, count = std::min(rows, n - first);
      TORCH_CHECK(dnnl_sgemm(la->first, 'T', m, count, k, 1.0f, a_data, la->second, w_data + first * k, k, 1.0f,
                             out_data + first, lc->second) == dnnl_success,
                  "oneDNN's sgemm refused a block of ", count, " weight rows");
    }
    return;
  }
#else
  (void)block_bytes;  // one product: without oneDNN's sgemm there are no blocks to order
  (void)reversed;
#endif
  matmul_into(out, a, weight.t(), 1);
}

at::Tensor product_plus_bias(const at::Tensor &input, const at::Tensor &right, const at::Tensor &bias) {
  // A fresh tensor, never `bias.expand(...).contiguous()`: with one row that expansion is already contiguous and
  // would be the bias itself, which the product would then overwrite.
  at::Tensor out = at::empty({input.size(0), right.size(1)}, input.options());
  out.copy_(bias.expand({input.size(0), right.size(1)}));
  matmul_into(out, input, right, 1);
  return out;
}

at::Tensor linear_rows(const at::Tensor &input, const at::Tensor &weight, const at::Tensor &bias) {
  return product_plus_bias(input, weight.t(), bias);
}

at::Tensor sum_of_transposed_products(const std::vector<std::pair<at::Tensor, at::Tensor>> &pairs,
                                      GemmLibrary library, bool transposed) {
  TORCH_CHECK(!pairs.empty(), "a sum of products needs at least one pair");
  const int64_t m = pairs.front().first.size(1), k = pairs.front().second.size(1);
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
  return CTORCH_ONEDNN_GEMM ? static_cast<int>(ctorch::backward_gemm_policy()) : 0;
}

extern "C" void ct_recurrent_backward_matmul_force(int policy) {
  const bool known = policy >= 0 && policy <= static_cast<int>(ctorch::BackwardGemmPolicy::onednn_transposed);
  ctorch::force_backward_gemm_policy(known ? std::optional(static_cast<ctorch::BackwardGemmPolicy>(policy))
                                           : std::nullopt);
}
