/**
 * The `init` namespace (like `torch.nn.init`): in-place initializers that take a seeded generator.
 * Exported from the package as `init`, so `init.zeros(w)` never clashes with the creation `zeros([2, 3])`.
 */
export { uniform, normal, constant, zeros, ones, type InitOptions } from './basic';
export { xavierUniform, xavierNormal, type XavierOptions } from './xavier';
export { kaimingUniform, kaimingNormal, kaimingStd, type KaimingOptions, type KaimingStdOptions } from './kaiming';
export { orthogonal, type OrthogonalOptions } from './orthogonal';
export { calculateFans, calculateGain, type FanMode, type Nonlinearity } from './fans';
