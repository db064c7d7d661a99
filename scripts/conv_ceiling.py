"""The GEMM/convolution ceiling of one `sa` training step: times, with libtorch 1.13 (Debian's python3-torch, the
libtorch harlab links) on 1 thread, a square float32 matmul and each of the stem's four (3,1)/stride-(2,1)
convolutions at the step's sizes alone (forward, then backward to input and weight), float32 and bfloat16, and prints
their GFLOP/s and the step's convolution FLOPs. Divide the step's FLOPs by a measured step time (har-bench) for the
fraction of the ceiling the step reaches.

Run: /usr/bin/python3 scripts/conv_ceiling.py --time 125 --channels 45 --batch 128

With --weight-gradient it instead times, per stem layer in bfloat16, the weight gradient alone two ways: libtorch's
convolution backward (oneDNN's backward-weights primitive) and the form harlab uses where oneDNN runs AMX kernels
(Sources/CTorch/ctorch_convolution.cpp): the input's kernel-tap columns, [taps*C, N*OH*W] (copied without padding
the input), and one product of the output gradient as an [O, N*OH*W] matrix with their transpose (the copies that lay
them out included), and checks that both agree.
"""
import argparse
import time

import torch


def best(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--time", type=int, default=125)
    p.add_argument("--channels", type=int, default=45)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--weight-gradient", action="store_true", help="bfloat16 weight gradient: libtorch's against products")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.weight_gradient:
        weight_gradients(a)
        return
    n = 1024
    x, y = torch.randn(n, n), torch.randn(n, n)
    t = best(lambda: torch.mm(x, y), a.reps)
    print(f"matmul {n}x{n}x{n} float32: {2 * n ** 3 / t / 1e9:.1f} GFLOP/s")
    xb, yb = x.bfloat16(), y.bfloat16()
    t = best(lambda: torch.mm(xb, yb), a.reps)
    print(f"matmul {n}x{n}x{n} bfloat16: {2 * n ** 3 / t / 1e9:.1f} GFLOP/s")
    widths, T = [1, 64, 128, 256, 512], a.time
    total_flops = 0.0
    for dtype in (torch.float32, torch.bfloat16):
        total_s, total_flops = 0.0, 0.0
        T = a.time
        for i in range(4):
            conv = torch.nn.Conv2d(widths[i], widths[i + 1], (3, 1), (2, 1), (1, 0)).to(dtype)
            inp = torch.randn(a.batch, widths[i], T, a.channels, dtype=dtype, requires_grad=i > 0)
            out = conv(inp)
            grad = torch.randn_like(out)
            macs = out.numel() * widths[i] * 3
            flops = 2 * macs * (3 if i > 0 else 2)  # forward, weight gradient, input gradient (none for the input)

            def step():
                conv.zero_grad(set_to_none=True)
                conv(inp).backward(grad)

            s = best(step, a.reps)
            total_s, total_flops = total_s + s, total_flops + flops
            print(f"{str(dtype)[6:]} conv {widths[i]}->{widths[i + 1]} at {T}x{a.channels}: {s * 1e3:.1f} ms, "
                  f"{flops / s / 1e9:.1f} GFLOP/s")
            T = out.shape[2]
        print(f"{str(dtype)[6:]} the four convolutions: {total_s * 1e3:.1f} ms per batch of {a.batch}, "
              f"{total_flops / total_s / 1e9:.1f} GFLOP/s, {total_flops / a.batch / 1e9:.3f} GFLOP per window")


def tap_products(grad, x, stride, padding, kernel):
    """The weight gradient as one matrix product with the input's tap columns, laid out as ctorch::convolution_columns
    and ctorch::convolution_weight_gradient do (a (kernel, 1) kernel, stride and padding along the rows only)."""
    o, positions, c = grad.shape[1], grad.shape[0] * grad.shape[2] * grad.shape[3], x.shape[1]
    rows, height = grad.shape[2], x.shape[2]
    g = grad.transpose(0, 1).reshape(o, positions)
    columns = torch.empty(kernel, c, grad.shape[0], rows, grad.shape[3], dtype=x.dtype)
    for k in range(kernel):
        first = 0 if k >= padding else -(-(padding - k) // stride)
        end = min(rows, (height - 1 - (k - padding)) // stride + 1)
        columns[k, :, :, :first].zero_()
        columns[k, :, :, end:].zero_()
        top = first * stride + k - padding
        columns[k, :, :, first:end].copy_(x[:, :, top:top + (end - first - 1) * stride + 1:stride].transpose(0, 1))
    columns = columns.view(kernel * c, positions)
    return g.mm(columns.t()).view(o, kernel, c).permute(0, 2, 1).unsqueeze(3).contiguous()


def weight_gradients(a):
    widths, T = [1, 64, 128, 256, 512], a.time
    totals = [0.0, 0.0]
    for i in range(4):
        x = torch.randn(a.batch, widths[i], T, a.channels).bfloat16()
        w = torch.randn(widths[i + 1], widths[i], 3, 1).bfloat16()
        out = torch.nn.functional.conv2d(x, w, None, (2, 1), (1, 0))
        grad = torch.randn_like(out)
        flops = 2 * out.numel() * widths[i] * 3

        def libtorch():  # the weight gradient alone (output mask: input, weight, bias)
            return torch.ops.aten.convolution_backward(grad, x, w, None, [2, 1], [1, 0], [1, 1], False, [0, 0], 1,
                                                       [False, True, False])[1]

        theirs = best(libtorch, a.reps)
        ours = best(lambda: tap_products(grad, x, 2, 1, 3), a.reps)
        reference = libtorch().float()
        gap = (tap_products(grad, x, 2, 1, 3).float() - reference).abs().max().item() / reference.abs().max().item()
        totals[0], totals[1] = totals[0] + theirs, totals[1] + ours
        print(f"bfloat16 weight gradient {widths[i]}->{widths[i + 1]} at {T}x{a.channels}: libtorch {theirs * 1e3:.1f} ms "
              f"({flops / theirs / 1e9:.0f} GFLOP/s), products {ours * 1e3:.1f} ms ({flops / ours / 1e9:.0f} GFLOP/s), "
              f"{theirs / ours:.2f}x; largest difference {gap:.1e} of the largest value")
        T = out.shape[2]
    print(f"bfloat16 weight gradients of the four layers: libtorch {totals[0] * 1e3:.1f} ms, products "
          f"{totals[1] * 1e3:.1f} ms, {totals[0] / totals[1]:.2f}x ({a.threads} thread(s), batch {a.batch})")


if __name__ == "__main__":
    main()
