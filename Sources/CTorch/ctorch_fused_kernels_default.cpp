// The fused block's kernels for the baseline instruction set (SSE2 on x86-64; whatever the target has elsewhere):
// always built, and the copy every CPU can run.
#define CPU_CAPABILITY DEFAULT
#include "ctorch_fused_kernels_prelude.h"
#include "ctorch_fused_kernels_impl.h"
