// Times each matrix product of the LSTM training path (Sources/CTorch/ctorch_lstm_training.cpp) on oneDNN's sgemm and
// on ATen's `mm` (OpenBLAS in Debian's libtorch), in the layouts the path uses, at batch 64 on the five benchmark
// shapes, for the `lstm` model (2 layers of 512 over the raw channels) or `deepconvlstm` (2 layers of 128 over 64
// feature maps × channels, 16 steps fewer): the measurement behind ctorch::backward_gemm_policy (ctorch_gemm.h).
// Each product goes through the path's own ctorch::matmul_into, once with each library.
// Per product the candidates run interleaved, 7 rounds, each repeated to about 0.4 GFLOP; the best round's GFLOP/s.
// "…ᵀ" candidates compute the transposed product and transpose it once (what sum_of_transposed_products does on ATen).
// Arguments: libtorch threads (default 1), model (`lstm`, the default, or `deepconvlstm`), or `sweep` instead of a
// model: dL/dh over hidden sizes 64–2048 and the weight gradient over widths, the sizes the choice is ruled by.
// Build and run from the package root:
//   clang++ -std=c++17 -O2 -DCTORCH_ONEDNN_GEMM=1 -I/usr/include/torch/csrc/api/include -ISources/CTorch \
//       -ISources/CTorch/include scripts/recurrent_gemm_bench.cpp Sources/CTorch/ctorch_gemm.cpp \
//       -o /tmp/recurrent_gemm_bench -ltorch_cpu -lc10 -ldnnl
//   /tmp/recurrent_gemm_bench 1 lstm; /tmp/recurrent_gemm_bench 1 deepconvlstm; /tmp/recurrent_gemm_bench 1 sweep
#include "ctorch_gemm.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <dnnl.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// `out = beta · out + a · b` on oneDNN's sgemm (every operand here has contiguous rows or columns, as it needs).
void onednn(at::Tensor &out, const at::Tensor &a, const at::Tensor &b, float beta) {
  ctorch::matmul_into(out, a, b, beta, ctorch::GemmLibrary::onednn);
}

/// The same on ATen.
void aten(at::Tensor &out, const at::Tensor &a, const at::Tensor &b, float beta) {
  ctorch::matmul_into(out, a, b, beta, ctorch::GemmLibrary::aten);
}

struct Candidate {
  std::string name;
  std::function<void()> run;
};

/// Prints each candidate's best GFLOP/s for a product of `flop` floating-point operations.
void race(const std::string &label, double flop, const std::vector<Candidate> &candidates) {
  const int reps = std::max(2, static_cast<int>(4e8 / flop));
  std::vector<double> best(candidates.size(), 1e9);
  for (int round = 0; round < 7; ++round)
    for (size_t i = 0; i < candidates.size(); ++i) {
      const double start = seconds();
      for (int r = 0; r < reps; ++r) candidates[i].run();
      best[i] = std::min(best[i], (seconds() - start) / reps);
    }
  std::printf("%-36s", label.c_str());
  for (size_t i = 0; i < candidates.size(); ++i)
    std::printf(" %s %6.1f |", candidates[i].name.c_str(), flop / best[i] / 1e9);
  std::printf("\n");
}

/// dL/dh = dL/dg · W_hh at batch 64 over hidden sizes, then dL/dW = dL/dgᵀ · x over 4000 rows for hidden 128, 256
/// and 512 and input widths 64–1536.
void sweep() {
  const int64_t batch = 64;
  for (const int64_t hidden : {64, 128, 192, 256, 320, 384, 448, 512, 576, 640, 768, 896, 1024, 1280, 1536, 2048}) {
    at::Tensor w_hh = at::randn({4 * hidden, hidden}), dg = at::randn({batch, 4 * hidden}), dh = at::empty({batch, hidden});
    race("dL/dh, hidden " + std::to_string(hidden), 2.0 * batch * 4 * hidden * hidden,
         {{"oneDNN", [&] { onednn(dh, dg, w_hh, 0); }}, {"ATen", [&] { aten(dh, dg, w_hh, 0); }}});
  }
  const int64_t rows = 4000;
  for (const int64_t hidden : {128, 256, 512})
    for (const int64_t inputs : {64, 256, 512, 768, 1024, 1536}) {
      at::Tensor g = at::randn({rows, 4 * hidden}), x = at::randn({rows, inputs});
      at::Tensor dw = at::empty({4 * hidden, inputs}), dw_t = at::empty({inputs, 4 * hidden});
      race("dL/dW, hidden " + std::to_string(hidden) + ", " + std::to_string(inputs) + " inputs",
           2.0 * rows * 4 * hidden * inputs,
           {{"oneDNN", [&] { onednn(dw, g.t(), x, 0); }},
            {"ATen", [&] { aten(dw, g.t(), x, 0); }},
            {"oneDNN (xᵀ·dL/dg)ᵀ", [&] { onednn(dw_t, x.t(), g, 0); dw.copy_(dw_t.t()); }},
            {"ATen (xᵀ·dL/dg)ᵀ", [&] { aten(dw_t, x.t(), g, 0); dw.copy_(dw_t.t()); }}});
    }
}

}  // namespace

int main(int argc, char **argv) {
  at::set_num_threads(argc > 1 ? std::atoi(argv[1]) : 1);
  if (argc > 2 && std::string(argv[2]) == "sweep") {
    std::printf("sweep, oneDNN ISA 0x%x, %d thread(s), GFLOP/s\n", static_cast<unsigned>(dnnl_get_effective_cpu_isa()),
                at::get_num_threads());
    sweep();
    return 0;
  }
  const bool deep = argc > 2 && std::string(argv[2]) == "deepconvlstm";
  const int64_t batch = 64, hidden = deep ? 128 : 512, gates = 4 * hidden;
  std::printf("%s, oneDNN ISA 0x%x, %d thread(s), GFLOP/s\n", deep ? "deepconvlstm" : "lstm",
              static_cast<unsigned>(dnnl_get_effective_cpu_isa()), at::get_num_threads());
  at::Tensor w_hh = at::randn({gates, hidden}), h = at::randn({batch, hidden}), step = at::randn({batch, gates});
  at::Tensor dg = at::randn({batch, gates}), dh = at::empty({batch, hidden});
  const double per_step = 2.0 * batch * gates * hidden;
  race("forward, per step: h · W_hhᵀ", per_step,
       {{"oneDNN", [&] { onednn(step, h, w_hh.t(), 1); }}, {"ATen", [&] { aten(step, h, w_hh.t(), 1); }}});
  race("backward, per step: dL/dg · W_hh", per_step,
       {{"oneDNN", [&] { onednn(dh, dg, w_hh, 0); }}, {"ATen", [&] { aten(dh, dg, w_hh, 0); }}});
  struct Shape {
    const char *name;
    int64_t steps, channels;
  };
  for (const Shape &shape : {Shape{"uci", 128, 9}, Shape{"wisdm", 200, 3}, Shape{"pamap2", 171, 36},
                             Shape{"dsads", 125, 45}, Shape{"oppo", 30, 113}})
    for (const int64_t inputs : {deep ? 64 * shape.channels : shape.channels, hidden}) {
      const int64_t rows = (deep ? shape.steps - 16 : shape.steps) * batch;
      at::Tensor x = at::randn({rows, inputs}), w_ih = at::randn({gates, inputs}), g = at::randn({rows, gates});
      at::Tensor projection = at::randn({rows, gates}), dx = at::empty({rows, inputs});
      at::Tensor dw = at::empty({gates, inputs}), dw_t = at::empty({inputs, gates});
      const double flop = 2.0 * rows * gates * inputs;
      const std::string at_shape = std::string(shape.name) + ", " + std::to_string(inputs) + " inputs: ";
      race(at_shape + "x · W_ihᵀ", flop,
           {{"oneDNN", [&] { onednn(projection, x, w_ih.t(), 1); }}, {"ATen", [&] { aten(projection, x, w_ih.t(), 1); }}});
      race(at_shape + "dL/dg · W_ih", flop,
           {{"oneDNN", [&] { onednn(dx, g, w_ih, 0); }}, {"ATen", [&] { aten(dx, g, w_ih, 0); }}});
      race(at_shape + "dL/dgᵀ · x", flop,
           {{"oneDNN", [&] { onednn(dw, g.t(), x, 0); }},
            {"ATen", [&] { aten(dw, g.t(), x, 0); }},
            {"oneDNN (xᵀ·dL/dg)ᵀ", [&] { onednn(dw_t, x.t(), g, 0); dw.copy_(dw_t.t()); }},
            {"ATen (xᵀ·dL/dg)ᵀ", [&] { aten(dw_t, x.t(), g, 0); dw.copy_(dw_t.t()); }}});
    }
}
