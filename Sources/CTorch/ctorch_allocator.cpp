// The caching CPU allocator of ctorch_allocator.h. A training step frees and allocates the same large activation
// buffers every step; glibc serves each buffer over its 32 MiB mmap ceiling with a fresh mapping, so every step pays a
// page fault and a zero-fill per 4 KiB page (about half of an `sa` step on the DSADS shape in `perf`). Reusing freed
// blocks of the exact size removes that. Smaller requests go straight to libtorch's allocator, whose heap reuses them.
#include "ctorch_internal.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <cerrno>
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

/// The default most bytes of freed blocks one process keeps: a quarter of physical memory, at most 8 GiB, shared
/// out between the ranks of a job on this host (LOCAL_WORLD_SIZE, as torchrun and `set workers` set it).
int64_t defaultLimit() {
  const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  const int64_t physical = pages > 0 && pageSize > 0 ? int64_t(pages) * pageSize : (int64_t(8) << 30);
  int64_t limit = std::min<int64_t>(physical / 4, int64_t(8) << 30);
  if (const char *ranks = std::getenv("LOCAL_WORLD_SIZE")) {
    const long count = std::strtol(ranks, nullptr, 10);
    if (count > 1) limit /= count;
  }
  return limit;
}

/// `text` as a number of bytes, with an optional K, M, G or T suffix (powers of 1024); -1 when it is not one.
int64_t parseBytes(const char *text) {
  char *end = nullptr;
  errno = 0;
  const double number = std::strtod(text, &end);
  if (end == text || errno != 0 || !(number >= 0)) return -1;
  double scale = 1;
  switch (*end) {
    case '\0': break;
    case 'K': case 'k': scale = 1024.0; ++end; break;
    case 'M': case 'm': scale = 1024.0 * 1024; ++end; break;
    case 'G': case 'g': scale = 1024.0 * 1024 * 1024; ++end; break;
    case 'T': case 't': scale = 1024.0 * 1024 * 1024 * 1024; ++end; break;
    default: return -1;
  }
  if (*end == 'B' || *end == 'b') ++end;
  const double bytes = number * scale;
  return *end == '\0' && bytes < 9.0e18 ? int64_t(bytes) : -1;
}

/// The freed blocks, by size and by age, and the sizes of the live blocks the cache handed out. No member frees or
/// allocates through libtorch, and `give` and `trim` never throw: `give` is libtorch's deleter, called from noexcept
/// destructors, so a failure to keep a block frees it instead.
struct BlockCache {
  std::mutex lock;
  std::list<std::pair<void *, size_t>> byAge;  // oldest first
  std::unordered_map<size_t, std::vector<std::list<std::pair<void *, size_t>>::iterator>> bySize;
  std::unordered_map<void *, size_t> live;
  int64_t hits = 0, misses = 0, cached = 0, limit = 0;

  /// The limit is HARLAB_CPU_CACHE_LIMIT when set and not empty (a value that is not a size is named on standard error, as there is
  /// no caller yet to return an error to, and the default is kept), else `defaultLimit()`.
  BlockCache() : limit(defaultLimit()) {
    if (const char *asked = std::getenv("HARLAB_CPU_CACHE_LIMIT"); asked != nullptr && *asked != '\0') {
      const int64_t bytes = parseBytes(asked);
      if (bytes >= 0)
        limit = bytes;
      else
        std::fprintf(stderr, "harlab: HARLAB_CPU_CACHE_LIMIT=%s is not a size (bytes, or a number with K, M, G or T); "
                     "keeping the default limit\n", asked);
    }
  }

  /// A block of `bytes`: a cached one of exactly that size, else a fresh one. Throws only when memory runs out, and
  /// then holds on to nothing.
  void *take(size_t bytes) {
    {
      std::lock_guard<std::mutex> guard(lock);
      auto found = bySize.find(bytes);
      if (found != bySize.end() && !found->second.empty()) {
        auto block = found->second.back();
        void *data = block->first;
        try {
          live.emplace(data, bytes);
        } catch (...) {
          return nullptr;  // the block stays cached; the caller allocates afresh below
        }
        found->second.pop_back();
        byAge.erase(block);
        cached -= int64_t(bytes);
        ++hits;
        return data;
      }
      ++misses;
    }
    return nullptr;
  }

  /// A fresh block of `bytes` recorded as live; freed again if the record cannot be made.
  void *fresh(size_t bytes) {
    void *data = c10::alloc_cpu(bytes);
    try {
      std::lock_guard<std::mutex> guard(lock);
      live.emplace(data, bytes);
    } catch (...) {
      c10::free_cpu(data);
      throw;
    }
    return data;
  }

  /// Keeps a freed block of ours for reuse (freeing the oldest beyond the limit), or frees one that is not ours or
  /// that cannot be recorded.
  void give(void *data) noexcept {
    bool kept = false;
    {
      std::lock_guard<std::mutex> guard(lock);
      auto found = live.find(data);
      if (found != live.end()) {
        const size_t bytes = found->second;
        try {
          auto &sameSize = bySize[bytes];
          sameSize.reserve(sameSize.size() + 1);
          byAge.emplace_back(data, bytes);  // after these three nothing below can throw
          sameSize.push_back(std::prev(byAge.end()));
          cached += int64_t(bytes);
          kept = true;
        } catch (...) {
        }
        live.erase(found);
        if (kept) trim();
      }
    }
    if (!kept) c10::free_cpu(data);
  }

  /// Frees the oldest cached blocks until the cache holds at most `limit` bytes. Called with `lock` held.
  void trim() noexcept {
    while (cached > limit && !byAge.empty()) {
      auto oldest = byAge.begin();
      auto sameSize = bySize.find(oldest->second);
      if (sameSize != bySize.end()) {
        auto &blocks = sameSize->second;
        for (size_t i = 0; i < blocks.size(); ++i) {
          if (blocks[i] == oldest) {
            blocks.erase(blocks.begin() + long(i));
            break;
          }
        }
      }
      cached -= int64_t(oldest->second);
      c10::free_cpu(oldest->first);
      byAge.erase(oldest);
    }
  }
};

BlockCache &cache() {
  static BlockCache *instance = new BlockCache();  // never destroyed: tensors may be freed during exit
  return *instance;
}

void giveBack(void *data) noexcept {
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
    if (data == nullptr) data = cache().fresh(bytes);
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
  std::lock_guard<std::mutex> guard(cache.lock);
  cache.limit = std::max<int64_t>(0, bytes);
  cache.trim();
}

void ct_cpu_cache_release(void) {
  auto &cache = ctorch::cache();
  std::lock_guard<std::mutex> guard(cache.lock);
  const int64_t limit = cache.limit;
  cache.limit = 0;
  cache.trim();
  cache.limit = limit;
}

}  // extern "C"
