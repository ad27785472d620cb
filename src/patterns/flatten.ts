import { MAX_NESTING_DEPTH } from './json';
import { withElement, type Membership } from './membership';
import type { Scalar } from './values';

export interface FieldValue {
  readonly value: Scalar;
  readonly membership: Membership;
}

/** The fields of one event that a pattern looks at, by field id. */
export interface EventIndex {
  readonly fields: ReadonlyArray<FieldValue[] | undefined>;
  /** Whether any value sits inside an array element, i.e. array consistency matters at all. */
  readonly constrained: boolean;
}

/** Which flattened names a pattern uses, precomputed so walking an event can skip the rest. */
export interface FieldLayout {
  readonly ids: ReadonlyMap<string, number>;
  /** Every dot-delimited proper prefix of a field name: the paths worth descending into. */
  readonly prefixes: ReadonlySet<string>;
}

export function fieldLayout(names: Iterable<string>): FieldLayout {
  const ids = new Map<string, number>();
  const prefixes = new Set<string>();
  for (const name of names) {
    if (!ids.has(name)) ids.set(name, ids.size);
    for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) prefixes.add(name.slice(0, dot));
  }
  return { ids, prefixes };
}

type Frame =
  | { readonly kind: 'object'; readonly node: object; readonly path: string; readonly root: boolean; readonly depth: number; readonly membership: Membership }
  | { readonly kind: 'array'; readonly node: readonly unknown[]; readonly path: string; readonly depth: number; readonly membership: Membership }
  | { readonly kind: 'leave'; readonly node: object };

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Flattens an event the way event-ruler's Event class does: names are the dot-joined keys, array
 * elements add no name step but record their position, and empty objects or arrays yield no field
 * at all (so they count as absent). Only paths leading to a pattern's fields are visited. Walks
 * with an explicit stack so deep nesting cannot overflow the call stack.
 *
 * Returns null for what EventBridge could not have parsed: a non-object event, nesting deeper than
 * Jackson's limit along a visited path, or (from in-process callers) a cycle.
 */
export function indexEvent(event: unknown, layout: FieldLayout): EventIndex | null {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return null;
  const fields: Array<FieldValue[] | undefined> = new Array<FieldValue[] | undefined>(layout.ids.size);
  const onPath = new Set<object>();
  const stack: Frame[] = [{ kind: 'object', node: event, path: '', root: true, depth: 1, membership: null }];
  let arrays = 0;
  let constrained = false;

  const record = (path: string, value: Scalar, membership: Membership): void => {
    const id = layout.ids.get(path);
    if (id === undefined) return;
    (fields[id] ??= []).push({ value, membership });
    if (membership !== null) constrained = true;
  };

  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.kind === 'leave') {
      onPath.delete(frame.node);
      continue;
    }
    if (frame.depth > MAX_NESTING_DEPTH || onPath.has(frame.node)) return null;
    onPath.add(frame.node);
    stack.push({ kind: 'leave', node: frame.node });
    const { depth, membership } = frame;
    if (frame.kind === 'object') {
      const node = frame.node as Record<string, unknown>;
      // Object.keys: own keys only, so "__proto__" or "constructor" in JSON are plain data here.
      for (const key of Object.keys(node)) {
        const value = node[key];
        const path = frame.root ? key : `${frame.path}.${key}`;
        if (isScalar(value)) record(path, value, membership);
        else if (Array.isArray(value)) {
          if (layout.ids.has(path) || layout.prefixes.has(path)) stack.push({ kind: 'array', node: value, path, depth: depth + 1, membership });
        } else if (typeof value === 'object' && value !== null && layout.prefixes.has(path)) {
          stack.push({ kind: 'object', node: value, path, root: false, depth: depth + 1, membership });
        }
      }
    } else {
      const arrayId = arrays++;
      const { node, path } = frame;
      for (let index = 0; index < node.length; index++) {
        const value = node[index];
        // A scalar element belongs to the array's own field and carries no position: only
        // objects and arrays inside it are told apart, exactly as in event-ruler.
        if (isScalar(value)) record(path, value, membership);
        else if (Array.isArray(value)) {
          stack.push({ kind: 'array', node: value, path, depth: depth + 1, membership: withElement(membership, arrayId, index) });
        } else if (typeof value === 'object' && value !== null && layout.prefixes.has(path)) {
          stack.push({ kind: 'object', node: value, path, root: false, depth: depth + 1, membership: withElement(membership, arrayId, index) });
        }
      }
    }
  }
  return { fields, constrained };
}
