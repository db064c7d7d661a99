/* CTorch denormals: whether float arithmetic flushes subnormal numbers to zero (x86's MXCSR flush-to-zero and
 * denormals-are-zero bits). On Intel cores a subnormal operand or result costs a microcode assist of about a hundred
 * cycles: an LSTM trained over WISDM's 200 steps, whose gradients fade through time into the subnormal range, trained
 * 20× slower on a Sapphire Rapids with them kept (docs/PERFORMANCE.md). So the shim flushes them when the program
 * loads, before any other thread exists, and every thread created later (libtorch's OpenMP pool included) inherits
 * the setting; HARLAB_DENORMALS=keep opts out (`flush`, the default, is also accepted; any other value is named on
 * stderr). Plain C; part of the CTorch umbrella header. */
#ifndef CTORCH_DENORMALS_H
#define CTORCH_DENORMALS_H

#ifdef __cplusplus
extern "C" {
#endif

/** 1 when the calling thread flushes subnormal floats to zero (results and operands), 0 when it keeps them, -1 on a
 *  CPU where the shim cannot tell (not x86). */
int ct_denormals_flushed(void);

/** 1 when the shim flushed them as the program loaded, 0 when it did not (HARLAB_DENORMALS=keep, or not x86). */
int ct_denormals_flushed_at_load(void);

/** Flushes (`flush` 1) or keeps (0) subnormal floats on the calling thread and on every thread of libtorch's intra-op
 *  pool (libgomp's, reached through the `GOMP_parallel` libtorch loaded); 0 on success, -1 on a CPU where the shim
 *  cannot (not x86). */
int ct_denormals_set_flushed(int flush);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_DENORMALS_H */
