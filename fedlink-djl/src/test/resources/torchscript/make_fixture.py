# Makes the TorchScript fixtures of fedlink-djl's tests with Debian's python3-torch:
#   apt-get install -y python3-torch && /usr/bin/python3 make_fixture.py
# digits_cnn.pt: a small untrained CNN for 1x8x8 images and 10 classes (seed 0).
# reads_file.pt: a model whose forward reads /etc/hostname with torch.from_file, to show that a
# TorchScript file is code and what the plan worker's sandbox lets it see.
import torch
import torch.nn as nn
import torch.nn.functional as F


class DigitsCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        return self.fc(torch.flatten(x, 1))


class ReadsFile(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        stolen = torch.from_file("/etc/hostname", shared=False, size=1, dtype=torch.uint8)
        return self.fc(x) + stolen.to(torch.float32).sum() * 0.0


torch.manual_seed(0)
torch.jit.script(DigitsCnn()).save("digits_cnn.pt")
torch.manual_seed(0)
torch.jit.script(ReadsFile()).save("reads_file.pt")
print("torch", torch.__version__)
