import { MAX_NESTING_DEPTH } from './json';
import { withElement, type Membership } from './membership';
import type { Scalar } from './values';

/** The fields of one event that a pattern looks at, by field id. */
export interface EventIndex {
  readonly values: ReadonlyArray<Scalar[] | undefined>;
  /** Parallel to `values`; undefined for a field whose values all sit outside array elements. */
  readonly memberships: ReadonlyArray<Membership[] | undefined>;
  /** Whether any value sits inside an array element, i.e. array consistency matters at all. */
  readonly constrained: boolean;
}

/**
 * A pattern's field names as a trie of their dot-separated steps. Walking an event along it
 * visits only paths leading to those fields, and looks up keys JSON.parse already interned
 * instead of building a dotted string per key.
 */
interface TrieNode {
  readonly children: Map<string, TrieNode>;
  fieldId: number;
}

export interface FieldLayout {
  readonly ids: ReadonlyMap<string, number>;
  readonly root: TrieNode;
}

export function fieldLayout(names: Iterable<string>): FieldLayout {
  const ids = new Map<string, number>();
  const root: TrieNode = { children: new Map(), fieldId: -1 };
  for (const name of names) {
    if (ids.has(name)) continue;
    ids.set(name, ids.size);
    let node = root;
    for (const step of name.split('.')) {
      let child = node.children.get(step);
      if (child === undefined) {
        child = { children: new Map(), fieldId: -1 };
        node.children.set(step, child);
      }
      node = child;
    }
    node.fieldId = ids.get(name) as number;
  }
  return { ids, root };
}

// Measurably faster than Object.hasOwn in this hot loop.
const hasOwn = Object.prototype.hasOwnProperty;

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Flattens an event the way event-ruler's Event class does: names are the dot-joined keys (so a
 * key "a.b" is the same field as "b" inside "a"), array elements add no name step but record
 * their position, and empty objects or arrays yield no field at all, so they count as absent.
 *
 * Recursion is bounded by Jackson's nesting limit, which EventBridge enforces on events too.
 */
class Indexer {
  readonly values: Array<Scalar[] | undefined>;
  readonly memberships: Array<Membership[] | undefined>;
  constrained = false;
  /** Set when the event could not have been parsed by EventBridge. */
  unparsable = false;
  private arrays = 0;
  /** Arrays being walked; only arrays can cycle forever, since objects must follow the trie. */
  private openArrays: Set<unknown> | null = null;

  constructor(fieldCount: number) {
    this.values = new Array<Scalar[] | undefined>(fieldCount);
    this.memberships = new Array<Membership[] | undefined>(fieldCount);
  }

  object(node: TrieNode, object: Record<string, unknown>, depth: number, membership: Membership): void {
    if (depth > MAX_NESTING_DEPTH) {
      this.unparsable = true;
      return;
    }
    // for-in skips allocating a key array; the own-key check keeps "__proto__" or "constructor"
    // from JSON plain data and ignores anything enumerable on a (polluted) prototype.
    for (const key in object) {
      if (!hasOwn.call(object, key)) continue;
      const child = node.children.get(key) ?? (key.includes('.') ? dotted(node, key) : undefined);
      if (child !== undefined) this.value(child, object[key], depth, membership);
      if (this.unparsable) return;
    }
  }

  private value(node: TrieNode, value: unknown, depth: number, membership: Membership): void {
    if (isScalar(value)) {
      if (node.fieldId >= 0) this.record(node.fieldId, value, membership);
    } else if (Array.isArray(value)) {
      if (node.fieldId >= 0 || node.children.size > 0) this.array(node, value, depth + 1, membership);
    } else if (typeof value === 'object' && value !== null && node.children.size > 0) {
      this.object(node, value as Record<string, unknown>, depth + 1, membership);
    }
    // undefined, functions, symbols and BigInts cannot come from JSON; they are skipped.
  }

  private array(node: TrieNode, array: readonly unknown[], depth: number, membership: Membership): void {
    if (depth > MAX_NESTING_DEPTH || this.openArrays?.has(array)) {
      this.unparsable = true;
      return;
    }
    this.openArrays ??= new Set();
    this.openArrays.add(array);
    const arrayId = this.arrays++;
    for (let index = 0; index < array.length && !this.unparsable; index++) {
      const element = array[index];
      // A scalar element belongs to the array's own field and carries no position: only
      // objects and arrays inside it are told apart, exactly as in event-ruler.
      this.value(node, element, depth, isScalar(element) ? membership : withElement(membership, arrayId, index));
    }
    this.openArrays.delete(array);
  }

  private record(fieldId: number, value: Scalar, membership: Membership): void {
    this.values[fieldId] ??= [];
    const values = this.values[fieldId];
    let memberships = this.memberships[fieldId];
    if (membership !== null && memberships === undefined) {
      memberships = this.memberships[fieldId] = new Array<Membership>(values.length).fill(null);
      this.constrained = true;
    }
    values.push(value);
    memberships?.push(membership);
  }
}

/** The trie node for an event key holding dots, i.e. several steps at once. */
function dotted(node: TrieNode, key: string): TrieNode | undefined {
  let current: TrieNode | undefined = node;
  for (const step of key.split('.')) {
    current = current.children.get(step);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * The pattern-relevant fields of `event`, or null for what EventBridge could not have parsed: a
 * non-object, nesting deeper than Jackson allows along a visited path, or (from in-process
 * callers) an array containing itself.
 */
export function indexEvent(event: unknown, layout: FieldLayout): EventIndex | null {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return null;
  const indexer = new Indexer(layout.ids.size);
  indexer.object(layout.root, event as Record<string, unknown>, 1, null);
  return indexer.unparsable ? null : indexer;
}
