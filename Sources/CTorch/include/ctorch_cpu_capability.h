/* CTorch CPU capability cap: libtorch's ATEN_CPU_CAPABILITY variable as libtorch itself reads it, so that harlab's own
 * instruction-set decisions (the fused kernels' copy, bfloat16 autocast under `amp auto`) follow the same cap as ATen's
 * kernels. Levels are numbered as the fused kernels' instruction sets (CT_FUSED_ISA_*): 0 default (no AVX), 1 AVX2,
 * 2 AVX-512. Plain C; part of the CTorch umbrella header. */
#ifndef CTORCH_CPU_CAPABILITY_H
#define CTORCH_CPU_CAPABILITY_H

#ifdef __cplusplus
extern "C" {
#endif

/** What ct_cpu_capability_parse returns for no value (the variable is unset). */
#define CT_CPU_CAPABILITY_UNSET (-1)
/** What ct_cpu_capability_parse returns for a value libtorch ignores (with the warning "ignoring invalid value for
 *  ATEN_CPU_CAPABILITY"): anything but the exact, lower-case "default", "avx2" and "avx512". */
#define CT_CPU_CAPABILITY_INVALID (-2)

/** libtorch 1.13's reading of an ATEN_CPU_CAPABILITY value (aten/src/ATen/native/DispatchStub.cpp, `strcmp`): 0 for
 *  "default", 1 for "avx2", 2 for "avx512", CT_CPU_CAPABILITY_UNSET for NULL, CT_CPU_CAPABILITY_INVALID otherwise
 *  (case matters: "AVX2" is invalid; so is "" ). */
int ct_cpu_capability_parse(const char *value);

/** This process's cap: ct_cpu_capability_parse of ATEN_CPU_CAPABILITY, read once, at the first call (libtorch too
 *  reads it once). */
int ct_cpu_capability_cap(void);

/** The value of ATEN_CPU_CAPABILITY read by ct_cpu_capability_cap (NULL when unset); valid for the whole process. */
const char *ct_cpu_capability_value(void);

/** The capability libtorch's own kernels dispatch to in this process (0, 1 or 2), as `at::show_config()` reports it
 *  ("CPU capability usage: NO AVX | AVX2 | AVX512"); -1 with the error set where that line is missing. */
int ct_cpu_capability_libtorch(void);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_CPU_CAPABILITY_H */
