/*
 * CTorch: a narrow C ABI over libtorch for harlab's Swift layer.
 *
 * Conventions
 * - Tensors are opaque handles (`ct_tensor`); each handle returned by a
 *   function is new and owned by the caller, who frees it with
 *   `ct_tensor_free`.
 * - No C++ exception crosses this boundary: every entry point runs its body
 *   inside one catch-all (CT_PROTECT). A failing call stores libtorch's
 *   message in a thread-local slot and returns a sentinel: NULL for handles
 *   and pointers, -1 for status codes and queries (functions returning void
 *   only free, and cannot fail). `ct_error_take` hands the message over (or NULL).
 * - A NULL handle, or a NULL pointer where the call needs one (an
 *   out-parameter, a path, an array of n > 0 values), is such a failure.
 * - Out-parameters are written only when the call succeeds.
 * - Families: `ct_tensor_*` tensors, `ct_nn_*` fused layer kernels,
 *   `ct_autograd_*`, `ct_autocast_*`, `ct_state_*` serialisation, and
 *   process-wide settings (`ct_manual_seed`, `ct_set_num_threads`, ...).
 */
#ifndef CTORCH_H
#define CTORCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tensor_opaque *ct_tensor;

/* ---- errors ---------------------------------------------------------- */

/** The message of the last failed call on this thread, malloc'd (caller frees with free()), or NULL. Clears it. */
char *ct_error_take(void);

/* ---- enumerations ---------------------------------------------------- */

typedef enum {
  CT_FLOAT32 = 0, CT_FLOAT64 = 1, CT_INT64 = 2, CT_INT32 = 3,
  CT_BOOL = 4, CT_BFLOAT16 = 5, CT_FLOAT16 = 6, CT_UINT8 = 7
} ct_dtype;

typedef enum {
  CT_RELU = 0, CT_GELU, CT_SIGMOID, CT_TANH, CT_EXP, CT_LOG, CT_NEG, CT_ABS,
  CT_SQRT, CT_RSQRT, CT_SIGN, CT_SQUARE, CT_ISFINITE, CT_FLOOR, CT_ROUND,
  CT_LOGICAL_NOT, CT_SIN, CT_COS, CT_ELU, CT_SILU, CT_ISNAN
} ct_unary_op;

typedef enum {
  CT_ADD = 0, CT_SUB, CT_MUL, CT_DIV, CT_POW, CT_MAXIMUM, CT_MINIMUM,
  CT_EQ, CT_NE, CT_LT, CT_LE, CT_GT, CT_GE, CT_MATMUL, CT_BMM,
  CT_LOGICAL_AND, CT_LOGICAL_OR, CT_REMAINDER
} ct_binary_op;

typedef enum {
  CT_SUM = 0, CT_MEAN, CT_MAX, CT_MIN, CT_ARGMAX, CT_ARGMIN, CT_VAR, CT_STD,
  CT_LOGSUMEXP, CT_PROD, CT_ALL, CT_ANY, CT_NORM
} ct_reduce_op;

typedef enum {
  CT_REDUCTION_NONE = 0, CT_REDUCTION_MEAN = 1, CT_REDUCTION_SUM = 2
} ct_reduction;

/* ---- creation, copies, queries --------------------------------------- */

/** A new tensor holding a copy of `bytes` of `data`, read as `dtype` with the given shape. */
ct_tensor ct_tensor_from_blob(const void *data, const int64_t *shape, int ndim, ct_dtype dtype);
/** zeros (fill 0), ones (fill 1) or any constant. */
ct_tensor ct_tensor_full(const int64_t *shape, int ndim, double value, ct_dtype dtype);
ct_tensor ct_tensor_randn(const int64_t *shape, int ndim, ct_dtype dtype);
ct_tensor ct_tensor_rand(const int64_t *shape, int ndim, ct_dtype dtype);
ct_tensor ct_tensor_randint(int64_t low, int64_t high, const int64_t *shape, int ndim);
ct_tensor ct_tensor_randperm(int64_t n);
ct_tensor ct_tensor_arange(double start, double end, double step, ct_dtype dtype);
/** Bernoulli draws with per-element probabilities `p`. */
ct_tensor ct_tensor_bernoulli(ct_tensor p);
/** Fills `t` in place with U(low, high) or N(mean, std) draws (parameter initialisation). */
int ct_tensor_uniform_(ct_tensor t, double low, double high);
int ct_tensor_normal_(ct_tensor t, double mean, double std);

/** Copies the tensor's elements (made contiguous, on CPU, converted to `dtype`) into `out` of `bytes` bytes. */
int ct_tensor_copy_to(ct_tensor t, void *out, size_t bytes, ct_dtype dtype);
/** Frees a handle (NULL is a no-op). */
void ct_tensor_free(ct_tensor t);
/** A new handle to the same storage (shared, like Python's `b = a`). */
ct_tensor ct_tensor_alias(ct_tensor t);

int ct_tensor_ndim(ct_tensor t);
/** Writes the ndim sizes (strides) into `out`, which has room for `cap`; returns ndim. A `cap` below ndim
 *  is an error (-1), nothing written: ask `ct_tensor_ndim` first. */
int ct_tensor_shape(ct_tensor t, int64_t *out, int cap);
int ct_tensor_strides(ct_tensor t, int64_t *out, int cap);
/** The ct_dtype code, or -1 with an error naming a dtype CTorch does not support. */
int ct_tensor_dtype(ct_tensor t);
int64_t ct_tensor_numel(ct_tensor t);
/** 0 CPU, 1 CUDA; the device index goes to `index` (may be NULL). */
int ct_tensor_device(ct_tensor t, int *index);
int ct_tensor_is_contiguous(ct_tensor t);
/** A printable description (libtorch's), malloc'd. */
char *ct_tensor_describe(ct_tensor t);
/** The single value of a one-element tensor as a double. Returns -1 on failure. */
int ct_tensor_item(ct_tensor t, double *out);

/* ---- elementwise and linear algebra ----------------------------------- */

ct_tensor ct_tensor_unary(ct_tensor t, ct_unary_op op);
ct_tensor ct_tensor_binary(ct_tensor a, ct_tensor b, ct_binary_op op);
ct_tensor ct_tensor_binary_scalar(ct_tensor a, double s, ct_binary_op op);
/** s OP a (scalar on the left), for non-commutative ops. */
ct_tensor ct_tensor_scalar_binary(double s, ct_tensor a, ct_binary_op op);
ct_tensor ct_tensor_clamp(ct_tensor t, double low, double high);
ct_tensor ct_tensor_where(ct_tensor condition, ct_tensor a, ct_tensor b);
ct_tensor ct_tensor_leaky_relu(ct_tensor t, double slope);

/* In place (used by optimizers under no-grad): a OP= b*alpha, a *= s, ... */
int ct_tensor_add_(ct_tensor a, ct_tensor b, double alpha);
int ct_tensor_mul_scalar_(ct_tensor a, double s);
int ct_tensor_mul_(ct_tensor a, ct_tensor b);
int ct_tensor_addcmul_(ct_tensor a, ct_tensor t1, ct_tensor t2, double value);
int ct_tensor_addcdiv_(ct_tensor a, ct_tensor t1, ct_tensor t2, double value);
int ct_tensor_copy_(ct_tensor dst, ct_tensor src);
int ct_tensor_fill_(ct_tensor t, double value);
int ct_tensor_zero_(ct_tensor t);
/** Makes `t` hold `src`'s data (dtype and device included) while keeping its identity and autograd leaf status,
 *  as Python's `param.data = src` (how modules change dtype or device). */
int ct_tensor_set_data(ct_tensor t, ct_tensor src);

/* ---- reductions -------------------------------------------------------- */

/** Reduces over `dims` (all dimensions when ndims == 0). VAR/STD use the unbiased estimator when `unbiased`. */
ct_tensor ct_tensor_reduce(ct_tensor t, ct_reduce_op op, const int64_t *dims, int ndims, int keepdim, int unbiased);

/* ---- shape and indexing ------------------------------------------------ */

ct_tensor ct_tensor_reshape(ct_tensor t, const int64_t *shape, int ndim);
ct_tensor ct_tensor_view(ct_tensor t, const int64_t *shape, int ndim);
ct_tensor ct_tensor_permute(ct_tensor t, const int64_t *dims, int ndim);
ct_tensor ct_tensor_expand(ct_tensor t, const int64_t *shape, int ndim);
ct_tensor ct_tensor_repeat(ct_tensor t, const int64_t *repeats, int ndim);
ct_tensor ct_tensor_transpose(ct_tensor t, int64_t d0, int64_t d1);
ct_tensor ct_tensor_contiguous(ct_tensor t);
/** dim == INT64_MIN squeezes every size-1 dimension. */
ct_tensor ct_tensor_squeeze(ct_tensor t, int64_t dim);
ct_tensor ct_tensor_unsqueeze(ct_tensor t, int64_t dim);
ct_tensor ct_tensor_flatten(ct_tensor t, int64_t start, int64_t end);
ct_tensor ct_tensor_cat(const ct_tensor *ts, int n, int64_t dim);
ct_tensor ct_tensor_stack(const ct_tensor *ts, int n, int64_t dim);
ct_tensor ct_tensor_narrow(ct_tensor t, int64_t dim, int64_t start, int64_t length);
ct_tensor ct_tensor_slice(ct_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step);
ct_tensor ct_tensor_select(ct_tensor t, int64_t dim, int64_t index);
ct_tensor ct_tensor_index_select(ct_tensor t, int64_t dim, ct_tensor index);
ct_tensor ct_tensor_gather(ct_tensor t, int64_t dim, ct_tensor index);
ct_tensor ct_tensor_flip(ct_tensor t, const int64_t *dims, int ndims);
ct_tensor ct_tensor_one_hot(ct_tensor labels, int64_t classes);
ct_tensor ct_tensor_clone(ct_tensor t);
ct_tensor ct_tensor_detach(ct_tensor t);
ct_tensor ct_tensor_to_dtype(ct_tensor t, ct_dtype dtype);
/** device: 0 CPU, 1 CUDA (with `index`). A clear error when this libtorch lacks CUDA. */
ct_tensor ct_tensor_to_device(ct_tensor t, int device, int index);
/** Channels-last (NHWC) memory format for 4-D tensors when `channels_last`, else contiguous. */
ct_tensor ct_tensor_memory_format(ct_tensor t, int channels_last);

/* ---- fused layer kernels ---------------------------------------------- */

/** bias may be NULL. stride/padding/dilation hold 1 (conv1d) or 2 (conv2d) values. */
ct_tensor ct_nn_conv1d(ct_tensor x, ct_tensor w, ct_tensor bias, int64_t stride, int64_t padding, int64_t dilation, int64_t groups);
ct_tensor ct_nn_conv2d(ct_tensor x, ct_tensor w, ct_tensor bias, const int64_t *stride, const int64_t *padding, const int64_t *dilation, int64_t groups);
ct_tensor ct_nn_linear(ct_tensor x, ct_tensor w, ct_tensor bias);
/** kind: 0 max, 1 average. `dims` is 1 or 2; kernel/stride/padding hold `dims` values. */
ct_tensor ct_nn_pool(ct_tensor x, int kind, int dims, const int64_t *kernel, const int64_t *stride, const int64_t *padding);
ct_tensor ct_nn_adaptive_pool(ct_tensor x, int kind, int dims, const int64_t *output);
/** weight, bias, running stats may be NULL. Updates running stats in training mode. */
ct_tensor ct_nn_batch_norm(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean, ct_tensor running_var, int training, double momentum, double eps);
ct_tensor ct_nn_layer_norm(ct_tensor x, const int64_t *normalized_shape, int ndim, ct_tensor weight, ct_tensor bias, double eps);
ct_tensor ct_nn_dropout(ct_tensor x, double p, int training);
ct_tensor ct_nn_softmax(ct_tensor x, int64_t dim);
ct_tensor ct_nn_log_softmax(ct_tensor x, int64_t dim);
/** weight may be NULL; targets are int64 class indices. */
ct_tensor ct_nn_cross_entropy(ct_tensor logits, ct_tensor targets, ct_tensor weight, ct_reduction reduction, double label_smoothing);
ct_tensor ct_nn_mse_loss(ct_tensor a, ct_tensor b, ct_reduction reduction);
/**
 * The fused recurrent kernels. `params` lists, per layer (and direction),
 * w_ih, w_hh, b_ih, b_hh as in PyTorch. `h0` (and `c0` for LSTM) may be NULL
 * for zeros. Outputs go to `out_*` (new handles); out_c is ignored for GRU.
 */
int ct_nn_lstm(ct_tensor x, ct_tensor h0, ct_tensor c0, const ct_tensor *params, int nparams, int64_t layers,
               double dropout, int training, int bidirectional, int batch_first,
               ct_tensor *out_y, ct_tensor *out_h, ct_tensor *out_c);
int ct_nn_gru(ct_tensor x, ct_tensor h0, const ct_tensor *params, int nparams, int64_t layers,
              double dropout, int training, int bidirectional, int batch_first,
              ct_tensor *out_y, ct_tensor *out_h);
/** softmax(q kᵀ / √d + mask) v; mask may be NULL. Writes the attention weights to `out_weights` when not NULL. */
ct_tensor ct_nn_attention(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor mask, double dropout, int training, ct_tensor *out_weights);

/* ---- autograd ---------------------------------------------------------- */

int ct_autograd_set_requires_grad(ct_tensor t, int on);
int ct_autograd_requires_grad(ct_tensor t);
/** The name of the autograd node that made `t` (PyTorch's `t.grad_fn`), malloc'd; empty for a leaf. NULL on failure. */
char *ct_autograd_grad_fn_name(ct_tensor t);
/** Backpropagates from `t` (a scalar unless `grad` is given; grad may be NULL). */
int ct_autograd_backward(ct_tensor t, ct_tensor grad, int retain_graph);
/** Writes the accumulated gradient (a new handle) to `out`, or NULL when there is none. */
int ct_autograd_grad(ct_tensor t, ct_tensor *out);
/** Drops the gradient (sets it undefined, as PyTorch's zero_grad(set_to_none=True)). */
int ct_autograd_clear_grad(ct_tensor t);
/** Sets gradient recording on this thread; returns the previous setting (1 or 0), or -1. */
int ct_autograd_set_enabled(int on);
int ct_autograd_is_enabled(void);
/** Opaque RAII guard for inference mode (no autograd bookkeeping at all); NULL on failure. */
void *ct_inference_mode_enter(void);
/** Ends the inference mode `guard` began and frees it; guards end in reverse order of entry. */
int ct_inference_mode_exit(void *guard);

/* ---- mixed precision --------------------------------------------------- */

/** device: 0 CPU (dtype bfloat16 usually), 1 CUDA (float16). Returns the previous enabled state. */
int ct_autocast_set(int device, int enabled, ct_dtype dtype);
int ct_autocast_enabled(int device);
int ct_autocast_clear_cache(void);
/**
 * 1 when a bfloat16 training conv2d runs as matrix products over the input's kernel-tap columns (ctorch_convolution.h:
 * its weight gradient always, its forward where the product is deep enough; where oneDNN runs AMX kernels, whose
 * convolution backward-weights took 6x the products' time in a DSADS-shape epoch), 0 when it is libtorch's own.
 */
int ct_convolution_as_products(void);
/** Forces that choice for the whole process: 1 products, 0 libtorch's; -1 returns to the CPU's choice. */
void ct_convolution_as_products_force(int as_products);
/**
 * 1 when a float32 training convolution whose output has at most 160 positions per window and whose input channels
 * × taps reach 32 runs as matrix products (forward and weight gradient; where oneDNN runs AVX2 kernels and not
 * AVX-512 ones), 0 when every float32 convolution is libtorch's own.
 */
int ct_float32_convolution_as_products(void);
/** Forces that choice for the whole process: 1 products, 0 libtorch's; -1 returns to the CPU's choice. */
void ct_float32_convolution_as_products_force(int as_products);

/* ---- state serialisation (torch.save / torch.load compatible) --------- */

/** Writes a dict {name: tensor} to `path` in the format Python's torch.load reads. Not atomic by itself. */
int ct_state_save(const char *path, const char *const *names, const ct_tensor *tensors, int n);
/** Serialises the dict into a malloc'd buffer (caller frees) of `*size` bytes. */
void *ct_state_save_buffer(const char *const *names, const ct_tensor *tensors, int n, size_t *size);
/** Opaque result of a load: a dict of tensors read from a zip-format torch.save file (Python's default since 1.6),
 *  including Python's OrderedDict state dicts; nested dicts are flattened with dotted names ("model.0.weight").
 *  A non-tensor entry, or a tensor of a dtype outside ct_dtype (int16, complex, ...), is an error naming it.
 *  Written files open with Python's default torch.load (weights_only). */
typedef struct ct_state_opaque *ct_state;
ct_state ct_state_load(const char *path);
ct_state ct_state_load_buffer(const void *data, size_t size);
int ct_state_count(ct_state s);
/** The i-th name (borrowed; valid until ct_state_free). */
const char *ct_state_name(ct_state s, int i);
/** The i-th tensor (new handle). */
ct_tensor ct_state_tensor(ct_state s, int i);
/** Frees a loaded dict (NULL is a no-op); its names go with it. */
void ct_state_free(ct_state s);

/* ---- process-wide settings -------------------------------------------- */

int ct_manual_seed(uint64_t seed);
/** The CPU generator's state as a uint8 tensor, and its restoration. */
ct_tensor ct_rng_get_state(void);
int ct_rng_set_state(ct_tensor state);
int ct_set_num_threads(int n);
int ct_get_num_threads(void);
int ct_cuda_is_available(void);
int ct_cuda_device_count(void);
/** libtorch's version string (static storage). The queries here return -1 (NULL) only on failure. */
const char *ct_version(void);
/** Whether oneDNN (mkldnn) kernels are available in this libtorch. */
int ct_has_mkldnn(void);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_H */
#include "ctorch_fused.h"
#include "ctorch_distributed.h"
#include "ctorch_recurrent.h"
#include "ctorch_fused_isa.h"
#include "ctorch_syncbn.h"
#include "ctorch_inference.h"
#include "ctorch_allocator.h"
#include "ctorch_cpu_capability.h"
#include "ctorch_denormals.h"
#include "ctorch_parallel.h"
