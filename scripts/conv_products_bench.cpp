// Times a float32 training convolution of kernel (3,1), stride (2,1), padding (1,0) (the `ca`/`cnn`/`sa` stems' layers)
// both ways ctorch::conv2d can run it: oneDNN's convolution through libtorch, and the matrix products over the input's
// tap columns (ctorch_convolution.cpp), forward and backward (input and weight gradients) through autograd, one
// libtorch thread, glibc's allocator tuned as the shim tunes it; the median of 9 runs of each. Arguments: batch, input
// channels, output channels, rows, width (default 64 256 512 25 3: the 3-wide WISDM plane's deepest `ca` layer).
// Build and run from the package root:
//   I="-std=c++17 -O2 -I/usr/include/torch/csrc/api/include -ISources/CTorch -ISources/CTorch/include -Wno-deprecated-declarations"
//   clang++ $I scripts/conv_products_bench.cpp Sources/CTorch/ctorch_convolution.cpp Sources/CTorch/ctorch_gemm.cpp \
//     Sources/CTorch/ctorch_parallel.cpp Sources/CTorch/ctorch_tensor.cpp -o /tmp/conv_products_bench -ltorch_cpu -lc10 -ltorch -ldnnl
//   /tmp/conv_products_bench 64 256 512 25 3
#include "ctorch_convolution.h"
#include <torch/torch.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <vector>

namespace {

/// The median of 9 timed runs of `f`, in milliseconds, after one untimed run.
template <typename F> double median_ms(F f) {
  f();
  std::vector<double> times;
  for (int run = 0; run < 9; ++run) {
    const auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char **argv) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  at::set_num_threads(1);
  const auto arg = [&](int i, int64_t fallback) { return argc > i ? std::atoll(argv[i]) : fallback; };
  const int64_t batch = arg(1, 64), channels = arg(2, 256), outputs = arg(3, 512), rows = arg(4, 25), width = arg(5, 3);
  const at::Tensor x = at::randn({batch, channels, rows, width}).requires_grad_(true);
  const at::Tensor w = (at::randn({outputs, channels, 3, 1}) * 0.05).requires_grad_(true);
  const at::Tensor b = at::randn({outputs}).requires_grad_(true);
  const int64_t out_rows = (rows + 2 - 3) / 2 + 1;
  const double gflop = 2.0 * batch * out_rows * width * outputs * channels * 3 / 1e9;
  std::printf("N=%lld C=%lld O=%lld H=%lld W=%lld (%lld positions per window, %.2f GFLOP per pass)\n", (long long)batch,
              (long long)channels, (long long)outputs, (long long)rows, (long long)width, (long long)(out_rows * width),
              gflop);
  for (const bool products : {false, true}) {
    ctorch::force_float32_convolution_as_products(products);
    at::Tensor y;
    const double forward = median_ms([&] { y = ctorch::conv2d(x, w, b, {2, 1}, {1, 0}, {1, 1}, 1); });
    const at::Tensor upstream = at::randn_like(y);
    const double both = median_ms([&] {
      y = ctorch::conv2d(x, w, b, {2, 1}, {1, 0}, {1, 1}, 1);
      torch::autograd::grad({y}, {x, w, b}, {upstream});
    });
    // Forced on, the products still take only convolutions short and deep enough: name the node that ran.
    const bool ran_products = y.grad_fn()->name().find("Conv2dAsProducts") != std::string::npos;
    std::printf("%-8s forward %7.2f ms (%3.0f GFLOP/s)  backward %7.2f ms  step %7.2f ms\n",
                ran_products ? "products" : "oneDNN", forward, gflop / forward * 1e3, both - forward, both);
  }
}
