"""PyTorch versions of every model harlab builds, written from the architecture descriptions in docs/COMMANDS.md,
`help model` and the README (not translated from harlab's Swift sources), so a parity test compares two independent
implementations. State-dict names follow the ones harlab's checkpoints use (`body.0.weight`, `lstm.weight_ih_l0`,
`encoder.0.self_attn.in_proj_weight`, `head.weight`, `position`).

The architectures (input windows [B, 1, T, C], logits [B, K]):

  conv stem (sa, cnn, ca)  `depth` stages; stage s: Conv2d(kernel (3,1), stride (2,1), padding (1,0)) to width·2^s maps,
                           then the stage's attention (sa: spatial, ca: channel, cnn: none), BatchNorm2d, ReLU; all in
                           one nn.Sequential `body`, so T halves (rounding up) per stage and C is untouched.
  spatial attention        gate = sigmoid(conv(mean over feature maps)), conv 1→1 kernel (3,1) padding (1,0) in
                           `gate.0`; output x · gate.
  channel attention        pooled = mean over feature maps and time [B, C]; gate = sigmoid(excite(relu(squeeze(pooled))))
                           with Linear C→max(1, C//4) `squeeze` and Linear →C `excite`; output x · gate per sensor channel.
  resnet stem              `depth` blocks `body.i`: relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)); conv1 (3,1)
                           stride (2,1) padding (1,0), conv2 (3,1) padding (1,0), shortcut = 1×1 conv stride (2,1) + BN,
                           convolutions without bias.
  deepconvlstm             `depth` convolutions of `width` filters, kernel (5,1), no padding, each followed by ReLU
                           (`body.0`, `body.2`, …), then a 2-layer LSTM reader of `hidden` units.
  pooled head (stem alone) average over time → [B, F·C] (feature map major), dropout, Linear `head`.
  recurrent reader         the features as a sequence over time, each step's F·C values (feature map major) one input
                           vector, an LSTM/GRU `lstm`/`gru` (batch first, dropout between layers), the last step's
                           output, dropout, Linear `head`.
  transformer reader       tokens: a stem's time steps (F·C values each), or with no stem patches of `patch` raw time
                           steps × all channels (time major); Linear `embed` to d, plus learned `position` [1, L, d];
                           `layers` post-norm encoder layers `encoder.i` (d, heads, feed-forward 2d, GELU, batch
                           first); LayerNorm `norm`; mean over tokens; Linear `head`.

Defaults as `help model` gives them: stems alone width 64 depth 4; in hybrids width 32 depth 2; lstm/gru alone hidden
512 layers 2, after a stem hidden 128 layers 1; transformer hidden 64 heads 4 layers 2 dropout 0.1, patch T//16 alone;
deepconvlstm width 64 depth 4 hidden 128 layers 2 dropout 0.5.
"""
import torch
import torch.nn as nn

STEMS = {"sa", "cnn", "ca", "resnet"}
READERS = {"lstm", "gru", "transformer"}
ALIASES = {"attn": "sa", "attention": "sa", "spatial": "sa", "channel": "ca", "conv": "cnn"}


class SpatialGate(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate = nn.Sequential(nn.Conv2d(1, 1, (3, 1), padding=(1, 0)), nn.Sigmoid())

    def forward(self, x):
        return x * self.gate(x.mean(dim=1, keepdim=True))


class ChannelGate(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.squeeze = nn.Linear(channels, max(1, channels // 4))
        self.excite = nn.Linear(max(1, channels // 4), channels)

    def forward(self, x):
        weights = torch.sigmoid(self.excite(torch.relu(self.squeeze(x.mean(dim=(1, 2))))))
        return x * weights[:, None, None, :]


def conv_stem(kind, channels, width, depth):
    layers, maps = [], 1
    for stage in range(depth):
        out = width * 2 ** stage
        layers.append(nn.Conv2d(maps, out, (3, 1), stride=(2, 1), padding=(1, 0)))
        if kind == "sa":
            layers.append(SpatialGate())
        elif kind == "ca":
            layers.append(ChannelGate(channels))
        layers += [nn.BatchNorm2d(out), nn.ReLU()]
        maps = out
    return nn.Sequential(*layers), maps


class ResidualBlock(nn.Module):
    def __init__(self, maps_in, maps_out):
        super().__init__()
        self.conv1 = nn.Conv2d(maps_in, maps_out, (3, 1), stride=(2, 1), padding=(1, 0), bias=False)
        self.bn1 = nn.BatchNorm2d(maps_out)
        self.conv2 = nn.Conv2d(maps_out, maps_out, (3, 1), padding=(1, 0), bias=False)
        self.bn2 = nn.BatchNorm2d(maps_out)
        self.shortcut = nn.Sequential(nn.Conv2d(maps_in, maps_out, 1, stride=(2, 1), bias=False), nn.BatchNorm2d(maps_out))

    def forward(self, x):
        return torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))) + self.shortcut(x))


def make_stem(kind, channels, width, depth):
    """A stem `body` and its output feature maps."""
    if kind == "resnet":
        return nn.Sequential(*[ResidualBlock(1 if s == 0 else width * 2 ** (s - 1), width * 2 ** s) for s in range(depth)]), \
            width * 2 ** (depth - 1)
    return conv_stem(kind, channels, width, depth)


def as_sequence(features):
    """[B, F, T, C] → [B, T, F·C], feature map major within a step."""
    b, f, t, c = features.shape
    return features.permute(0, 2, 1, 3).reshape(b, t, f * c)


class HARNet(nn.Module):
    """A stem (or none) and a reader: the pooled head, an LSTM/GRU or a Transformer."""

    def __init__(self, spec, T, C, K, **options):
        super().__init__()
        parts = [ALIASES.get(p, p) for p in spec.split("+")]
        standalone = parts == ["deepconvlstm"]
        stem = parts[0] if parts[0] in STEMS else None
        reader = parts[-1] if parts[-1] in READERS else ("lstm" if standalone else None)
        hybrid = stem is not None and reader is not None
        self.reader = reader
        dropout = options.get("dropout", 0.5 if standalone else 0.1 if reader == "transformer" else 0.0)
        self.dropout = nn.Dropout(dropout)
        maps, steps = 1, T
        if standalone:
            width, depth = options.get("width", 64), options.get("depth", 4)
            convs = []
            for i in range(depth):
                convs += [nn.Conv2d(1 if i == 0 else width, width, (5, 1)), nn.ReLU()]
            self.body = nn.Sequential(*convs)
            maps, steps = width, T - 4 * depth
        elif stem is not None:
            width, depth = options.get("width", 32 if hybrid else 64), options.get("depth", 2 if hybrid else 4)
            self.body, maps = make_stem(stem, C, width, depth)
            for _ in range(depth):
                steps = (steps + 1) // 2
        self.has_stem = standalone or stem is not None
        self.patch = 1
        if reader is None:
            self.head = nn.Linear(maps * C, K)
        elif reader in ("lstm", "gru"):
            alone = not self.has_stem
            hidden = options.get("hidden", 512 if alone else 128)
            layers = options.get("layers", 2 if alone or standalone else 1)
            cell = nn.LSTM if reader == "lstm" else nn.GRU
            setattr(self, reader, cell(maps * C, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0))
            self.head = nn.Linear(hidden, K)
        else:
            if not self.has_stem:
                self.patch = options.get("patch", max(1, T // 16))
            d, heads, layers = options.get("hidden", 64), options.get("heads", 4), options.get("layers", 2)
            tokens = steps // self.patch
            self.position = nn.Parameter(torch.zeros(1, tokens, d))
            self.embed = nn.Linear(self.patch * maps * C, d)
            self.encoder = nn.ModuleList([nn.TransformerEncoderLayer(d, heads, 2 * d, dropout, activation="gelu", batch_first=True)
                                          for _ in range(layers)])
            self.norm = nn.LayerNorm(d)
            self.head = nn.Linear(d, K)

    def forward(self, x):
        features = self.body(x) if self.has_stem else x
        if self.reader is None:
            return self.head(self.dropout(features.mean(dim=2).flatten(1)))
        if self.reader in ("lstm", "gru"):
            output, _ = getattr(self, self.reader)(as_sequence(features))
            return self.head(self.dropout(output[:, -1]))
        if self.patch > 1:
            b, _, t, c = features.shape
            count = t // self.patch
            tokens = features[:, 0, :count * self.patch, :].reshape(b, count, self.patch * c)
        else:
            tokens = as_sequence(features)
        h = self.embed(tokens) + self.position
        for layer in self.encoder:
            h = layer(h)
        return self.head(self.norm(h).mean(dim=1))
