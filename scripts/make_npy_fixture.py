#!/usr/bin/env python3
"""Writes Tests/HARKitTests/Fixtures/npy/: a tiny dataset in the Python reference tool's .npy layout, saved by NumPy itself.

x_train: float32 (4, 3, 2) = arange(24) * 0.5; y_train: int64 [0, 1, 2, 1];
x_test: float64 (2, 3, 2) = -arange(12) (the reference writes OPPORTUNITY as float64); y_test: int64 [2, 0].
Run: ~/peer/bin/python scripts/make_npy_fixture.py
"""
import os
import numpy as np

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "HARKitTests", "Fixtures", "npy")
os.makedirs(out, exist_ok=True)
np.save(os.path.join(out, "x_train.npy"), (np.arange(24, dtype=np.float32) * 0.5).reshape(4, 3, 2))
np.save(os.path.join(out, "y_train.npy"), np.array([0, 1, 2, 1], dtype=np.int64))
np.save(os.path.join(out, "x_test.npy"), -np.arange(12, dtype=np.float64).reshape(2, 3, 2))
np.save(os.path.join(out, "y_test.npy"), np.array([2, 0], dtype=np.int64))
