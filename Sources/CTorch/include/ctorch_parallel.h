/* CTorch parallel loops: the shim's own kernels (the fused spatial-attention passes, dropout, the LSTM cell) split
 * their work over libtorch's intra-op thread pool with ctorch::parallel_for (ctorch_parallel_for.h), at::parallel_for's
 * split opened through the libgomp libtorch loaded, because at::parallel_for itself runs serially in a file compiled
 * without OpenMP. This entry lets a caller see the split. Plain C; part of the CTorch umbrella header. */
#ifndef CTORCH_PARALLEL_H
#define CTORCH_PARALLEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How many distinct threads run a chunk when the shim's parallel loop splits `range` items into chunks of at least
 *  `grain` (an empty loop body, counted): `ct_get_num_threads()` or fewer, 1 where the loop runs inline, 0 for an
 *  empty range; -1 on a negative range or grain (the message in ct_error_take). */
int ct_parallel_threads_used(int64_t range, int64_t grain);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_PARALLEL_H */
