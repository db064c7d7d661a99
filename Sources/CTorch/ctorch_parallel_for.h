// ctorch::parallel_for: at::parallel_for's chunking on libtorch's own OpenMP pool, for a shim compiled without OpenMP.
//
// at::parallel_for is an inline template that only splits work under INTRA_OP_PARALLEL, which ATen defines only where
// _OPENMP is; the shim has no -fopenmp (clang's would load LLVM's libomp beside the libgomp libtorch runs on), so there
// it runs the whole range on the calling thread (docs/PITFALLS.md). These helpers open the region through the libgomp
// libtorch loaded, found at run time with dlsym rather than linked, so the team is libtorch's own intra-op pool: the
// threads `at::set_num_threads` sized, already running, with the float environment they inherited.
#pragma once

#include <ATen/Parallel.h>

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>

namespace ctorch {

/// libgomp's entry point for `#pragma omp parallel`: runs `body(data)` on a team of `threads` (0: the default), the
/// calling thread included, and returns when all have.
using OpenMPRegion = void (*)(void (*body)(void *), void *data, unsigned threads, unsigned flags);

namespace parallel_detail {
using Query = int (*)();

template <class T>
T loaded(const char *symbol) {
  return reinterpret_cast<T>(dlsym(RTLD_DEFAULT, symbol));
}
inline Query thread_number() {
  static const auto f = loaded<Query>("omp_get_thread_num");
  return f;
}
inline Query team_size() {
  static const auto f = loaded<Query>("omp_get_num_threads");
  return f;
}
}  // namespace parallel_detail

/// The loaded libgomp's `GOMP_parallel`, or nullptr where none is (a libtorch built on another OpenMP runtime).
inline OpenMPRegion openmp_region() {
  static const auto f = parallel_detail::loaded<OpenMPRegion>("GOMP_parallel");
  return f;
}

/// `f(chunk_begin, chunk_end)` over [begin, end) in one contiguous chunk per thread of libtorch's intra-op pool, no
/// more threads than chunks of at least `grain` elements: at::parallel_for's split, as ATen's OpenMP build makes it.
/// Runs the whole range inline where at::parallel_for would (one thread, a range within one grain, already inside a
/// parallel region) and where no libgomp is loaded. The first exception a chunk throws is rethrown here, after the
/// other chunks have finished.
template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F &f) {
  if (begin >= end) return;
  using namespace parallel_detail;
  const int64_t range = end - begin;
  int64_t threads = at::get_num_threads();
  if (grain > 0) threads = std::min<int64_t>(threads, (range + grain - 1) / grain);
  if (range <= grain || threads <= 1 || at::in_parallel_region() || openmp_region() == nullptr ||
      thread_number() == nullptr || team_size() == nullptr) {
    f(begin, end);
    return;
  }
  struct Work {
    int64_t begin, end;
    const F *f;
    std::atomic_flag failed = ATOMIC_FLAG_INIT;
    std::exception_ptr error;
  } work{begin, end, &f};
  openmp_region()(
      [](void *data) {
        auto &w = *static_cast<Work *>(data);
        // The team libgomp gave may be smaller than asked (a nested or limited runtime): split by what it is.
        const int64_t team = team_size()(), id = thread_number()();
        const int64_t chunk = (w.end - w.begin + team - 1) / team, start = w.begin + id * chunk;
        if (start >= w.end) return;
        try {
          (*w.f)(start, std::min(w.end, start + chunk));
        } catch (...) {
          if (!w.failed.test_and_set()) w.error = std::current_exception();
        }
      },
      &work, static_cast<unsigned>(threads), 0);
  if (work.error) std::rethrow_exception(work.error);
}

}  // namespace ctorch
