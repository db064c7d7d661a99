// torch.distributed's engine for harlab's data-parallel training: c10d's TCPStore (rendezvous) and
// ProcessGroupGloo (collectives), both as libtorch_cpu builds them. Nothing here moves bytes itself.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include "ctorch_internal.h"

// Debian's libtorch-dev ships c10d's headers; Gloo's own come with libgloo-dev (scripts/setup.sh installs it).
// A libtorch without them (a PyTorch wheel's has no gloo/ folder) still builds: see the end of this file.
#if __has_include(<gloo/context.h>)
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <chrono>
#include <random>
#include <thread>
#include <cstdlib>
#include <cstring>

#define CT_HAS_GLOO 1
#endif

using ctorch::required;
using ctorch::unwrap;

#ifdef CT_HAS_GLOO

struct ct_store_opaque {
  c10::intrusive_ptr<c10d::Store> store;
};

struct ct_process_group_opaque {
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  std::chrono::milliseconds timeout;
};

namespace {

std::chrono::milliseconds milliseconds(int64_t timeout_ms) {
  if (timeout_ms <= 0) throw std::invalid_argument("timeout must be positive, got " + std::to_string(timeout_ms) + " ms");
  return std::chrono::milliseconds(timeout_ms);
}

c10d::ProcessGroupGloo &group_of(ct_process_group group) {
  return *required(group, "process group")->group;
}

/// Runs one collective and waits for it, bounded by the group's timeout; a peer that died or a timeout throws.
void run(ct_process_group group, const c10::intrusive_ptr<c10d::Work> &work) {
  if (!work->wait(group->timeout)) throw std::runtime_error("collective did not complete");
}

at::Tensor dense_cpu(ct_tensor tensor, const char *what) {
  const at::Tensor &t = unwrap(tensor);
  if (!t.device().is_cpu()) throw std::invalid_argument(std::string(what) + ": tensor is not on the CPU");
  if (!t.is_contiguous()) throw std::invalid_argument(std::string(what) + ": tensor is not contiguous");
  return t;
}

/// One contiguous float buffer holding `tensors` one after the other, and the views that map it back.
at::Tensor flattened(const std::vector<at::Tensor> &tensors) {
  std::vector<at::Tensor> pieces;
  pieces.reserve(tensors.size());
  for (const auto &t : tensors) pieces.push_back(t.reshape({-1}));
  return at::cat(pieces);
}

/// Copies consecutive pieces of `buffer` into `targets` (shapes taken from the targets).
void unflatten_into(const at::Tensor &buffer, const std::vector<at::Tensor> &targets) {
  int64_t offset = 0;
  for (const auto &target : targets) {
    int64_t count = target.numel();
    target.copy_(buffer.narrow(0, offset, count).view(target.sizes()));
    offset += count;
  }
}

/// Hosts or joins a TCPStore. Joining retries a refused connection until the timeout (c10d 1.13 gives up on the
/// first refusal, so a rank started before rank 0 listens would fail at once), each attempt bounded by the time left.
c10::intrusive_ptr<c10d::TCPStore> open_store(const std::string &host, c10d::TCPStoreOptions options) {
  const auto timeout = options.timeout;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  c10::intrusive_ptr<c10d::TCPStore> tcp;
  while (!tcp) {
    try {
      tcp = c10::make_intrusive<c10d::TCPStore>(host, options);
    } catch (const std::exception &) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (options.isServer || left.count() <= 0) throw;
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(250)));
      options.timeout = std::max(left, std::chrono::milliseconds(1));
    }
  }
  tcp->setTimeout(timeout);
  // c10d 1.13 bounds a client's reads only after its first wait (which sets the socket's receive timeout), so a
  // store that accepts the connection but never answers (another torch version's store, a stopped host) would
  // hang the first add or get. One set and wait of a key of this process's own first bounds every later read.
  std::string probe = "harlab/probe/" + std::to_string(std::random_device{}()) + "-" + std::to_string(std::random_device{}());
  tcp->set(probe, std::vector<uint8_t>{1});
  tcp->wait(std::vector<std::string>{probe}, timeout);
  tcp->deleteKey(probe);
  return tcp;
}

}  // namespace

extern "C" {

ct_store ct_store_connect(const char *host, int port, int is_host, int world_size, const char *prefix, int64_t timeout_ms) {
  CT_PROTECT(nullptr, {
    if (port < 1 || port > 65535) throw std::invalid_argument("port must be in 1...65535, got " + std::to_string(port));
    if (world_size < 1) throw std::invalid_argument("world size must be at least 1, got " + std::to_string(world_size));
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(port);
    options.isServer = is_host != 0;
    options.numWorkers = static_cast<std::size_t>(world_size);
    // The host does not block here for the others: harlab's rendezvous checks each rank's fingerprint first, and
    // the process group's creation is the wait for every rank.
    options.waitWorkers = false;
    options.timeout = milliseconds(timeout_ms);
    auto tcp = open_store(required(host, "host"), options);
    c10::intrusive_ptr<c10d::Store> store = tcp;
    if (prefix != nullptr && prefix[0] != '\0') store = c10::make_intrusive<c10d::PrefixStore>(prefix, store);
    return new ct_store_opaque{std::move(store)};
  })
}

void ct_store_free(ct_store store) { delete store; }

int ct_store_set(ct_store store, const char *key, const uint8_t *value, int64_t n) {
  CT_STATUS({
    if (n < 0) throw std::invalid_argument("negative byte count");
    if (n > 0) required(value, "value");
    std::vector<uint8_t> bytes(value, value + n);
    required(store, "store")->store->set(required(key, "key"), bytes);
  })
}

uint8_t *ct_store_get(ct_store store, const char *key, int64_t *n) {
  CT_PROTECT(nullptr, {
    required(n, "byte count");
    std::vector<uint8_t> bytes = required(store, "store")->store->get(required(key, "key"));
    auto *out = static_cast<uint8_t *>(std::malloc(bytes.empty() ? 1 : bytes.size()));
    if (out == nullptr) throw std::bad_alloc();
    if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
    *n = static_cast<int64_t>(bytes.size());
    return out;
  })
}

int ct_store_add(ct_store store, const char *key, int64_t delta, int64_t *value) {
  CT_STATUS({
    required(value, "value");
    *value = required(store, "store")->store->add(required(key, "key"), delta);
  })
}

ct_process_group ct_process_group_new(ct_store store, int rank, int world_size, const char *interface_name,
                                      const char *hostname, int64_t timeout_ms) {
  CT_PROTECT(nullptr, {
    if (world_size < 1) throw std::invalid_argument("world size must be at least 1, got " + std::to_string(world_size));
    if (rank < 0 || rank >= world_size)
      throw std::invalid_argument("rank " + std::to_string(rank) + " is outside 0..<" + std::to_string(world_size));
    auto timeout = milliseconds(timeout_ms);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    if (interface_name != nullptr && interface_name[0] != '\0') {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface_name));
    } else if (hostname != nullptr && hostname[0] != '\0') {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(hostname));
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    // One collective runs at a time (the trainer waits for each), so one Gloo worker thread is enough.
    options->threads = 1;
    auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(required(store, "store")->store, rank, world_size, options);
    auto *handle = new ct_process_group_opaque;
    handle->group = std::move(group);
    handle->timeout = timeout;
    return handle;
  })
}

void ct_process_group_free(ct_process_group group) { delete group; }

int ct_process_group_all_reduce_sum(ct_process_group group, ct_tensor tensor) {
  CT_STATUS({
    c10d::ProcessGroupGloo &g = group_of(group);
    std::vector<at::Tensor> tensors{dense_cpu(tensor, "all-reduce")};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    options.timeout = group->timeout;
    run(group, g.allreduce(tensors, options));
  })
}

int ct_process_group_broadcast(ct_process_group group, ct_tensor tensor, int root) {
  CT_STATUS({
    c10d::ProcessGroupGloo &g = group_of(group);
    std::vector<at::Tensor> tensors{dense_cpu(tensor, "broadcast")};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    options.timeout = group->timeout;
    run(group, g.broadcast(tensors, options));
  })
}

ct_tensor ct_process_group_all_gather(ct_process_group group, ct_tensor tensor) {
  CT_PROTECT(nullptr, {
    at::Tensor input = dense_cpu(tensor, "all-gather");
    c10d::ProcessGroupGloo &g = group_of(group);
    std::vector<at::Tensor> slots;
    for (int r = 0; r < g.getSize(); ++r) slots.push_back(at::empty_like(input));
    std::vector<std::vector<at::Tensor>> outputs{slots};
    std::vector<at::Tensor> inputs{input};
    c10d::AllgatherOptions options;
    options.timeout = group->timeout;
    run(group, g.allgather(outputs, inputs, options));
    return ctorch::wrap(at::stack(outputs[0]));
  })
}

int ct_process_group_sum_gradients(ct_process_group group, const ct_tensor *parameters, int n, double scale,
                                   double *values, int n_values) {
  CT_STATUS({
    c10d::ProcessGroupGloo &g = group_of(group);
    if (n_values < 0) throw std::invalid_argument("negative value count");
    if (n_values > 0) required(values, "values");
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> params = ctorch::tensor_list(parameters, n);
    if (params.empty()) throw std::invalid_argument("no parameters to sum the gradients of");
    std::vector<at::Tensor> grads;
    for (auto &p : params) {
      at::Tensor grad = p.grad();
      grads.push_back(grad.defined() ? grad : at::zeros_like(p));
    }
    at::Tensor extra = at::from_blob(values, {n_values}, at::kDouble).to(grads[0].scalar_type());
    std::vector<at::Tensor> pieces;
    pieces.push_back(flattened(grads).mul_(scale));
    pieces.push_back(extra);
    std::vector<at::Tensor> buffer{at::cat(pieces)};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    options.timeout = group->timeout;
    run(group, g.allreduce(buffer, options));
    int64_t total = buffer[0].numel() - n_values;
    unflatten_into(buffer[0].narrow(0, 0, total), grads);
    at::Tensor summed = buffer[0].narrow(0, total, n_values).to(at::kDouble).contiguous();
    std::memcpy(values, summed.data_ptr<double>(), sizeof(double) * n_values);
    for (size_t i = 0; i < params.size(); ++i) {
      if (!params[i].grad().defined()) params[i].mutable_grad() = grads[i];
    }
  })
}

int ct_process_group_broadcast_all(ct_process_group group, const ct_tensor *tensors, int n, int root) {
  CT_STATUS({
    c10d::ProcessGroupGloo &g = group_of(group);
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> targets = ctorch::tensor_list(tensors, n);
    if (targets.empty()) return 0;
    std::vector<at::Tensor> buffer{flattened(targets)};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    options.timeout = group->timeout;
    run(group, g.broadcast(buffer, options));
    unflatten_into(buffer[0], targets);
  })
}

int ct_process_group_barrier(ct_process_group group) {
  CT_STATUS({
    c10d::ProcessGroupGloo &g = group_of(group);
    c10d::BarrierOptions options;
    options.timeout = group->timeout;
    run(group, g.barrier(options));
  })
}

}  // extern "C"

#else  // no Gloo headers: every entry point fails, saying why.

namespace {
[[noreturn]] void no_gloo() {
  throw std::runtime_error("this harlab was built without Gloo's headers (Debian: apt-get install libgloo-dev), "
                           "so it cannot run distributed jobs");
}
}  // namespace

extern "C" {
ct_store ct_store_connect(const char *, int, int, int, const char *, int64_t) { CT_PROTECT(nullptr, { no_gloo(); }) }
void ct_store_free(ct_store) {}
int ct_store_set(ct_store, const char *, const uint8_t *, int64_t) { CT_PROTECT(-1, { no_gloo(); }) }
uint8_t *ct_store_get(ct_store, const char *, int64_t *) { CT_PROTECT(nullptr, { no_gloo(); }) }
int ct_store_add(ct_store, const char *, int64_t, int64_t *) { CT_PROTECT(-1, { no_gloo(); }) }
ct_process_group ct_process_group_new(ct_store, int, int, const char *, const char *, int64_t) { CT_PROTECT(nullptr, { no_gloo(); }) }
void ct_process_group_free(ct_process_group) {}
int ct_process_group_all_reduce_sum(ct_process_group, ct_tensor) { CT_PROTECT(-1, { no_gloo(); }) }
int ct_process_group_broadcast(ct_process_group, ct_tensor, int) { CT_PROTECT(-1, { no_gloo(); }) }
ct_tensor ct_process_group_all_gather(ct_process_group, ct_tensor) { CT_PROTECT(nullptr, { no_gloo(); }) }
int ct_process_group_sum_gradients(ct_process_group, const ct_tensor *, int, double, double *, int) { CT_PROTECT(-1, { no_gloo(); }) }
int ct_process_group_broadcast_all(ct_process_group, const ct_tensor *, int, int) { CT_PROTECT(-1, { no_gloo(); }) }
int ct_process_group_barrier(ct_process_group) { CT_PROTECT(-1, { no_gloo(); }) }
}  // extern "C"

#endif  // CT_HAS_GLOO

extern "C" {

int ct_tensors_checksum(const ct_tensor *tensors, int n, uint64_t *checksum) {
  CT_STATUS({
    required(checksum, "checksum");
    uint64_t hash = 14695981039346656037ULL;
    for (const auto &t : ctorch::tensor_list(tensors, n)) {
      at::Tensor dense = t.detach().contiguous();
      const auto *bytes = static_cast<const unsigned char *>(dense.data_ptr());
      size_t count = dense.numel() * dense.element_size();
      for (size_t i = 0; i < count; ++i) hash = (hash ^ bytes[i]) * 1099511628211ULL;
    }
    *checksum = hash;
  })
}

}  // extern "C"
