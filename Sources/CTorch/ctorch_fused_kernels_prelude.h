// Private to CTorch: what ctorch_fused_kernels_impl.h needs from outside at::vec's CPU_CAPABILITY namespace,
// included by each instruction set's kernel file BEFORE it switches its target on, so that these headers' inline
// functions (shared by every file of the program, one copy kept by the linker) are compiled for the baseline only.
// This is the list of ATen/cpu/vec/vec_base.h's includes that are not themselves namespaced by CPU_CAPABILITY. To see
// that nothing else slipped in, disassemble an ISA's object: no function outside ctorch::fused::AVX2 (AVX512) may use
// a VEX or EVEX instruction (the command is in docs/PERFORMANCE.md, "Fused kernels per instruction set").
#pragma once

#ifndef CPU_CAPABILITY
#error "define CPU_CAPABILITY (DEFAULT, AVX2 or AVX512) before including ctorch_fused_kernels_prelude.h"
#endif

#include "ctorch_fused_kernels.h"
#include "ctorch_parallel_for.h"

#include <ATen/Dispatch.h>
#include <ATen/NumericUtils.h>
#include <ATen/cpu/vec/intrinsics.h>
#include <ATen/native/Math.h>
#include <c10/macros/Macros.h>
#include <c10/util/BFloat16-math.h>
#include <c10/util/BFloat16.h>
#include <c10/util/C++17.h>
#include <c10/util/Load.h>
#include <c10/util/TypeCast.h>
#include <c10/util/copysign.h>
#include <c10/util/irange.h>
#include <c10/util/math_compat.h>
#include <algorithm>
#include <bitset>
#include <cassert>
#include <cmath>
#include <cstring>
#include <functional>
#include <tuple>
#include <type_traits>
#include <vector>
