# Predicts classes with a Fedlink model.npz in plain numpy, as a researcher would.
# Usage: python3 predict_npz.py model.npz rows.npz  -> one predicted class per line
import sys

import numpy as np

model = np.load(sys.argv[1])
x = np.load(sys.argv[2])["x"].astype(np.float64)
h = (x - model["norm.mean"].astype(np.float64)) * model["norm.scale"].astype(np.float64)
layer = 0
while f"layer{layer}.weight" in model:
    w = model[f"layer{layer}.weight"].astype(np.float64)
    b = model[f"layer{layer}.bias"].astype(np.float64)
    h = h @ w.T + b
    if f"layer{layer + 1}.weight" in model:
        h = np.maximum(h, 0.0)
    layer += 1
for c in np.argmax(h, axis=1):
    print(int(c))
