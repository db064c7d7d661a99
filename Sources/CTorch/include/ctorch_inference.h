/*
 * ctorch_inference.h: inference-only forms of layers (no autograd).
 *
 * Batch norm in evaluation mode is a per-channel affine map, so a convolution followed by it is one convolution
 * with scaled weights and a shifted bias. The fold is computed here in float64 and cached by the Swift side, keyed
 * by the identities and version counters of the tensors it was computed from (ct_tensor_versions), so any in-place
 * change (an optimizer step, a running-statistics update, a load, a dtype change) makes the key differ.
 */
#ifndef CTORCH_INFERENCE_H
#define CTORCH_INFERENCE_H

#include <stdint.h>
#include "CTorch.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * For each of the `n` tensors: its version counter (bumped by every in-place change; -1 for an inference tensor,
 * which has none) into `versions[i]`, and the address of its data into `addresses[i]` (changes when set_data
 * swaps the storage). 0, or -1 on a bad handle.
 */
int ct_tensor_versions(const ct_tensor *tensors, int n, int64_t *versions, int64_t *addresses);

/**
 * Folds evaluation-mode batch norm (`norm_weight`, `norm_bias`, `running_mean`, `running_var`, `eps`) into the
 * convolution before it (`conv_weight` [out, …], `conv_bias` [out] or NULL): weight·s and (bias − mean)·s + shift
 * with s = norm_weight / sqrt(running_var + eps), computed in float64 and returned in the convolution weight's
 * dtype as ordinary (non-inference) tensors that do not require grad. 0, or -1 with a message on a shape or
 * dtype mismatch.
 */
int ct_nn_fold_batch_norm(ct_tensor conv_weight, ct_tensor conv_bias, ct_tensor norm_weight, ct_tensor norm_bias,
                          ct_tensor running_mean, ct_tensor running_var, double eps, ct_tensor *out_weight,
                          ct_tensor *out_bias);

/**
 * 1 when this library raised glibc's mmap and trim thresholds as it loaded (32 MiB, 256 MiB), so the buffers of a
 * batch-1 forward are reused from the heap instead of mapped, faulted in and unmapped on every call; 0 when the
 * environment opted out (HARLAB_MALLOC_DEFAULTS, or glibc's MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ set).
 */
int ct_runtime_allocator_tuned(void);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_INFERENCE_H */
