/* CTorch CPU allocator: libtorch's CPU tensors of 1 MiB and more come from a cache of freed blocks, reused by exact
 * size, instead of a fresh mmap that the kernel zero-fills page by page and unmaps again at every training step.
 * Installed when the program starts unless HARLAB_CPU_ALLOCATOR=system. It keeps at most a quarter of physical memory
 * (8 GiB at most) in freed blocks, divided by LOCAL_WORLD_SIZE when set, or HARLAB_CPU_CACHE_LIMIT (bytes, or a number
 * with K, M, G or T). Plain C; part of the CTorch umbrella header. */
#ifndef CTORCH_ALLOCATOR_H
#define CTORCH_ALLOCATOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The cache's counters since the program started: allocations of 1 MiB or more served from the cache (`hits`) or
 *  fresh (`misses`), the bytes held now in freed blocks (`cached`), and the most it may hold (`limit`). */
typedef struct {
  int64_t hits;
  int64_t misses;
  int64_t cached;
  int64_t limit;
} ct_cpu_cache_stats;

/** 1 when libtorch's CPU allocations go through the cache, 0 when through libtorch's own allocator. */
int ct_cpu_cache_enabled(void);

/** Routes libtorch's CPU allocations through the cache (`enabled` 1) or back to libtorch's allocator (0). Tensors
 *  keep the deleter of the allocator that made them, so switching at any time is safe. */
void ct_cpu_cache_enable(int enabled);

/** The counters now. */
ct_cpu_cache_stats ct_cpu_cache_statistics(void);

/** Sets the most bytes the cache holds in freed blocks (the oldest are freed first beyond it); 0 keeps nothing. */
void ct_cpu_cache_set_limit(int64_t bytes);

/** Frees every cached block (live tensors are untouched). */
void ct_cpu_cache_release(void);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_ALLOCATOR_H */
