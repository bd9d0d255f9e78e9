import type { GraphClient } from '../destinations/meta/client.ts';

/**
 * A Graph client that behaves like `real` except for the methods given, which
 * tests use to lose an answer after Meta acted, or to refuse a batch.
 */
export function overrideClient(real: GraphClient, overrides: Partial<Pick<GraphClient, 'addUsers' | 'removeUsers' | 'replaceUsers' | 'createCustomAudience'>>): GraphClient {
  return new Proxy(real, {
    get(target, property, receiver) {
      const override = (overrides as Record<PropertyKey, unknown>)[property];
      if (override) return override;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
