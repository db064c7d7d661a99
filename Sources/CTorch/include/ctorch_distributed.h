/*
 * CTorch distributed: torch.distributed's own engine (c10d) for data-parallel training.
 *
 * A `ct_store` is a c10d TCPStore (the rendezvous key-value store PyTorch's `env://` uses; one rank hosts it).
 * A `ct_process_group` is a c10d ProcessGroupGloo over such a store. Every call is bounded by the timeout given at
 * creation (milliseconds), and follows CTorch's error contract: a failure (an unreachable host, a port in use, a
 * peer that died, a timeout) returns NULL or -1 and leaves the message for `ct_error_take`.
 */
#ifndef CTORCH_DISTRIBUTED_H
#define CTORCH_DISTRIBUTED_H

#include <stddef.h>
#include <stdint.h>
#include "CTorch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_store_opaque *ct_store;
typedef struct ct_process_group_opaque *ct_process_group;

/* ---- the rendezvous store (c10d::TCPStore) --------------------------- */

/**
 * Hosts (`is_host` non-zero: listens on `port`, waits for `world_size` clients including itself) or joins the store
 * at `host`:`port`. Joining retries a refused connection until `timeout_ms` has passed. A non-empty `prefix` puts
 * every key of this handle (and of process groups over it) under that prefix (c10d's PrefixStore), as PyTorch's
 * workers do in a store a launcher's agent hosts.
 */
ct_store ct_store_connect(const char *host, int port, int is_host, int world_size, const char *prefix, int64_t timeout_ms);
void ct_store_free(ct_store store);
/** Sets `key` to `n` bytes of `value`. */
int ct_store_set(ct_store store, const char *key, const uint8_t *value, int64_t n);
/** Waits (up to the store's timeout) for `key` and returns its bytes, malloc'd (caller frees); their count in `*n`. */
uint8_t *ct_store_get(ct_store store, const char *key, int64_t *n);
/** Adds `delta` to the integer at `key` (0 when absent) and returns the new value in `*value`. */
int ct_store_add(ct_store store, const char *key, int64_t delta, int64_t *value);

/* ---- the process group (c10d::ProcessGroupGloo) ----------------------- */

/**
 * A Gloo process group of `world_size` ranks over `store`; this process is `rank`. Gloo's sockets bind to the
 * network interface `interface_name` (as PyTorch's GLOO_SOCKET_IFNAME) when given, else to the address `hostname`
 * resolves to when given, else to the address this machine's hostname resolves to (loopback when it resolves to none).
 * Creation is itself a rendezvous: it returns once every rank has joined, or fails after `timeout_ms`.
 */
ct_process_group ct_process_group_new(ct_store store, int rank, int world_size, const char *interface_name,
                                      const char *hostname, int64_t timeout_ms);
void ct_process_group_free(ct_process_group group);
/** Sums `tensor` (contiguous, CPU) across ranks in place. */
int ct_process_group_all_reduce_sum(ct_process_group group, ct_tensor tensor);
/** Overwrites `tensor` on every rank with rank `root`'s. */
int ct_process_group_broadcast(ct_process_group group, ct_tensor tensor, int root);
/** Every rank's `tensor` (same shape on all), stacked along a new first dimension in rank order. */
ct_tensor ct_process_group_all_gather(ct_process_group group, ct_tensor tensor);
/**
 * Sums `scale` × the gradient of each of `n` parameters across ranks, and `values` (in place) with them, in one
 * all-reduce of one flattened buffer (of the gradients' dtype); each gradient is replaced by the sum (a parameter
 * without a gradient counts as zeros). With `scale` = this rank's share of the global batch, the sum is the
 * gradient of the global batch's mean loss.
 */
int ct_process_group_sum_gradients(ct_process_group group, const ct_tensor *parameters, int n, double scale,
                                   double *values, int n_values);
/** Overwrites `n` tensors on every rank with rank `root`'s, as one flattened buffer (weights, not their history). */
int ct_process_group_broadcast_all(ct_process_group group, const ct_tensor *tensors, int n, int root);
/** Returns once every rank has called it. */
int ct_process_group_barrier(ct_process_group group);

/* ---- checksums -------------------------------------------------------- */

/** A 64-bit FNV-1a hash of the bytes of `n` tensors in order (equal only for bitwise-equal values). */
int ct_tensors_checksum(const ct_tensor *tensors, int n, uint64_t *checksum);

#ifdef __cplusplus
}
#endif

#endif
