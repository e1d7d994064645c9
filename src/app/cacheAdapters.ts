import * as tf from "@tensorflow/tfjs";
import type { HashAdapter, OutputCodec } from "../runtime/index.ts";

/**
 * Hash adapters for TensorFlow.js values, which the runtime does not know. Tensors are read
 * by dtype, shape and data, and layers models by topology and weights.
 */
export const hashAdapters: HashAdapter[] = [
  {
    test: (value) => value instanceof tf.Tensor,
    describe: async (value) => {
      const tensor = value as tf.Tensor;
      return { dtype: tensor.dtype, shape: tensor.shape, data: await tensor.data() };
    },
  },
  {
    test: (value) => value instanceof tf.LayersModel,
    describe: async (value) => {
      const model = value as tf.LayersModel;
      const weights = await Promise.all(model.getWeights().map((weight) => weight.data()));
      return { topology: JSON.stringify(model.toJSON(undefined, false)), weights };
    },
  },
];

/** Stores tensors as dtype, shape and data; a restored tensor is new, owned by the cell that restored it. */
export const outputCodecs: OutputCodec[] = [
  {
    name: "tf.Tensor",
    test: (value) => value instanceof tf.Tensor,
    encode: async (value) => {
      const tensor = value as tf.Tensor;
      return { dtype: tensor.dtype, shape: tensor.shape, data: await tensor.data() };
    },
    decode: (data) => {
      const { dtype, shape, data: values } = data as { dtype: tf.DataType; shape: number[]; data: tf.TypedArray };
      return tf.tensor(values, shape, dtype);
    },
  },
];
