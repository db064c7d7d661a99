// The fused block's kernels for AVX2 with FMA (ATen's AVX2 capability). SwiftPM gives one set of flags to every file
// of a target, so the instruction set is switched on here, after the shared headers (ctorch_fused_kernels_prelude.h)
// and before at::vec's headers and the kernels, which live in namespaces of their own (AVX2). ctorch_fused_isa.cpp
// calls this copy only on a CPU that reports avx2 and fma.
#if defined(__x86_64__) && defined(__clang__) && __has_include(<sleef.h>)
#define CPU_CAPABILITY AVX2
#define CPU_CAPABILITY_AVX2
#include "ctorch_fused_kernels_prelude.h"
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
// sleef.h declares its vector functions only where the compiler's flags announce the instruction set; they are
// declarations of libsleef's functions, made visible here for at::vec's headers to name, and declared inside the
// target switch so that their vector arguments have this instruction set's ABI. The LSTM cell's exp and tanh call
// them where the build links libsleef (CTORCH_LINKS_SLEEF, Package.swift), libm's per lane otherwise.
#define __AVX__ 1
#include <sleef.h>
#undef __AVX__
#include "ctorch_fused_kernels_impl.h"
#pragma clang attribute pop
#else
#include "ctorch_fused_kernels.h"
const ctorch::fused::Kernels *const ctorch::fused::AVX2::kernels = nullptr;
#endif
