// The memory passes of the fused spatial-attention block (see ctorch_fused_kernels.h for the maths), written once
// and compiled once per instruction set: ctorch_fused_kernels_{default,avx2,avx512}.cpp each define CPU_CAPABILITY
// (and CPU_CAPABILITY_AVX2 or CPU_CAPABILITY_AVX512), include ctorch_fused_kernels_prelude.h, switch their target on,
// then include this file. Everything here lives in namespace ctorch::fused::CPU_CAPABILITY (and at::vec's own
// CPU_CAPABILITY namespace), so no inline function is shared between the copies. Include nothing else here: a header
// first included below the target switch would compile its inline functions for that instruction set (see
// ctorch_fused_kernels_prelude.h). No static data with dynamic initialisation either (ATen's Note [Do not compile
// initializers with AVX]): the one table at the end is constant-initialised.
#include <ATen/cpu/vec/functional.h>
#include <ATen/cpu/vec/vec.h>

namespace ctorch {
namespace fused {
namespace CPU_CAPABILITY {
namespace {

using at::vec::Vectorized;

/// How one step of a storage type loads into, and stores from, vectors of the compute type.
template <typename scalar_t> struct Lanes {
  using opmath_t = scalar_t;
  using Vec = Vectorized<opmath_t>;
  static constexpr int64_t kParts = 1;
  static constexpr int64_t kStep = Vec::size();
  static void load(const scalar_t *p, Vec *v) { v[0] = Vec::loadu(p); }
  static void store(scalar_t *p, const Vec *v) { v[0].store(p); }
};

/// bfloat16 is computed in float: one step of bfloat16 lanes is two float vectors.
template <> struct Lanes<c10::BFloat16> {
  using opmath_t = float;
  using Vec = Vectorized<float>;
  static constexpr int64_t kParts = 2;
  static constexpr int64_t kStep = Vectorized<c10::BFloat16>::size();
  // load_fp32_from_bf16 rather than convert_bfloat16_float: the latter returns a std::tuple, whose constructors
  // (declared above the target switch) cannot take AVX vectors.
  static void load(const c10::BFloat16 *p, Vec *v) { at::vec::load_fp32_from_bf16(p, v[0], v[1]); }
  static void store(c10::BFloat16 *p, const Vec *v) { at::vec::convert_float_bfloat16(v[0], v[1]).store(p); }
};

template <typename scalar_t> using opmath = typename Lanes<scalar_t>::opmath_t;

/// The sum of a vector's lanes, in double.
template <typename T> double lane_sum(const Vectorized<T> &v) {
  T lanes[Vectorized<T>::size()];
  v.store(lanes);
  double sum = 0;
  for (int64_t i = 0; i < Vectorized<T>::size(); i++) sum += lanes[i];
  return sum;
}

/// The problem's sizes: B samples, F feature maps of N = T*C elements each.
struct Sizes {
  int64_t batch, features, plane, time, channels;
  Sizes(const at::Tensor &x, int64_t t)
      : batch(x.size(0)), features(x.size(1)), plane(x.size(2) * x.size(3)), time(t), channels(x.size(3)) {}
};

template <typename scalar_t>
void gate_and_plane_statistics_kernel(const at::Tensor &x, const GateConv &conv, int64_t time, at::Tensor &mean_map,
                                      at::Tensor &gate, at::Tensor &plane_mean, at::Tensor &plane_m2) {
  using L = Lanes<scalar_t>;
  using T = opmath<scalar_t>;
  using Vec = typename L::Vec;
  constexpr int64_t W = Vec::size();
  const Sizes n(x, time);
  const scalar_t *xs = x.data_ptr<scalar_t>();
  T *ms = mean_map.data_ptr<T>(), *ss = gate.data_ptr<T>();
  double *pm = plane_mean.defined() ? plane_mean.data_ptr<double>() : nullptr;
  double *pm2 = plane_m2.defined() ? plane_m2.data_ptr<double>() : nullptr;
  const T before = T(conv.before), centre = T(conv.centre), after = T(conv.after), bias = T(conv.bias);
  const int64_t N = n.plane, C = n.channels, vecEnd = N - N % L::kStep;
  ctorch::parallel_for(0, n.batch, 1, [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; b++) {
      const scalar_t *xb = xs + b * n.features * N;
      T *m = ms + b * N, *s = ss + b * N;
      std::fill(m, m + N, T(0));
      for (int64_t f = 0; f < n.features; f++) {
        const scalar_t *xf = xb + f * N;
        Vec v[L::kParts];
        for (int64_t i = 0; i < vecEnd; i += L::kStep) {
          L::load(xf + i, v);
          for (int64_t p = 0; p < L::kParts; p++) (Vec::loadu(m + i + p * W) + v[p]).store(m + i + p * W);
        }
        for (int64_t i = vecEnd; i < N; i++) m[i] += T(xf[i]);
      }
      for (int64_t i = 0; i < N; i++) m[i] /= T(n.features);
      for (int64_t i = 0; i < N; i++) {
        const int64_t t = i / C;
        const T g = bias + centre * m[i] + (t > 0 ? before * m[i - C] : T(0)) + (t + 1 < n.time ? after * m[i + C] : T(0));
        s[i] = T(1) / (T(1) + std::exp(-g));
      }
      if (pm == nullptr) continue;
      // Each plane's mean, then its squared deviations from it: two passes over a plane still in cache.
      for (int64_t f = 0; f < n.features; f++) {
        const scalar_t *xf = xb + f * N;
        Vec sum(T(0)), v[L::kParts];
        T tail = 0;
        for (int64_t i = 0; i < vecEnd; i += L::kStep) {
          L::load(xf + i, v);
          for (int64_t p = 0; p < L::kParts; p++) sum = at::vec::fmadd(v[p], Vec::loadu(s + i + p * W), sum);
        }
        for (int64_t i = vecEnd; i < N; i++) tail += T(xf[i]) * s[i];
        const double mean = (lane_sum(sum) + tail) / double(N);
        const Vec mu(static_cast<T>(mean));
        Vec squares(T(0));
        T tailSquares = 0;
        for (int64_t i = 0; i < vecEnd; i += L::kStep) {
          L::load(xf + i, v);
          for (int64_t p = 0; p < L::kParts; p++) {
            const Vec d = v[p] * Vec::loadu(s + i + p * W) - mu;
            squares = at::vec::fmadd(d, d, squares);
          }
        }
        for (int64_t i = vecEnd; i < N; i++) {
          const T d = T(xf[i]) * s[i] - static_cast<T>(mean);
          tailSquares += d * d;
        }
        pm[b * n.features + f] = mean;
        pm2[b * n.features + f] = lane_sum(squares) + tailSquares;
      }
    }
  });
}

template <typename scalar_t>
void scale_shift_relu_kernel(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, at::Tensor &out) {
  using L = Lanes<scalar_t>;
  using T = opmath<scalar_t>;
  using Vec = typename L::Vec;
  constexpr int64_t W = Vec::size();
  const Sizes n(x, x.size(2));
  const scalar_t *xs = x.data_ptr<scalar_t>();
  scalar_t *os = out.data_ptr<scalar_t>();
  const T *ss = gate.data_ptr<T>(), *scales = affine.scale.data_ptr<T>(), *shifts = affine.shift.data_ptr<T>();
  const int64_t N = n.plane, vecEnd = N - N % L::kStep;
  ctorch::parallel_for(0, n.batch * n.features, 1, [&](int64_t begin, int64_t end) {
    for (int64_t bf = begin; bf < end; bf++) {
      const int64_t f = bf % n.features;
      const scalar_t *xf = xs + bf * N;
      scalar_t *of = os + bf * N;
      const T *s = ss + (bf / n.features) * N;
      const Vec scale(scales[f]), shift(shifts[f]), zero(T(0));
      Vec v[L::kParts];
      for (int64_t i = 0; i < vecEnd; i += L::kStep) {
        L::load(xf + i, v);
        for (int64_t p = 0; p < L::kParts; p++)
          v[p] = at::vec::maximum(at::vec::fmadd(v[p] * Vec::loadu(s + i + p * W), scale, shift), zero);
        L::store(of + i, v);
      }
      for (int64_t i = vecEnd; i < N; i++) of[i] = scalar_t(std::max(T(xf[i]) * s[i] * scales[f] + shifts[f], T(0)));
    }
  });
}

template <typename scalar_t>
void relu_norm_sums_kernel(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, const at::Tensor &mean,
                           const at::Tensor &grad_out, at::Tensor &sum_dz, at::Tensor &sum_dz_centred) {
  using L = Lanes<scalar_t>;
  using T = opmath<scalar_t>;
  using Vec = typename L::Vec;
  constexpr int64_t W = Vec::size();
  const Sizes n(x, x.size(2));
  const scalar_t *xs = x.data_ptr<scalar_t>(), *gs = grad_out.data_ptr<scalar_t>();
  const T *ss = gate.data_ptr<T>(), *scales = affine.scale.data_ptr<T>(), *shifts = affine.shift.data_ptr<T>();
  const T *means = mean.data_ptr<T>();
  double *sdz = sum_dz.data_ptr<double>(), *sdc = sum_dz_centred.data_ptr<double>();
  const int64_t N = n.plane, vecEnd = N - N % L::kStep;
  ctorch::parallel_for(0, n.features, 1, [&](int64_t begin, int64_t end) {
    for (int64_t f = begin; f < end; f++) {
      const Vec scale(scales[f]), shift(shifts[f]), mu(means[f]), zero(T(0));
      double total = 0, centred = 0;
      for (int64_t b = 0; b < n.batch; b++) {
        const int64_t offset = (b * n.features + f) * N;
        const scalar_t *xf = xs + offset, *gf = gs + offset;
        const T *s = ss + b * N;
        Vec dzSum(T(0)), dzCentred(T(0)), v[L::kParts], g[L::kParts];
        for (int64_t i = 0; i < vecEnd; i += L::kStep) {
          L::load(xf + i, v);
          L::load(gf + i, g);
          for (int64_t p = 0; p < L::kParts; p++) {
            const Vec y = v[p] * Vec::loadu(s + i + p * W);
            const Vec dz = Vec::blendv(zero, g[p], at::vec::fmadd(y, scale, shift) > zero);
            dzSum = dzSum + dz;
            dzCentred = at::vec::fmadd(dz, y - mu, dzCentred);
          }
        }
        T tail = 0, tailCentred = 0;
        for (int64_t i = vecEnd; i < N; i++) {
          const T y = T(xf[i]) * s[i];
          const T dz = y * scales[f] + shifts[f] > T(0) ? T(gf[i]) : T(0);
          tail += dz;
          tailCentred += dz * (y - means[f]);
        }
        total += lane_sum(dzSum) + tail;
        centred += lane_sum(dzCentred) + tailCentred;
      }
      sdz[f] = total;
      sdc[f] = centred;
    }
  });
}

template <typename scalar_t>
void input_gradient_kernel(const at::Tensor &x, const at::Tensor &gate, const at::Tensor &mean_map,
                           const Affine &affine, const NormGradient &norm, const GateConv &conv, int64_t time,
                           const at::Tensor &grad_out, at::Tensor &grad_x, at::Tensor &conv_grads) {
  using L = Lanes<scalar_t>;
  using T = opmath<scalar_t>;
  using Vec = typename L::Vec;
  constexpr int64_t W = Vec::size();
  const Sizes n(x, time);
  const scalar_t *xs = x.data_ptr<scalar_t>(), *gs = grad_out.data_ptr<scalar_t>();
  scalar_t *dxs = grad_x.data_ptr<scalar_t>();
  const T *ss = gate.data_ptr<T>(), *ms = mean_map.data_ptr<T>();
  const T *scales = affine.scale.data_ptr<T>(), *shifts = affine.shift.data_ptr<T>();
  const T *as = norm.a.data_ptr<T>(), *bs = norm.b.data_ptr<T>(), *ds = norm.d.data_ptr<T>();
  double *cg = conv_grads.data_ptr<double>();
  const T before = T(conv.before), centre = T(conv.centre), after = T(conv.after);
  const int64_t N = n.plane, C = n.channels, F = n.features, vecEnd = N - N % L::kStep;
  ctorch::parallel_for(0, n.batch, 1, [&](int64_t begin, int64_t end) {
    // dy * s for the sample's F planes (kept in the compute type until dm/dx is added), dL/ds, and dm / F.
    std::vector<T> direct(F * N), gateGrad(N), meanGrad(N);
    for (int64_t b = begin; b < end; b++) {
      const scalar_t *xb = xs + b * F * N, *gb = gs + b * F * N;
      const T *s = ss + b * N, *m = ms + b * N;
      T *dsv = gateGrad.data();
      std::fill(gateGrad.begin(), gateGrad.end(), T(0));
      for (int64_t f = 0; f < F; f++) {
        const scalar_t *xf = xb + f * N, *gf = gb + f * N;
        T *out = direct.data() + f * N;
        const Vec scale(scales[f]), shift(shifts[f]), a(as[f]), bc(bs[f]), d(ds[f]), zero(T(0));
        Vec v[L::kParts], g[L::kParts];
        for (int64_t i = 0; i < vecEnd; i += L::kStep) {
          L::load(xf + i, v);
          L::load(gf + i, g);
          for (int64_t p = 0; p < L::kParts; p++) {
            const int64_t k = i + p * W;
            const Vec sv = Vec::loadu(s + k), y = v[p] * sv;
            const Vec dz = Vec::blendv(zero, g[p], at::vec::fmadd(y, scale, shift) > zero);
            const Vec dy = at::vec::fmadd(a, dz, at::vec::fmadd(bc, y, d));
            (dy * sv).store(out + k);
            at::vec::fmadd(dy, v[p], Vec::loadu(dsv + k)).store(dsv + k);
          }
        }
        for (int64_t i = vecEnd; i < N; i++) {
          const T y = T(xf[i]) * s[i];
          const T dz = y * scales[f] + shifts[f] > T(0) ? T(gf[i]) : T(0);
          const T dy = as[f] * dz + bs[f] * y + ds[f];
          out[i] = dy * s[i];
          dsv[i] += dy * T(xf[i]);
        }
      }
      // Through the sigmoid and the (3,1) gate convolution.
      double dBefore = 0, dCentre = 0, dAfter = 0, dBias = 0;
      for (int64_t i = 0; i < N; i++) dsv[i] *= s[i] * (T(1) - s[i]);
      for (int64_t i = 0; i < N; i++) {
        const int64_t t = i / C;
        const bool first = t == 0, last = t + 1 == n.time;
        dBias += dsv[i];
        dCentre += double(dsv[i]) * m[i];
        if (!first) dBefore += double(dsv[i]) * m[i - C];
        if (!last) dAfter += double(dsv[i]) * m[i + C];
        meanGrad[i] = (centre * dsv[i] + (last ? T(0) : before * dsv[i + C]) + (first ? T(0) : after * dsv[i - C])) / T(F);
      }
      double *cgb = cg + b * 4;
      cgb[0] = dBefore;
      cgb[1] = dCentre;
      cgb[2] = dAfter;
      cgb[3] = dBias;
      // dL/dx = dy * s + dm / F, written once.
      for (int64_t f = 0; f < F; f++) {
        const T *in = direct.data() + f * N;
        scalar_t *dx = dxs + (b * F + f) * N;
        Vec v[L::kParts];
        for (int64_t i = 0; i < vecEnd; i += L::kStep) {
          for (int64_t p = 0; p < L::kParts; p++) v[p] = Vec::loadu(in + i + p * W) + Vec::loadu(meanGrad.data() + i + p * W);
          L::store(dx + i, v);
        }
        for (int64_t i = vecEnd; i < N; i++) dx[i] = scalar_t(in[i] + meanGrad[i]);
      }
    }
  });
}

}  // namespace

/// This instruction set's kernels, each dispatched on the activations' type.
static void gate_and_plane_statistics(const at::Tensor &x, const GateConv &conv, int64_t time, at::Tensor &mean_map,
                                      at::Tensor &gate, at::Tensor &plane_mean, at::Tensor &plane_m2) {
  AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, x.scalar_type(), "fused gate", [&] {
    gate_and_plane_statistics_kernel<scalar_t>(x, conv, time, mean_map, gate, plane_mean, plane_m2);
  });
}

static void scale_shift_relu(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, at::Tensor &out) {
  AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, x.scalar_type(), "fused scale shift relu",
                                 [&] { scale_shift_relu_kernel<scalar_t>(x, gate, affine, out); });
}

static void relu_norm_sums(const at::Tensor &x, const at::Tensor &gate, const Affine &affine, const at::Tensor &mean,
                           const at::Tensor &grad_out, at::Tensor &sum_dz, at::Tensor &sum_dz_centred) {
  AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, x.scalar_type(), "fused relu norm sums", [&] {
    relu_norm_sums_kernel<scalar_t>(x, gate, affine, mean, grad_out, sum_dz, sum_dz_centred);
  });
}

static void input_gradient(const at::Tensor &x, const at::Tensor &gate, const at::Tensor &mean_map,
                           const Affine &affine, const NormGradient &norm, const GateConv &conv, int64_t time,
                           const at::Tensor &grad_out, at::Tensor &grad_x, at::Tensor &conv_grads) {
  AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, x.scalar_type(), "fused input gradient", [&] {
    input_gradient_kernel<scalar_t>(x, gate, mean_map, affine, norm, conv, time, grad_out, grad_x, conv_grads);
  });
}

/// e^v per lane: Sleef's vector exp (at::vec's) where the build links libsleef (Package.swift defines
/// CTORCH_LINKS_SLEEF) or in the baseline copy (whose at::vec calls libm per lane anyway), else libm per lane.
static Vectorized<float> exp_lanes(const Vectorized<float> &v) {
#if CTORCH_LINKS_SLEEF || !(defined(CPU_CAPABILITY_AVX2) || defined(CPU_CAPABILITY_AVX512))
  return v.exp();
#else
  return v.map(std::exp);
#endif
}

/// tanh per lane, by the same rule as `exp_lanes`.
static Vectorized<float> tanh_lanes(const Vectorized<float> &v) {
#if CTORCH_LINKS_SLEEF || !(defined(CPU_CAPABILITY_AVX2) || defined(CPU_CAPABILITY_AVX512))
  return v.tanh();
#else
  return v.map(std::tanh);
#endif
}

/// σ(v) = 1 / (1 + e^(−v)), as ATen's vectorised sigmoid computes it.
static Vectorized<float> sigmoid_lanes(const Vectorized<float> &v) {
  const Vectorized<float> one(1.0f);
  return (one + exp_lanes(Vectorized<float>(0.0f) - v)).reciprocal();
}

static void lstm_cell(float *gates, const float *c_prev, float *c_out, float *h_out, int64_t batch, int64_t hidden) {
  using Vec = Vectorized<float>;
  // Rows split over libtorch's threads once a step holds more than ATen's grain of elements (GRAIN_SIZE, 32768).
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, 4 * hidden));
  ctorch::parallel_for(0, batch, grain, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      float *in = gates + row * 4 * hidden, *forget = in + hidden, *cell = in + 2 * hidden, *out = in + 3 * hidden;
      const float *previous = c_prev + row * hidden;
      float *c = c_out + row * hidden, *h = h_out + row * hidden;
      for (int64_t j = 0; j < hidden; j += Vec::size()) {
        const int64_t lanes = std::min<int64_t>(Vec::size(), hidden - j);
        const Vec i = sigmoid_lanes(Vec::loadu(in + j, lanes)), f = sigmoid_lanes(Vec::loadu(forget + j, lanes));
        const Vec g = tanh_lanes(Vec::loadu(cell + j, lanes)), o = sigmoid_lanes(Vec::loadu(out + j, lanes));
        const Vec next = f * Vec::loadu(previous + j, lanes) + i * g;
        i.store(in + j, lanes);
        f.store(forget + j, lanes);
        g.store(cell + j, lanes);
        o.store(out + j, lanes);
        next.store(c + j, lanes);
        (o * tanh_lanes(next)).store(h + j, lanes);
      }
    }
  });
}

/// The sum of `v`'s lanes (the end of each row of `add_matrix_vector`).
static float lane_sum(const Vectorized<float> &v) {
  return at::vec::vec_reduce_all<float>([](Vectorized<float> a, Vectorized<float> b) { return a + b; }, v);
}

/// y[r] += Σ_k weight[r·columns + k] · x[k] for the `count` rows from `first`, one at a time (the rows left over from
/// `add_row_groups`' groups of four).
static void add_single_rows(const float *weight, const float *x, float *y, int64_t first, int64_t count,
                            int64_t columns) {
  using Vec = Vectorized<float>;
  for (int64_t row = first; row < first + count; ++row) {
    const float *w = weight + row * columns;
    Vec sum(0.0f);
    for (int64_t k = 0; k < columns; k += Vec::size()) {
      const int64_t lanes = std::min<int64_t>(Vec::size(), columns - k);
      sum = at::vec::fmadd(Vec::loadu(w + k, lanes), Vec::loadu(x + k, lanes), sum);
    }
    y[row] += lane_sum(sum);
  }
}

/// y[r] += Σ_k weight[r·columns + k] · x[k] for the four rows from `first`: one pass over x for all four, two
/// accumulators per row so that consecutive multiply-adds do not wait on each other.
static void add_row_group(const float *weight, const float *x, float *y, int64_t first, int64_t columns) {
  using Vec = Vectorized<float>;
  const float *w0 = weight + first * columns, *w1 = w0 + columns, *w2 = w1 + columns, *w3 = w2 + columns;
  Vec a0(0.0f), a1(0.0f), a2(0.0f), a3(0.0f), b0(0.0f), b1(0.0f), b2(0.0f), b3(0.0f);
  int64_t k = 0;
  for (; k + 2 * Vec::size() <= columns; k += 2 * Vec::size()) {
    const Vec x0 = Vec::loadu(x + k), x1 = Vec::loadu(x + k + Vec::size());
    a0 = at::vec::fmadd(Vec::loadu(w0 + k), x0, a0);
    b0 = at::vec::fmadd(Vec::loadu(w0 + k + Vec::size()), x1, b0);
    a1 = at::vec::fmadd(Vec::loadu(w1 + k), x0, a1);
    b1 = at::vec::fmadd(Vec::loadu(w1 + k + Vec::size()), x1, b1);
    a2 = at::vec::fmadd(Vec::loadu(w2 + k), x0, a2);
    b2 = at::vec::fmadd(Vec::loadu(w2 + k + Vec::size()), x1, b2);
    a3 = at::vec::fmadd(Vec::loadu(w3 + k), x0, a3);
    b3 = at::vec::fmadd(Vec::loadu(w3 + k + Vec::size()), x1, b3);
  }
  for (; k < columns; k += Vec::size()) {
    const int64_t lanes = std::min<int64_t>(Vec::size(), columns - k);
    const Vec x0 = Vec::loadu(x + k, lanes);
    a0 = at::vec::fmadd(Vec::loadu(w0 + k, lanes), x0, a0);
    a1 = at::vec::fmadd(Vec::loadu(w1 + k, lanes), x0, a1);
    a2 = at::vec::fmadd(Vec::loadu(w2 + k, lanes), x0, a2);
    a3 = at::vec::fmadd(Vec::loadu(w3 + k, lanes), x0, a3);
  }
  y[first] += lane_sum(a0 + b0);
  y[first + 1] += lane_sum(a1 + b1);
  y[first + 2] += lane_sum(a2 + b2);
  y[first + 3] += lane_sum(a3 + b3);
}

/// `add_matrix_vector` over the rows [begin, end): groups of four rows, then the rest one by one; in `reversed`
/// order, the rest first and the groups from the last.
static void add_row_groups(const float *weight, const float *x, float *y, int64_t begin, int64_t end, int64_t columns,
                           bool reversed) {
  const int64_t groups = (end - begin) / 4, rest = begin + 4 * groups;
  if (reversed) add_single_rows(weight, x, y, rest, end - rest, columns);
  for (int64_t i = 0; i < groups; ++i)
    add_row_group(weight, x, y, begin + 4 * (reversed ? groups - 1 - i : i), columns);
  if (!reversed) add_single_rows(weight, x, y, rest, end - rest, columns);
}

static void add_matrix_vector(const float *weight, const float *x, float *y, int64_t rows, int64_t columns,
                              bool reversed) {
  // Groups of four rows split over libtorch's threads, one contiguous range each, once the weight holds more than
  // ATen's grain of elements (GRAIN_SIZE, 32768) per thread.
  const int64_t groups = (rows + 3) / 4;
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, 4 * columns));
  ctorch::parallel_for(0, groups, grain, [&](int64_t begin, int64_t end) {
    add_row_groups(weight, x, y, 4 * begin, std::min(rows, 4 * end), columns, reversed);
  });
}

static void gru_cell(float *gates, const float *hidden_gates, const float *h_prev, float *h_out, int64_t batch,
                     int64_t hidden) {
  using Vec = Vectorized<float>;
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, 3 * hidden));
  ctorch::parallel_for(0, batch, grain, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      float *reset = gates + row * 3 * hidden, *update = reset + hidden, *candidate = reset + 2 * hidden;
      const float *hidden_reset = hidden_gates + row * 3 * hidden, *hidden_update = hidden_reset + hidden;
      const float *hidden_new = hidden_reset + 2 * hidden, *previous = h_prev + row * hidden;
      float *h = h_out + row * hidden;
      for (int64_t j = 0; j < hidden; j += Vec::size()) {
        const int64_t lanes = std::min<int64_t>(Vec::size(), hidden - j);
        const Vec r = sigmoid_lanes(Vec::loadu(reset + j, lanes) + Vec::loadu(hidden_reset + j, lanes));
        const Vec z = sigmoid_lanes(Vec::loadu(update + j, lanes) + Vec::loadu(hidden_update + j, lanes));
        const Vec n = tanh_lanes(Vec::loadu(candidate + j, lanes) + r * Vec::loadu(hidden_new + j, lanes));
        r.store(reset + j, lanes);
        z.store(update + j, lanes);
        n.store(candidate + j, lanes);
        (n + z * (Vec::loadu(previous + j, lanes) - n)).store(h + j, lanes);
      }
    }
  });
}

static void gru_cell_backward(const float *gates, const float *hidden_gates, const float *h_prev, const float *grad_y,
                              float *dh, float *grad_input_gates, float *grad_hidden_gates, int64_t batch,
                              int64_t hidden) {
  using Vec = Vectorized<float>;
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, 6 * hidden));
  ctorch::parallel_for(0, batch, grain, [&](int64_t begin, int64_t end) {
    const Vec one(1.0f);
    for (int64_t row = begin; row < end; ++row) {
      const float *reset = gates + row * 3 * hidden, *update = reset + hidden, *candidate = reset + 2 * hidden;
      const float *hidden_new = hidden_gates + row * 3 * hidden + 2 * hidden, *previous = h_prev + row * hidden;
      const float *incoming = grad_y ? grad_y + row * hidden : nullptr;
      float *d = dh + row * hidden, *d_input = grad_input_gates + row * 3 * hidden;
      float *d_hidden = grad_hidden_gates + row * 3 * hidden;
      for (int64_t j = 0; j < hidden; j += Vec::size()) {
        const int64_t lanes = std::min<int64_t>(Vec::size(), hidden - j);
        Vec grad = Vec::loadu(d + j, lanes);
        if (incoming) grad = grad + Vec::loadu(incoming + j, lanes);
        const Vec r = Vec::loadu(reset + j, lanes), z = Vec::loadu(update + j, lanes);
        const Vec n = Vec::loadu(candidate + j, lanes);
        // Through h' = n + z·(h − n) and tanh: dL/d(n's argument) = dh·(1 − z)·(1 − n²).
        const Vec d_candidate = grad * (one - z) * (one - n * n);
        // Through σ: dL/d(z's argument) = dh·(h − n)·z·(1 − z); dL/d(r's argument) = that of n's times h·W_hnᵀ + b_hn
        // times r·(1 − r).
        const Vec d_update = grad * (Vec::loadu(previous + j, lanes) - n) * z * (one - z);
        const Vec d_reset = d_candidate * Vec::loadu(hidden_new + j, lanes) * r * (one - r);
        d_reset.store(d_input + j, lanes);
        d_update.store(d_input + hidden + j, lanes);
        d_candidate.store(d_input + 2 * hidden + j, lanes);
        d_reset.store(d_hidden + j, lanes);
        d_update.store(d_hidden + hidden + j, lanes);
        (d_candidate * r).store(d_hidden + 2 * hidden + j, lanes);
        (grad * z).store(d + j, lanes);
      }
    }
  });
}

static void lstm_cell_backward(const float *gates, const float *c_prev, const float *c, const float *grad_y,
                               const float *dh, float *dc, float *grad_gates, int64_t batch, int64_t hidden) {
  using Vec = Vectorized<float>;
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, 8 * hidden));
  ctorch::parallel_for(0, batch, grain, [&](int64_t begin, int64_t end) {
    const Vec one(1.0f);
    for (int64_t row = begin; row < end; ++row) {
      const float *in = gates + row * 4 * hidden, *forget = in + hidden, *cell = in + 2 * hidden, *out = in + 3 * hidden;
      const float *previous = c_prev + row * hidden, *state = c + row * hidden, *carried = dh + row * hidden;
      const float *incoming = grad_y ? grad_y + row * hidden : nullptr;
      float *d_state = dc + row * hidden, *d_in = grad_gates + row * 4 * hidden;
      float *d_forget = d_in + hidden, *d_cell = d_in + 2 * hidden, *d_out = d_in + 3 * hidden;
      for (int64_t j = 0; j < hidden; j += Vec::size()) {
        const int64_t lanes = std::min<int64_t>(Vec::size(), hidden - j);
        Vec grad = Vec::loadu(carried + j, lanes);
        if (incoming) grad = grad + Vec::loadu(incoming + j, lanes);
        const Vec i = Vec::loadu(in + j, lanes), f = Vec::loadu(forget + j, lanes);
        const Vec g = Vec::loadu(cell + j, lanes), o = Vec::loadu(out + j, lanes);
        const Vec tanh_c = tanh_lanes(Vec::loadu(state + j, lanes));
        // Through h = o·tanh(c): dL/dc = dc + dh·o·(1 − tanh²c); dL/d(o's argument) = dh·tanh(c)·o·(1 − o).
        const Vec d_c = Vec::loadu(d_state + j, lanes) + grad * o * (one - tanh_c * tanh_c);
        (grad * tanh_c * o * (one - o)).store(d_out + j, lanes);
        // Through c = f·c_prev + i·g and the activations σ(i), σ(f), tanh(g).
        (d_c * g * i * (one - i)).store(d_in + j, lanes);
        (d_c * Vec::loadu(previous + j, lanes) * f * (one - f)).store(d_forget + j, lanes);
        (d_c * i * (one - g * g)).store(d_cell + j, lanes);
        (d_c * f).store(d_state + j, lanes);
      }
    }
  });
}

/// SplitMix64's output function: its k-th draw from seed s is mix(s + k·γ), γ = 0x9e3779b97f4a7c15.
static inline uint64_t splitmix_output(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Dropout's masked scaling over `n` elements (see `masked_scale` in ctorch_fused_kernels.h). Per block of pairs, one
/// loop computes the block's 64-bit draws into 32-bit halves (a loop of 64-bit multiplies the compiler vectorises) and a
/// second applies them, so the 4 KiB of draws stay in L1 between the two.
template <typename T, typename Compute>
static void masked_scale_kernel(const T *in, T *out, int64_t n, uint64_t seed, uint32_t threshold, Compute scale) {
  constexpr uint64_t gamma = 0x9e3779b97f4a7c15ULL;
  constexpr int64_t block = 512;
  ctorch::parallel_for(0, (n + 1) / 2, 8192, [&](int64_t begin, int64_t end) {
    uint32_t draws[2 * block];
    for (int64_t start = begin; start < end; start += block) {
      const int64_t pairs = std::min(block, end - start);
      for (int64_t j = 0; j < pairs; ++j) {
        const uint64_t bits = splitmix_output(seed + uint64_t(start + j + 1) * gamma);
        draws[2 * j] = uint32_t(bits);
        draws[2 * j + 1] = uint32_t(bits >> 32);
      }
      const int64_t first = 2 * start, count = std::min(2 * pairs, n - first);
      const T *x = in + first;
      T *y = out + first;
      // Every element is loaded and scaled, then selected: a branch on the draw (random, so mispredicted at every
      // p not near 0 or 1) kept the compiler from vectorising this loop and took most of the pass.
      for (int64_t e = 0; e < count; ++e) {
        const Compute scaled = Compute(x[e]) * scale;
        y[e] = T(draws[e] >= threshold ? scaled : Compute(0));
      }
    }
  });
}

static void masked_scale(const at::Tensor &x, at::Tensor &out, uint64_t seed, uint32_t threshold, double scale) {
  AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, x.scalar_type(), "dropout mask", [&] {
    using compute_t = opmath<scalar_t>;
    masked_scale_kernel(x.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), x.numel(), seed, threshold, compute_t(scale));
  });
}

static constexpr Kernels table{gate_and_plane_statistics, scale_shift_relu, relu_norm_sums, input_gradient, lstm_cell,
                               lstm_cell_backward, gru_cell, gru_cell_backward, add_matrix_vector, masked_scale};
extern const Kernels *const kernels = &table;

}  // namespace CPU_CAPABILITY
}  // namespace fused
}  // namespace ctorch
