#!/usr/bin/env python3
"""Writes the reference-model fixtures for HARKit's model tests (run with the peer venv:
~/peer/bin/python make_model_fixtures.py). The architecture is the reference's
(../shared/bench/peer_pytorch.py ConvNet) with the stage widths as a parameter, so a narrow
copy (width 8: 8-16-32-64) keeps the fixture small while exercising every layer.

Output: sa_w8.pt, a dict of tensors: the model's state_dict under its own names, plus
`input` [4, 1, 20, 5], `eval_logits` (evaluation mode), `train_logits` (training mode,
batch statistics), `input_grad` (d sum(train_logits * weights_out) / d input)."""
import torch, torch.nn as nn


class SpatialAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate = nn.Sequential(nn.Conv2d(1, 1, (3, 1), (1, 1), (1, 0)), nn.Sigmoid())

    def forward(self, x):
        return x * self.gate(x.mean(dim=1, keepdim=True))


class ConvNet(nn.Module):
    def __init__(self, T, C, classes, attention, width=64):
        super().__init__()
        widths, layers = [1, width, width * 2, width * 4, width * 8], []
        for i in range(4):
            layers.append(nn.Conv2d(widths[i], widths[i + 1], (3, 1), (2, 1), (1, 0)))
            if attention:
                layers.append(SpatialAttention())
            layers += [nn.BatchNorm2d(widths[i + 1]), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d((1, C))
        self.head = nn.Linear(widths[-1] * C, classes)

    def forward(self, x):
        x = self.pool(self.body(x))
        return self.head(x.flatten(1))


def main():
    torch.manual_seed(7)
    net = ConvNet(20, 5, 3, attention=True, width=8).double()
    x = torch.randn(4, 1, 20, 5, dtype=torch.float64, requires_grad=True)
    out_weights = torch.randn(4, 3, dtype=torch.float64)
    net.train()
    train_logits = net(x)
    (train_logits * out_weights).sum().backward()
    net.eval()
    with torch.no_grad():
        eval_logits = net(x)
    state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    state.update(input=x.detach(), train_logits=train_logits.detach(), eval_logits=eval_logits,
                 input_grad=x.grad.detach(), out_weights=out_weights)
    torch.save(state, "sa_w8.pt")


if __name__ == "__main__":
    main()
