// Subnormal floats flushed to zero (ctorch_denormals.h): set when the library loads, switchable per process.
#include "ctorch_denormals.h"
#include "ctorch_parallel_for.h"

#include <ATen/Parallel.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define CTORCH_MXCSR 1
#else
#define CTORCH_MXCSR 0
#endif

namespace {

#if CTORCH_MXCSR
/// MXCSR's flush-to-zero (results) and denormals-are-zero (operands) bits.
constexpr unsigned int flush_bits = 0x8000u | 0x0040u;

void set_here(bool flush) {
  const unsigned int csr = _mm_getcsr();
  _mm_setcsr(flush ? csr | flush_bits : csr & ~flush_bits);
}
#endif

/// Flushes on the loading thread unless HARLAB_DENORMALS=keep; every thread created afterwards inherits it. Any value
/// but `flush` and `keep` is named on stderr rather than ignored.
bool flush_at_load() {
#if CTORCH_MXCSR
  const char *choice = std::getenv("HARLAB_DENORMALS");
  if (choice != nullptr && std::strcmp(choice, "keep") == 0) return false;
  if (choice != nullptr && std::strcmp(choice, "flush") != 0)
    std::fprintf(stderr, "harlab: HARLAB_DENORMALS=%s is neither 'flush' nor 'keep'; flushing them to zero\n", choice);
  set_here(true);
  return true;
#else
  return false;
#endif
}

const bool flushed_at_load = flush_at_load();

}  // namespace

extern "C" {

int ct_denormals_flushed(void) {
#if CTORCH_MXCSR
  return (_mm_getcsr() & flush_bits) == flush_bits ? 1 : 0;
#else
  return -1;
#endif
}

int ct_denormals_flushed_at_load(void) { return flushed_at_load ? 1 : 0; }

int ct_denormals_set_flushed(int flush) {
#if CTORCH_MXCSR
  set_here(flush != 0);
  // Every thread of the OpenMP team libtorch's kernels run on sets its own, in a region opened through the libgomp
  // libtorch loaded (the shim is compiled without OpenMP: ctorch_parallel_for.h).
  if (const auto region = ctorch::openmp_region()) {
    bool wanted = flush != 0;
    region([](void *wanted) { set_here(*static_cast<bool *>(wanted)); }, &wanted,
           static_cast<unsigned>(at::get_num_threads()), 0);
  }
  return 0;
#else
  (void)flush;
  return -1;
#endif
}

}  // extern "C"
