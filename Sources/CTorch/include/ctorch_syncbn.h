/* CTorch synchronised batch norm: batch normalisation whose statistics are those of the global batch of a
 * data-parallel job (PyTorch's SyncBatchNorm), over the Gloo process group of ctorch_distributed.h
 * (ctorch_syncbn.cpp). Plain C; part of the CTorch umbrella header. */
#ifndef CTORCH_SYNCBN_H
#define CTORCH_SYNCBN_H

#include "CTorch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ctorch_distributed.h's process group (declared again here: the umbrella header may be mid-way through that file). */
typedef struct ct_process_group_opaque *ct_process_group;

/**
 * Batch normalisation in training mode of x [B, C, *], this rank's share of a global batch split between the ranks
 * of `group`, with the global batch's statistics:
 * - forward: one all-reduce of per-channel [count, sum, sum of squares] (float64); every rank normalises with the
 *   global mean and biased variance, and updates running_mean/running_var (both [C], required) from them, the
 *   variance unbiased by the global count, as one process would over the whole batch;
 * - backward: one all-reduce of the two per-channel gradient sums (Σ dy and Σ dy·(x − mean)).
 * Every rank must call it, with the same C, in the same order (an empty share, B = 0, takes part with zeros).
 * Convention: the caller sums each rank's parameter gradients weighted by its share of the global batch
 * (`ct_process_group_sum_gradients` with scale = B / global B, as harlab's trainer does), each rank's loss being the
 * mean over its own windows; the gradient this returns for x is the one that makes that weighted sum the global
 * batch's gradient (the reduced sums are share-weighted, and the input gradient divided by the share). With equal
 * shares this is PyTorch's SyncBatchNorm followed by DDP's averaging. weight and bias [C] get this rank's own
 * gradients (the caller's sum completes them). Statistics in float64, elementwise work in float32 (float64 for
 * float64 x); the output has x's type. A failed collective (a rank that died, the group's timeout) fails the call
 * naming the pass; returns NULL with the error set.
 */
ct_tensor ct_sync_batch_norm(ct_process_group group, ct_tensor x, ct_tensor weight, ct_tensor bias,
                             ct_tensor running_mean, ct_tensor running_var, double momentum, double eps);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_SYNCBN_H */
