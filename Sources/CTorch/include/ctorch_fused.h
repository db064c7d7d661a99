/* CTorch fused blocks: custom autograd functions whose forward and backward passes each read the large activations
 * as few times as the maths allows (ctorch_fused.cpp). Plain C; part of the CTorch umbrella header. */
#ifndef CTORCH_FUSED_H
#define CTORCH_FUSED_H

#include "CTorch.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The spatial-attention block of the `sa` stem in one autograd node:
 *   m = mean of x [B, F, T, C] over F;  s = sigmoid(conv (3,1) padding (1,0) of m);  y = x * s;
 *   z = batch_norm(y) (batch statistics and a running-statistics update in training, the running statistics in
 *   evaluation);  out = relu(z).
 * Three passes over x forward and two backward (the unfused ops take six and more). x is float32, float64 or
 * bfloat16 (computed in float, as autocast's bfloat16 batch norm); out has x's type, the gate [B, 1, T, C] has the
 * compute type (float64 for float64, else float32) and carries no gradient. Gradients reach x, the gate convolution's
 * weight [1, 1, 3, 1] and bias [1], and the batch norm's weight and bias [F], in each one's own type.
 * running_mean/running_var may be NULL in training only. Writes out and gate; returns 0, or -1 with the error set
 * and nothing written.
 */
int ct_fused_spatial_attention(ct_tensor x, ct_tensor gate_weight, ct_tensor gate_bias, ct_tensor norm_weight,
                               ct_tensor norm_bias, ct_tensor running_mean, ct_tensor running_var, int training,
                               double momentum, double eps, ct_tensor *out, ct_tensor *gate);

#ifdef __cplusplus
}
#endif

#endif /* CTORCH_FUSED_H */
