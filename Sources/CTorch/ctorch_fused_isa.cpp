// Which instruction set's copy of the fused kernels runs: the best one this build holds and the CPU reports, unless a
// test or benchmark forced one (ct_fused_isa_force). The calls of ctorch_fused_kernels.h go through here.
#include "ctorch_internal.h"
#include "ctorch_fused_kernels.h"
#include "ctorch_cpu_capability.h"

#include <atomic>
#include <string>

namespace ctorch {
namespace fused {
namespace {

/// Each instruction set's kernels, by CT_FUSED_ISA_* (null where the build left one out).
const Kernels *table(int isa) {
  switch (isa) {
  case CT_FUSED_ISA_BASELINE: return DEFAULT::kernels;
  case CT_FUSED_ISA_AVX2: return AVX2::kernels;
  case CT_FUSED_ISA_AVX512: return AVX512::kernels;
  default: return nullptr;
  }
}

/// Whether this CPU (and its operating system, which must save the wider registers) runs `isa`: the features each
/// copy is compiled with (ctorch_fused_kernels_avx2.cpp, ctorch_fused_kernels_avx512.cpp).
bool cpu_runs(int isa) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  switch (isa) {
  case CT_FUSED_ISA_BASELINE: return true;
  case CT_FUSED_ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case CT_FUSED_ISA_AVX512:
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
  default: return false;
  }
#else
  return isa == CT_FUSED_ISA_BASELINE;
#endif
}

/// Whether ATEN_CPU_CAPABILITY leaves `isa` to the process: a set, valid cap (the same libtorch's kernels obey) rules out
/// every wider instruction set; unset or ignored by libtorch as invalid, it rules out none.
bool within_cap(int isa) {
  const int cap = ct_cpu_capability_cap();
  return cap < 0 || isa <= cap;
}

bool available(int isa) { return table(isa) != nullptr && cpu_runs(isa) && within_cap(isa); }

/// The best available instruction set under the cap, found once.
int best() {
  static const int found = available(CT_FUSED_ISA_AVX512) ? CT_FUSED_ISA_AVX512
                           : available(CT_FUSED_ISA_AVX2) ? CT_FUSED_ISA_AVX2
                                                          : CT_FUSED_ISA_BASELINE;
  return found;
}

/// The forced instruction set, or -1 for the best available.
std::atomic<int> forced{-1};

int current() {
  const int isa = forced.load(std::memory_order_relaxed);
  return isa < 0 ? best() : isa;
}

const Kernels &selected() { return *table(current()); }

}  // namespace

void gate_and_plane_statistics(const at::Tensor &x, const GateConv &conv, int64_t time, at::Tensor &mean_map,
                               at::Tensor &gate, at::Tensor &plane_mean, at::Tensor &plane_m2) {
  selected().gate_and_plane_statistics(x, conv, time, mean_map, gate, plane_mean, plane_m2);
}

void scale_shift_relu(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, at::Tensor &out) {
  selected().scale_shift_relu(x, gate, affine, out);
}

void relu_norm_sums(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, const at::Tensor &mean,
                    const at::Tensor &grad_out, at::Tensor &sum_dz, at::Tensor &sum_dz_centred) {
  selected().relu_norm_sums(x, gate, affine, mean, grad_out, sum_dz, sum_dz_centred);
}

void input_gradient(const at::Tensor &x, const at::Tensor &gate, const at::Tensor &mean_map, const Affine &affine,
                    const NormGradient &norm, const GateConv &conv, int64_t time, const at::Tensor &grad_out,
                    at::Tensor &grad_x, at::Tensor &conv_grads) {
  selected().input_gradient(x, gate, mean_map, affine, norm, conv, time, grad_out, grad_x, conv_grads);
}

void lstm_cell(float *gates, const float *c_prev, float *c_out, float *h_out, int64_t batch, int64_t hidden) {
  selected().lstm_cell(gates, c_prev, c_out, h_out, batch, hidden);
}

void lstm_cell_backward(const float *gates, const float *c_prev, const float *c, const float *grad_y, const float *dh,
                        float *dc, float *grad_gates, int64_t batch, int64_t hidden) {
  selected().lstm_cell_backward(gates, c_prev, c, grad_y, dh, dc, grad_gates, batch, hidden);
}

void gru_cell(float *gates, const float *hidden_gates, const float *h_prev, float *h_out, int64_t batch, int64_t hidden) {
  selected().gru_cell(gates, hidden_gates, h_prev, h_out, batch, hidden);
}

void gru_cell_backward(const float *gates, const float *hidden_gates, const float *h_prev, const float *grad_y,
                       float *dh, float *grad_input_gates, float *grad_hidden_gates, int64_t batch, int64_t hidden) {
  selected().gru_cell_backward(gates, hidden_gates, h_prev, grad_y, dh, grad_input_gates, grad_hidden_gates, batch,
                               hidden);
}

void add_matrix_vector(const float *weight, const float *x, float *y, int64_t rows, int64_t columns, bool reversed) {
  selected().add_matrix_vector(weight, x, y, rows, columns, reversed);
}

void masked_scale(const at::Tensor &x, at::Tensor &out, uint64_t seed, uint32_t threshold, double scale) {
  selected().masked_scale(x, out, seed, threshold, scale);
}

}  // namespace fused
}  // namespace ctorch

int ct_fused_isa_available(int isa) { return ctorch::fused::available(isa) ? 1 : 0; }

int ct_fused_isa_current(void) { return ctorch::fused::current(); }

int ct_fused_isa_force(int isa) {
  CT_STATUS(if (isa != -1 && !ctorch::fused::available(isa)) throw std::invalid_argument(
                isa < 0 || isa > 2
                    ? "no instruction set is numbered " + std::to_string(isa) + " (0 baseline, 1 AVX2, 2 AVX-512)"
                    : "the fused kernels cannot run instruction set " + std::to_string(isa) + " here (" +
                          (ctorch::fused::table(isa) == nullptr ? "not in this build"
                           : !ctorch::fused::cpu_runs(isa)      ? "this CPU lacks it"
                                                                : std::string("ATEN_CPU_CAPABILITY=") + ct_cpu_capability_value() +
                                                                    " caps it") + ")");
            ctorch::fused::forced.store(isa, std::memory_order_relaxed))
}
