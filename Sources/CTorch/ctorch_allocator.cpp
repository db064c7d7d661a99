// The caching CPU allocator of ctorch_allocator.h. A training step frees and allocates the same large activation
// buffers every step; glibc serves each buffer over its 32 MiB mmap ceiling with a fresh mapping, so every step pays a
// page fault and a zero-fill per 4 KiB page (about half of an `sa` step on the DSADS shape in `perf`). Reusing freed
// blocks of the exact size removes that. Smaller requests go straight to libtorch's allocator, whose heap reuses them.
#include "ctorch_internal.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>
#include <mutex>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace ctorch {
namespace {

/// Requests below this size are not cached.
constexpr size_t kSmallest = size_t(1) << 20;

/// The freed blocks, by size and by age, and the sizes of the live blocks the cache handed out.
struct BlockCache {
  std::mutex lock;
  std::list<std::pair<void *, size_t>> byAge;  // oldest first
  std::unordered_map<size_t, std::vector<std::list<std::pair<void *, size_t>>::iterator>> bySize;
  std::unordered_map<void *, size_t> live;
  int64_t hits = 0, misses = 0, cached = 0, limit = 0;

  BlockCache() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    const int64_t physical = pages > 0 && pageSize > 0 ? int64_t(pages) * pageSize : (int64_t(8) << 30);
    limit = std::min<int64_t>(physical / 4, int64_t(8) << 30);
  }

  void *take(size_t bytes) {
    {
      std::lock_guard<std::mutex> guard(lock);
      auto found = bySize.find(bytes);
      if (found != bySize.end() && !found->second.empty()) {
        auto block = found->second.back();
        found->second.pop_back();
        void *data = block->first;
        byAge.erase(block);
        cached -= int64_t(bytes);
        live.emplace(data, bytes);
        ++hits;
        return data;
      }
      ++misses;
    }
    void *data = c10::alloc_cpu(bytes);
    std::lock_guard<std::mutex> guard(lock);
    live.emplace(data, bytes);
    return data;
  }

  /// Keeps a freed block of ours for reuse (freeing the oldest beyond the limit), or frees one that is not ours.
  void give(void *data) {
    std::vector<void *> freed;
    {
      std::lock_guard<std::mutex> guard(lock);
      auto found = live.find(data);
      if (found == live.end()) {
        freed.push_back(data);
      } else {
        const size_t bytes = found->second;
        live.erase(found);
        byAge.emplace_back(data, bytes);
        bySize[bytes].push_back(std::prev(byAge.end()));
        cached += int64_t(bytes);
        trim(freed);
      }
    }
    for (void *block : freed) c10::free_cpu(block);
  }

  /// Removes the oldest cached blocks until the cache holds at most `limit` bytes; they go to `freed`.
  void trim(std::vector<void *> &freed) {
    while (cached > limit && !byAge.empty()) {
      auto oldest = byAge.begin();
      auto &sameSize = bySize[oldest->second];
      for (size_t i = 0; i < sameSize.size(); ++i) {
        if (sameSize[i] == oldest) {
          sameSize.erase(sameSize.begin() + long(i));
          break;
        }
      }
      cached -= int64_t(oldest->second);
      freed.push_back(oldest->first);
      byAge.erase(oldest);
    }
  }
};

BlockCache &cache() {
  static BlockCache *instance = new BlockCache();  // never destroyed: tensors may be freed during exit
  return *instance;
}

void giveBack(void *data) {
  if (data != nullptr) cache().give(data);
}

/// libtorch's CPU allocator interface over the cache.
struct CachingCPUAllocator final : public c10::Allocator {
  c10::DataPtr allocate(size_t bytes) const override {
    if (bytes < kSmallest) {
      void *data = c10::alloc_cpu(bytes);
      return {data, data, &c10::free_cpu, c10::Device(c10::DeviceType::CPU)};
    }
    void *data = cache().take(bytes);
    return {data, data, &giveBack, c10::Device(c10::DeviceType::CPU)};
  }
  // giveBack frees a block the cache does not know with c10::free_cpu, so it serves every block of this allocator.
  c10::DeleterFnPtr raw_deleter() const override { return &giveBack; }
};

CachingCPUAllocator cachingAllocator;
c10::Allocator *libtorchAllocator = nullptr;

/// Installs the cache when the program starts (after libc10 registered its own allocator), unless the environment
/// asks for libtorch's allocator with HARLAB_CPU_ALLOCATOR=system; any value but `system` and `caching` is named on
/// standard error (there is no caller yet to return an error to) and the cache is used.
struct Installer {
  Installer() {
    libtorchAllocator = c10::GetCPUAllocator();
    const char *choice = std::getenv("HARLAB_CPU_ALLOCATOR");
    if (choice != nullptr && std::strcmp(choice, "system") == 0) return;
    if (choice != nullptr && std::strcmp(choice, "caching") != 0)
      std::fprintf(stderr, "harlab: HARLAB_CPU_ALLOCATOR=%s is neither 'caching' nor 'system'; using the block cache\n", choice);
    c10::SetCPUAllocator(&cachingAllocator, 1);
  }
} installer;

}  // namespace
}  // namespace ctorch

extern "C" {

int ct_cpu_cache_enabled(void) { return c10::GetCPUAllocator() == &ctorch::cachingAllocator ? 1 : 0; }

void ct_cpu_cache_enable(int enabled) {
  c10::SetCPUAllocator(enabled ? static_cast<c10::Allocator *>(&ctorch::cachingAllocator) : ctorch::libtorchAllocator, 1);
}

ct_cpu_cache_stats ct_cpu_cache_statistics(void) {
  auto &cache = ctorch::cache();
  std::lock_guard<std::mutex> guard(cache.lock);
  return {cache.hits, cache.misses, cache.cached, cache.limit};
}

void ct_cpu_cache_set_limit(int64_t bytes) {
  auto &cache = ctorch::cache();
  std::vector<void *> freed;
  {
    std::lock_guard<std::mutex> guard(cache.lock);
    cache.limit = std::max<int64_t>(0, bytes);
    cache.trim(freed);
  }
  for (void *block : freed) c10::free_cpu(block);
}

void ct_cpu_cache_release(void) {
  auto &cache = ctorch::cache();
  std::vector<void *> freed;
  {
    std::lock_guard<std::mutex> guard(cache.lock);
    const int64_t limit = cache.limit;
    cache.limit = 0;
    cache.trim(freed);
    cache.limit = limit;
  }
  for (void *block : freed) c10::free_cpu(block);
}

}  // extern "C"
