/*
 * ctorch_recurrent.h: a cheaper LSTM/GRU for inference (no autograd).
 *
 * libtorch 1.13's at::lstm/at::gru multiply the hidden state by W_hh with a
 * GEMM at every time step; OpenBLAS packs the whole W_hh for each such call,
 * which at batch 1 costs several times the arithmetic. This path computes the
 * input projection of all time steps as one GEMM per layer, then per step one
 * GEMV (batch 1) or GEMM for the hidden state plus the gate maths in place on
 * preallocated buffers. Same arithmetic as PyTorch's cells, so the same outputs
 * up to rounding.
 */
#ifndef CTORCH_RECURRENT_H
#define CTORCH_RECURRENT_H

#include <stdint.h>
#include "CTorch.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which recurrent cell: PyTorch's gate orders (LSTM i, f, g, o; GRU r, z, n). */
typedef enum { CT_CELL_LSTM = 0, CT_CELL_GRU = 1 } ct_cell;

/**
 * 1 when ct_nn_recurrent_inference computes this call: evaluation mode (`training` 0), autograd not recording
 * on this thread (no_grad or inference mode), CPU autocast off, one direction, a batched 3-D input of at least
 * one step, and float32 or float64 CPU tensors of one dtype with biases (4 tensors per layer). Else 0
 * (the caller uses ct_nn_lstm/ct_nn_gru), or -1 on a bad handle.
 */
int ct_nn_recurrent_inference_applies(ct_cell cell, ct_tensor x, const ct_tensor *params, int nparams, int64_t layers,
                                      int training, int bidirectional);

/**
 * The stacked unidirectional `cell` in evaluation mode, as ct_nn_lstm/ct_nn_gru compute it (same arguments; `c0`
 * and `out_c` are ignored for GRU). Fails with a message naming the unmet condition when
 * ct_nn_recurrent_inference_applies would say 0.
 */
int ct_nn_recurrent_inference(ct_cell cell, ct_tensor x, ct_tensor h0, ct_tensor c0, const ct_tensor *params,
                              int nparams, int64_t layers, int batch_first, ct_tensor *out_y, ct_tensor *out_h,
                              ct_tensor *out_c);

/**
 * How many weights ct_nn_recurrent_inference holds transposed between calls (each layer's W_ih, and its W_hh at
 * batches above 1, as
 * ordinary tensors made once and remade when the weight changes; a weight's entry goes at the first cache miss
 * after the weight is freed). For tests of that cache.
 */
int64_t ct_recurrent_inference_cached_weights(void);

/**
 * 1 when the recurrent layers' float32 matrix products (the LSTM training path's and this inference path's) run on
 * oneDNN's sgemm, 0 when on ATen's `mm`: a build against Debian's libtorch with oneDNN's header installed
 * (`libdnnl-dev`) takes oneDNN's, any other build ATen's.
 */
int ct_recurrent_matmul_onednn(void);

/**
 * Which libraries the LSTM training path's backward dL/dh and weight-gradient products run on (ctorch_gemm.h,
 * BackwardGemmPolicy): 1 all on oneDNN's sgemm (where it runs AVX-512 kernels without AMX), 3 all on oneDNN with the
 * weight gradients computed as their transposes (where oneDNN runs AMX), 2 by measurement on AVX2 (weight gradients
 * on ATen, dL/dh on oneDNN except at hidden sizes that are multiples of 512, which take ATen), 0 all on ATen's `mm`
 * (a build without oneDNN, or forced).
 */
int ct_recurrent_backward_matmul_policy(void);

/** Forces the policy numbered as above (0–3) for the whole process; any other number returns to the CPU's choice. */
void ct_recurrent_backward_matmul_force(int policy);

/**
 * How the inference path multiplies the hidden state by W_hh at batch 1 in float32 (ctorch_gemm.h, BatchOneProduct):
 * 0 the shim's one-pass product, its row order alternating step to step (ctorch::fused::add_matrix_vector); 1
 * oneDNN's sgemm by blocks of W_hh's rows in alternating order (where oneDNN runs AVX-512 kernels).
 */
int ct_recurrent_batch_one_product(void);

/** Forces the product numbered as above (0 or 1) for the whole process; any other number returns to the CPU's
 * choice. */
void ct_recurrent_batch_one_product_force(int product);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_RECURRENT_H */
