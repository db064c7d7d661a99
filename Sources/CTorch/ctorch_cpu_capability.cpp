// ATEN_CPU_CAPABILITY read with libtorch's own rules, once per process, for harlab's instruction-set decisions, and the
// capability libtorch's kernels actually use, for `status` and the tests that check the two agree.
#include "ctorch_internal.h"
#include "ctorch_fused_isa.h"

#include <ATen/Version.h>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

int ct_cpu_capability_parse(const char *value) {
  if (value == nullptr) return CT_CPU_CAPABILITY_UNSET;
  // The order and the exact comparisons of libtorch 1.13's compute_cpu_capability (built with AVX2 and AVX-512).
  if (std::strcmp(value, "avx512") == 0) return CT_FUSED_ISA_AVX512;
  if (std::strcmp(value, "avx2") == 0) return CT_FUSED_ISA_AVX2;
  if (std::strcmp(value, "default") == 0) return CT_FUSED_ISA_BASELINE;
  return CT_CPU_CAPABILITY_INVALID;
}

const char *ct_cpu_capability_value(void) {
  static const char *const value = std::getenv("ATEN_CPU_CAPABILITY");
  return value;
}

int ct_cpu_capability_cap(void) {
  static const int cap = ct_cpu_capability_parse(ct_cpu_capability_value());
  return cap;
}

int ct_cpu_capability_libtorch(void) {
  CT_PROTECT(-1, {
    const std::string config = at::show_config();
    const std::string label = "CPU capability usage: ";
    const auto start = config.find(label);
    if (start == std::string::npos) throw std::runtime_error("libtorch's configuration names no CPU capability");
    const auto end = config.find('\n', start);
    const std::string used = config.substr(start + label.size(), end == std::string::npos ? std::string::npos : end - start - label.size());
    if (used == "AVX512") return CT_FUSED_ISA_AVX512;
    if (used == "AVX2") return CT_FUSED_ISA_AVX2;
    if (used == "NO AVX" || used == "DEFAULT") return CT_FUSED_ISA_BASELINE;
    throw std::runtime_error("libtorch's CPU capability is one harlab does not know: " + used);
  })
}
