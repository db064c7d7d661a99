// Times each instruction set's copy of the fused spatial-attention kernels (Sources/CTorch/ctorch_fused_kernels_*.cpp)
// on one `sa` stage's activations, one libtorch thread, float32 then bfloat16: the best of 7 runs of each pass.
// Arguments: F T C of the stage (default 64 63 45, DSADS's first stage), batch 128. Build and run from the package root:
//   I="-std=c++17 -O2 -I/usr/include/torch/csrc/api/include -ISources/CTorch -Wno-deprecated-declarations"
//   for f in default avx2 avx512; do clang++ $I -c Sources/CTorch/ctorch_fused_kernels_$f.cpp -o /tmp/fk_$f.o; done
//   clang++ $I scripts/fused_isa_bench.cpp /tmp/fk_*.o -o /tmp/fused_isa_bench -ltorch_cpu -lc10 -ltorch
//   /tmp/fused_isa_bench 64 63 45
#include "ctorch_fused_kernels.h"
#include <torch/torch.h>
#include <chrono>
#include <cstdio>
#include <algorithm>
#include <vector>
using namespace ctorch::fused;
int main(int argc, char **argv) {
  at::set_num_threads(1);
  int64_t B = 128, F = argc > 1 ? atoi(argv[1]) : 64, T = argc > 2 ? atoi(argv[2]) : 63, C = argc > 3 ? atoi(argv[3]) : 45;
  const Kernels *tables[3] = {DEFAULT::kernels, AVX2::kernels, AVX512::kernels};
  const char *names[3] = {"baseline", "avx2", "avx512"};
  // Only the copies this CPU runs (the others would die of an illegal instruction).
  const bool runs[3] = {true, __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"),
                        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")};
  for (auto type : {at::kFloat, at::kBFloat16}) {
    at::Tensor x = at::randn({B, F, T, C}).to(type), g = at::randn({B, F, T, C}).to(type);
    auto o = at::TensorOptions().dtype(at::kFloat);
    at::Tensor mean_map = at::empty({B, T * C}, o), gate = at::empty({B, 1, T, C}, o);
    at::Tensor pm = at::empty({B, F}, o.dtype(at::kDouble)), pm2 = at::empty({B, F}, o.dtype(at::kDouble));
    Affine aff{at::rand({F}, o), at::randn({F}, o)};
    NormGradient ng{at::rand({F}, o), at::rand({F}, o), at::rand({F}, o)};
    at::Tensor mean = at::randn({F}, o), out = at::empty_like(x), dx = at::empty_like(x);
    at::Tensor sdz = at::empty({F}, o.dtype(at::kDouble)), sdc = at::empty({F}, o.dtype(at::kDouble));
    at::Tensor cg = at::empty({B, 4}, o.dtype(at::kDouble));
    GateConv conv{0.1, 0.2, 0.3, 0.1};
    for (int i = 0; i < 3; i++) {
      const Kernels *k = tables[i];
      if (!k || !runs[i]) continue;
      double best[4] = {1e9, 1e9, 1e9, 1e9};
      for (int r = 0; r < 7; r++) {
        auto t0 = std::chrono::steady_clock::now();
        k->gate_and_plane_statistics(x, conv, T, mean_map, gate, pm, pm2);
        auto t1 = std::chrono::steady_clock::now();
        k->scale_shift_relu(x, gate, aff, out);
        auto t2 = std::chrono::steady_clock::now();
        k->relu_norm_sums(x, gate, aff, mean, g, sdz, sdc);
        auto t3 = std::chrono::steady_clock::now();
        k->input_gradient(x, gate, mean_map, aff, ng, conv, T, g, dx, cg);
        auto t4 = std::chrono::steady_clock::now();
        std::chrono::duration<double, std::milli> d[4] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
        for (int p = 0; p < 4; p++) best[p] = std::min(best[p], d[p].count());
      }
      printf("%s %-8s gate+stats %7.2f ms  scale_shift_relu %7.2f  relu_norm_sums %7.2f  input_gradient %7.2f  total %7.2f\n",
             type == at::kFloat ? "fp32" : "bf16", names[i], best[0], best[1], best[2], best[3], best[0] + best[1] + best[2] + best[3]);
    }
  }
}
