// The fused block's kernels for AVX-512 (ATen's AVX512 capability: F, BW, VL, DQ with FMA). SwiftPM gives one set of
// flags to every file of a target, so the instruction set is switched on here, after the shared headers
// (ctorch_fused_kernels_prelude.h) and before at::vec's headers and the kernels, which live in namespaces of their
// own (AVX512). ctorch_fused_isa.cpp calls this copy only on a CPU that reports all of these.
#if defined(__x86_64__) && defined(__clang__) && __has_include(<sleef.h>)
#define CPU_CAPABILITY AVX512
#define CPU_CAPABILITY_AVX512
#include "ctorch_fused_kernels_prelude.h"
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma"))), \
                             apply_to = function)
// sleef.h declares its vector functions only where the compiler's flags announce the instruction set; they are
// declarations of libsleef's functions, made visible here for at::vec's headers to name, and declared inside the
// target switch so that their vector arguments have this instruction set's ABI. The LSTM cell's exp and tanh call
// them where the build links libsleef (CTORCH_LINKS_SLEEF, Package.swift), libm's per lane otherwise.
#define __AVX__ 1
#define __AVX512F__ 1
#include <sleef.h>
#undef __AVX__
#undef __AVX512F__
#include "ctorch_fused_kernels_impl.h"
#pragma clang attribute pop
#else
#include "ctorch_fused_kernels.h"
const ctorch::fused::Kernels *const ctorch::fused::AVX512::kernels = nullptr;
#endif
