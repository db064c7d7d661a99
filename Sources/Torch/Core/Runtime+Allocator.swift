import CTorch

extension Runtime {
    /// Whether the shim raised glibc's mmap and trim thresholds when it loaded (32 MiB, 256 MiB), so a batch-1
    /// forward reuses its activation buffers from the heap instead of mapping, faulting in and unmapping them on
    /// every call (`ctorch_inference.cpp`); false when the environment opted out with `HARLAB_MALLOC_DEFAULTS` or
    /// set glibc's `MALLOC_MMAP_THRESHOLD_` / `MALLOC_TRIM_THRESHOLD_` itself.
    public static var allocatorTuned: Bool { ct_runtime_allocator_tuned() == 1 }
}
