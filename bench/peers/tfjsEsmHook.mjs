// Resolve hook for loading tfjs-core's ES-module build under Node: its relative imports omit the
// `.js` extension (written for bundlers), so add it. Used only to load tfjs's own gradient
// registrations, which the CommonJS bundle of tfjs-core leaves out (the @tensorflow/tfjs union
// package would register them).
export async function resolve(specifier, context, nextResolve) {
  const fromTfjs = context.parentURL && context.parentURL.includes('/@tensorflow/tfjs-core/dist/');
  if (fromTfjs && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try {
      return await nextResolve(specifier + '.js', context);
    } catch {
      return nextResolve(specifier + '/index.js', context);
    }
  }
  return nextResolve(specifier, context);
}
