/* CTorch fused kernels' instruction sets: the fused blocks' memory passes are compiled for the baseline, AVX2+FMA and
 * AVX-512 (ATen's CPU capabilities) and the best one this CPU runs is used, no wider than ATEN_CPU_CAPABILITY allows
 * (ctorch_cpu_capability.h); tests and benchmarks may force another.
 * Plain C; part of the CTorch umbrella header. */
#ifndef CTORCH_FUSED_ISA_H
#define CTORCH_FUSED_ISA_H

#ifdef __cplusplus
extern "C" {
#endif

/** The instruction sets of the fused kernels, in rising order: the baseline (SSE2 on x86-64), AVX2 with FMA, and
 *  AVX-512 (F, BW, VL, DQ), numbered as ct_cpu_capability_libtorch numbers ATen's levels (Swift reads both as
 *  `CPUCapability`). */
enum { CT_FUSED_ISA_BASELINE = 0, CT_FUSED_ISA_AVX2 = 1, CT_FUSED_ISA_AVX512 = 2 };

/** 1 when this build holds the fused kernels for `isa`, this CPU runs them and ATEN_CPU_CAPABILITY (when set to a value
 *  libtorch accepts) does not cap them below it, else 0 (also for an unknown `isa`). */
int ct_fused_isa_available(int isa);

/** The instruction set the fused kernels run with now: the forced one, else the best available. */
int ct_fused_isa_current(void);

/** Forces the fused kernels onto `isa` for the whole process, or with -1 returns them to the best available (for tests
 *  and benchmarks that compare the paths). Returns 0, or -1 with the error set and nothing changed where `isa` is not
 *  available. */
int ct_fused_isa_force(int isa);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_FUSED_ISA_H */
