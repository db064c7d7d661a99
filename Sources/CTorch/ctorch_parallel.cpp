// The split of the shim's parallel loops, counted (ctorch_parallel.h).
#include "ctorch_parallel.h"
#include "ctorch_internal.h"
#include "ctorch_parallel_for.h"

#include <mutex>
#include <set>
#include <thread>

extern "C" int ct_parallel_threads_used(int64_t range, int64_t grain) {
  CT_PROTECT(-1, {
    TORCH_CHECK(range >= 0 && grain >= 0, "a parallel loop's range and grain are counts, got ", range, " and ", grain);
    std::mutex lock;
    std::set<std::thread::id> threads;
    ctorch::parallel_for(0, range, grain, [&](int64_t, int64_t) {
      std::lock_guard<std::mutex> held(lock);
      threads.insert(std::this_thread::get_id());
    });
    return static_cast<int>(threads.size());
  })
}
