"""The GEMM/convolution ceiling of one `sa` training step: times, with libtorch 1.13 (Debian's python3-torch, the
libtorch harlab links) on 1 thread, a square float32 matmul and each of the stem's four (3,1)/stride-(2,1)
convolutions at the step's sizes alone (forward, then backward to input and weight), float32 and bfloat16, and prints
their GFLOP/s and the step's convolution FLOPs. Divide the step's FLOPs by a measured step time (har-bench) for the
fraction of the ceiling the step reaches.

Run: /usr/bin/python3 scripts/conv_ceiling.py --time 125 --channels 45 --batch 128
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
    a = p.parse_args()
    torch.set_num_threads(1)
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


if __name__ == "__main__":
    main()
