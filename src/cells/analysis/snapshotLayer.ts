import type * as tf from "@tensorflow/tfjs";
import { InputError } from "../errors.ts";
import { probeLayerNames } from "../models/layers.ts";
import { evaluate } from "../training/evaluate.ts";
import { restoreWeights } from "../training/fineTune.ts";
import { cloneModel } from "../training/model.ts";
import type { ProbeSet } from "../training/probe.ts";
import type { Snapshot } from "../training/types.ts";

/** One layer's probe activations at one snapshot: rows × dimension, row-major. */
export interface SnapshotActivations {
  activations: Float32Array;
  dimension: number;
}

/**
 * Activations already read, keyed by the snapshot's own probe activations (stable while the
 * run grows), then by layer. Each new run state re-runs the projection, and this keeps that
 * to one model evaluation per new snapshot.
 */
const readings = new WeakMap<Float32Array, Map<string, SnapshotActivations>>();

/**
 * Reads the probe activations of `layer` at each snapshot of a run. When `layer` is the one the
 * snapshots recorded, they are the snapshot's own. Otherwise they come from a copy of
 * `sourceModel` loaded with the snapshot's weights, conv layers averaged per channel as the
 * snapshots record them. Call `dispose` to free the copy.
 */
export class SnapshotLayer {
  private model: Promise<tf.LayersModel> | undefined;

  constructor(
    readonly layer: string,
    private readonly recorded: string,
    private readonly sourceModel?: tf.LayersModel,
    private readonly probe?: ProbeSet,
  ) {
    if (layer === recorded) return;
    if (!sourceModel || !probe) {
      throw new InputError(`missing model: projecting layer ${JSON.stringify(layer)} needs the source model and the probe set (pass model and probe), or project the recorded layer ${JSON.stringify(recorded)}`, {
        field: "projectionLayer",
        value: layer,
      });
    }
    const names = probeLayerNames(sourceModel);
    if (!names.includes(layer)) {
      throw new InputError(`layer not found: ${JSON.stringify(layer)} in projectionLayer (expected one of ${names.join(", ")})`, { field: "projectionLayer", value: layer });
    }
  }

  async at(snapshot: Snapshot): Promise<SnapshotActivations> {
    if (this.layer === this.recorded) return snapshot.probe;
    let byLayer = readings.get(snapshot.probe.activations);
    if (!byLayer) readings.set(snapshot.probe.activations, (byLayer = new Map()));
    let reading = byLayer.get(this.layer);
    if (!reading) {
      this.model ??= cloneModel(this.sourceModel!);
      const model = await this.model;
      restoreWeights(model, snapshot.weights);
      const { activations, dimension } = await evaluate(model, this.probe!, { probeLayer: this.layer });
      reading = { activations: activations!, dimension: dimension! };
      byLayer.set(this.layer, reading);
    }
    return reading;
  }

  async dispose(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    if (model) (await model).dispose();
  }
}
