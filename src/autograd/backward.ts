/**
 * Reverse-mode differentiation. The graph is walked iteratively (a JavaScript stack would overflow
 * on long chains), gradients are summed per tensor, leaves accumulate into `.grad`, and the graph is
 * released afterwards so training steps do not keep each other alive.
 */
import { allocate } from '../tensor/dtype';
import { formatShape, sameShape } from '../tensor/shape';
import { addInto } from '../tensor/kernels/elementwise';
import { isAnomalyDetectionEnabled, noGrad } from './gradMode';
import { Tensor, type GradNode } from './tensor';

/** Options of `backward`. */
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (like `retain_graph=True`). */
  readonly retainGraph?: boolean;
}

/** Tensors reachable from `root` through recorded ops, inputs before the ops that use them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    const inputs = t.gradNode === null ? [] : t.gradNode.inputs;
    if (next < inputs.length) {
      top[1] = next + 1;
      const child = inputs[next];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

function copyOf(t: Tensor): Tensor {
  const data = allocate(t.dtype, t.size);
  data.set(t.data);
  return new Tensor(data, t.shape);
}

function sumOf(a: Tensor, b: Tensor): Tensor {
  const out = copyOf(a);
  addInto(out.data, b.data);
  return out;
}

/** One released node per op name, shared by every tensor whose graph was used and released. */
const releasedNodes = new Map<string, GradNode>();

function releasedNode(op: string): GradNode {
  let node = releasedNodes.get(op);
  if (node === undefined) {
    node = {
      op,
      inputs: [],
      backward: () => {
        throw new Error(
          `backward: the graph through '${op}' was already used and released; ` +
            'pass {retainGraph: true} to the first backward() to go through it twice',
        );
      },
    };
    releasedNodes.set(op, node);
  }
  return node;
}

/** Computes d(root)/d(leaf) for every leaf that requires grad, accumulating into `leaf.grad`. */
export function backward(root: Tensor, gradient?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require grad and has no graph (did an input set requiresGrad?)');
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: a gradient can be created implicitly only for a one-element output, got shape ${formatShape(root.shape)}; ` +
          'pass a gradient of the same shape, e.g. y.backward(onesLike(y))',
      );
    }
    const ones = allocate(root.dtype, 1);
    ones[0] = 1;
    seed = new Tensor(ones, root.shape);
  } else {
    if (!sameShape(gradient.shape, root.shape)) {
      throw new RangeError(
        `backward: gradient shape ${formatShape(gradient.shape)} does not match output shape ${formatShape(root.shape)}`,
      );
    }
    if (gradient.dtype !== root.dtype) {
      throw new TypeError(`backward: gradient dtype ${gradient.dtype} does not match output dtype ${root.dtype}`);
    }
    seed = gradient;
  }
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>();
  grads.set(root, seed);
  // Sums made here, and the new tensors of backwards that declare `freshGrads`, belong to this walk
  // alone, so only they are summed into in place or kept as a leaf's grad without a copy (other
  // backwards may hand the same tensor to several inputs, or return their own incoming gradient).
  const owned = new Set<Tensor>();
  const anomaly = isAnomalyDetectionEnabled();
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      grads.delete(t);
      if (g === undefined) continue;
      const node = t.gradNode;
      if (node === null || t.retainsGrad) {
        if (t.grad === null) t.grad = owned.has(g) && node === null ? g : copyOf(g);
        else addInto(t.grad.data, g.data);
      }
      if (node === null) continue;
      // g may come back from the backward as an input's gradient (add hands g to both inputs): not
      // ours to write into any more. A g of our own is handed over free: the backward may reuse it.
      const free = owned.delete(g);
      const inputGrads = node.backward(g, free);
      for (let j = 0; j < node.inputs.length; j++) {
        const input = node.inputs[j];
        const gi = inputGrads[j];
        if (!input.requiresGrad || gi === null || gi === undefined) continue;
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(
            `backward: '${node.op}' produced a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        if (anomaly) checkFinite(gi, node.op, j);
        const previous = grads.get(input);
        if (previous === undefined) {
          grads.set(input, gi);
          if (node.freshGrads === true) owned.add(gi);
        } else if (owned.has(previous)) addInto(previous.data, gi.data);
        else {
          const total = sumOf(previous, gi);
          owned.add(total);
          grads.set(input, total);
        }
      }
    }
  });
  if (options.retainGraph !== true) {
    for (const t of order) if (t.gradNode !== null) t.gradNode = releasedNode(t.gradNode.op);
  }
}

function checkFinite(g: Tensor, op: string, index: number): void {
  const d = g.data;
  for (let i = 0; i < d.length; i++) {
    if (Number.isNaN(d[i])) {
      throw new Error(`detectAnomaly: the backward of '${op}' returned NaN in the gradient of its input ${index} (element ${i})`);
    }
  }
}
