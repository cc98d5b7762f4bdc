import { CONVENTIONS, NESTED_SCOPES, ROLES, type How, type Role, type Rule } from './conventions.js';
import { FieldScanner } from './scan-fields.js';
import { parseUnitName } from './duration-unit.js';

/**
 * Finds every role's field in one pass over a record's keys, instead of probing each candidate path:
 * the paths are compiled into a trie keyed by object keys, where "trace.id" becomes both the literal key
 * "trace.id" and the nested path trace → id. Walking follows only keys the trie knows, so the work per
 * record is bounded by the trie's depth and the record's own keys, however deeply the JSON nests.
 */

interface RuleRef {
  role: number;
  priority: number; // lower wins: the order of the table, then scopes
  how: How;
}
interface TrieNode {
  rules: RuleRef[];
  children: Map<string, TrieNode> | undefined;
}

export const ROLE_INDEX: Readonly<Record<Role, number>> = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<Role, number>;

/** Role indices as constants, for the per-record hot path (no lookup by name). Same order as ROLES. */
export const R = {
  traceId: 0, spanId: 1, parentSpanId: 2, correlationId: 3, service: 4, time: 5, level: 6, message: 7,
  operation: 8, method: 9, route: 10, duration: 11, status: 12, error: 13,
} as const satisfies Record<Role, number>;

/**
 * The per-record result: for each role index, the winning value and how to read it. A winner from the
 * field scanner is kept as its index there (`field`) and made into a value only when read.
 */
export class Found {
  readonly value: unknown[] = new Array(ROLES.length);
  /**
   * ≥ 0: the winner's index in `scanner`; ≤ -2: index -2 - field in `inner[role]` (visitInside); -1: `value`.
   * After restore(), the plan's own arrays (read only from then on); a lookup writes into this object's.
   */
  field: Int32Array;
  /** For a winner read by visitInside, its scanner (after restore(), the plan's array, read only). */
  inner: (FieldScanner | undefined)[];
  how: How[];
  readonly priority: number[] = new Array(ROLES.length).fill(Infinity);
  /** The winning rules' priorities: `priority` after a lookup, the plan's after restore() (FieldLookup.pathAt names the rule). */
  winner: readonly number[] = this.priority;
  scanner: FieldScanner | undefined;
  private readonly ownField = new Int32Array(ROLES.length).fill(-1);
  private readonly ownHow: How[] = new Array(ROLES.length);
  private readonly ownInner: (FieldScanner | undefined)[] = new Array<FieldScanner | undefined>(ROLES.length).fill(undefined);
  /** `value` may hold values of a lookup (each winner's, even those read from the scanner). */
  private valuesSet = false;

  constructor() {
    this.field = this.ownField;
    this.how = this.ownHow;
    this.inner = this.ownInner;
  }

  reset(scanner: FieldScanner | undefined): void {
    this.winner = this.priority;
    this.field = this.ownField;
    this.how = this.ownHow;
    this.inner = this.ownInner;
    this.valuesSet = true;
    const p = this.priority;
    const v = this.value;
    for (let i = 0; i < p.length; i++) {
      p[i] = Infinity;
      v[i] = undefined;
      this.field[i] = -1;
    }
    this.scanner = scanner;
  }

  /** The value found for a role (an `R` index). */
  get(role: number): unknown {
    const k = this.field[role]!;
    return k >= 0 ? this.scanner!.value(k) : k === -1 ? this.value[role] : this.inner[role]!.value(-2 - k);
  }

  howOf(role: number): How {
    return this.how[role] ?? 'plain';
  }

  /** The outcome of a lookup over scanned fields, to give again to a line of the same shape. */
  plan(): FoundPlan {
    return { field: this.field.slice(), how: this.how.slice(), inner: this.inner.slice(), priority: this.priority.slice() };
  }


  /**
   * As after the lookup that gave `plan`, over the line `scanner` has just read. The plan's arrays are
   * read where they are, not copied back (lines of a few shapes in turn restore a plan on most lines);
   * nothing writes into them but a lookup, after reset().
   */
  restore(plan: FoundPlan, scanner: FieldScanner): void {
    this.field = plan.field;
    this.how = plan.how;
    this.inner = plan.inner;
    this.winner = plan.priority;
    if (this.valuesSet) {
      this.value.fill(undefined);
      this.valuesSet = false;
    }
    this.scanner = scanner;
  }
}

/** Which scanned field won each role (-1: none), and how it is read. */
export interface FoundPlan {
  readonly field: Int32Array;
  readonly how: How[];
  /** The scanners of winners read by visitInside (the same scanners every line; they hold the current line's object). */
  readonly inner: (FieldScanner | undefined)[];
  readonly priority: readonly number[];
}

/**
 * Accept a candidate value for a role before it can win; e.g. a trace id must be a non-empty string.
 * `loggerShaped`: the record has bunyan's or pino's own keys (see normalize-entry.ts).
 */
export type Acceptor = (role: Role, how: How, value: unknown, loggerShaped: boolean) => boolean;

/** Objects of an array searched for fields (a record's scopes: a few). */
const MAX_ARRAY_OBJECTS = 16;

/** Strings cached by a scanner of the keys inside an object (a few keys: methods, routes, header values). */
const INNER_CACHE_SLOTS = 256;

/**
 * The trie of the conventions alone, built once: every normalizer of a run without --field (the sniff of
 * units, the reading) shares it. Building one costs ~15–20 ms; nothing changes a trie once built.
 */
let conventionsTrie: Trie | undefined;

interface Trie {
  readonly root: Map<string, TrieNode>;
  /** Each rule's path by its priority, to name the field a role was read from. */
  readonly paths: string[];
}

export class FieldLookup {
  private readonly root: Map<string, TrieNode>;
  private readonly paths: string[];
  /** Priorities below this are the --field rules. */
  private readonly overrides: number;

  /** `overrides` (from --field ROLE=PATH) come first for their role. */
  constructor(overrides: readonly Rule[] = [], rules: readonly Rule[] = CONVENTIONS) {
    this.overrides = overrides.length;
    const trie = overrides.length === 0 && rules === CONVENTIONS ? (conventionsTrie ??= buildTrie([], rules)) : buildTrie(overrides, rules);
    this.root = trie.root;
    this.paths = trie.paths;
  }

  /**
   * The top-level keys the walk can follow (a record's other keys never matter to it), each with its
   * trie node: the field scanner hands the node back with the key (see lookupFields).
   */
  rootKeys(): [string, unknown][] {
    return [...this.root.entries()];
  }

  /** The path of the rule with this priority (Found.priority after a lookup of a parsed record). */
  pathAt(priority: number): string | undefined {
    return this.paths[priority];
  }

  /** Is the rule with this priority one the user gave (--field)? */
  isOverride(priority: number): boolean {
    return priority < this.overrides;
  }

  lookup(record: Record<string, unknown>, found: Found, accept: Acceptor, loggerShaped: boolean): void {
    found.reset(undefined);
    this.walk(record, this.root, found, accept, loggerShaped);
  }

  /**
   * The same lookup over the line the field scanner has just read: the keys it leaves out are ones the
   * trie does not know (see rootKeys). The acceptor sees stand-ins for strings and numbers (it looks at
   * nothing but their type and emptiness), so only winners are made into values.
   */
  lookupFields(fields: FieldScanner, found: Found, accept: Acceptor, loggerShaped: boolean): void {
    found.reset(fields);
    for (let k = 0; k < fields.count; k++) {
      const node = fields.tags[k] as TrieNode | undefined; // rootKeys() gave each key its node
      if (node === undefined) continue;
      if (node.children !== undefined && node.rules.length === 0 && this.visitInside(node, fields, k, found, accept, loggerShaped)) continue;
      this.visit(node, fields.standIn(k), k, found, accept, loggerShaped);
    }
  }

  /**
   * visit() of an object that only its keys matter in (no rule takes the object itself: pino's `req`,
   * whose `method`, `url` and `headers` are roles), read by a scanner of the node's child keys instead of
   * being made with JSON.parse and walked: the same keys in the same order, with the same values (made
   * only for the keys the trie knows). False when the value is no object, or a scanner cannot read it
   * exactly (escaped or repeated keys, …): the caller then makes it and walks it.
   */
  private visitInside(node: TrieNode, fields: FieldScanner, k: number, found: Found, accept: Acceptor, loggerShaped: boolean): boolean {
    const from = fields.objectStart(k);
    if (from < 0) return false;
    const inner = this.innerScanner(node);
    if (inner === null || !inner.scan(fields.lineBuffer, from, fields.valueEnd(k))) return false;
    // Stand-ins, as for the line's own keys: only the values that win are made (found.get).
    for (let j = 0; j < inner.count; j++) this.visit(inner.tags[j] as TrieNode, inner.standIn(j), -2 - j, found, accept, loggerShaped, inner);
    return true;
  }

  /**
   * For a line whose wanted objects leave its shape open (FieldScanner.shellShape): the key of the plan
   * that fits every line alike — the shell's shape and, for each such object, the shape of its insides
   * as visitInside's scanner reads them (read here, for this line: a plan's winners inside are then
   * this line's). Undefined when an object cannot be read so, holds an object or array itself, or is
   * one a rule may take whole (the acceptor may look inside it), or when the line has more than two
   * such objects: only a lookup will do then. With a key, every winner of the lookup is read from a
   * scanner (no object is parsed and walked), so its plan fits every line alike. A number, as a string made and hashed per line cost
   * what the plan saved: the shell's shape (< 256), then per object its place and inner shape (each
   * < 256), 16 bits each — at most 40 bits.
   */
  nestedShapeKey(fields: FieldScanner): number | undefined {
    let key = fields.shellShape;
    let objects = 0;
    for (let k = 0; k < fields.count; k++) {
      if (!fields.isNested(k)) continue;
      if (++objects > 2) return undefined;
      const node = fields.tags[k] as TrieNode | undefined;
      if (node === undefined || node.children === undefined || node.rules.length > 0) return undefined;
      const from = fields.objectStart(k);
      if (from < 0) return undefined;
      const inner = this.innerScanner(node);
      if (inner === null || !inner.scan(fields.lineBuffer, from, fields.valueEnd(k)) || inner.shape < 0) return undefined;
      key = key * 65536 + k * 256 + inner.shape;
    }
    return key;
  }

  /** The scanner visitInside reads the node's object values with, made at its first use (null: its keys cannot be so read). */
  private innerScanner(node: TrieNode): FieldScanner | null {
    let inner = this.inner.get(node);
    if (inner === undefined) {
      // walk() visits an object's keys in JSON.parse's order: that of the text, but for integer-like keys,
      // which come first. With none among the node's keys, the text's order is the same for those it visits.
      const keys = [...node.children!.keys()];
      inner = keys.some((key) => !/^[\x20-\x7e]*$/.test(key) || /^(0|[1-9][0-9]*)$/.test(key)) ? null : new FieldScanner([...node.children!.entries()], INNER_CACHE_SLOTS);
      this.inner.set(node, inner);
    }
    return inner;
  }

  /** A scanner per trie node whose object values visitInside reads (null: its keys cannot be so read). */
  private readonly inner = new Map<TrieNode, FieldScanner | null>();

  private walk(obj: Record<string, unknown>, level: Map<string, TrieNode>, found: Found, accept: Acceptor, loggerShaped: boolean): void {
    for (const key in obj) {
      const node = level.get(key);
      if (node !== undefined) this.visit(node, obj[key], -1, found, accept, loggerShaped);
    }
  }

  /**
   * `field`: the value's index in the field scanner, -1 when `value` is the value itself, or -2 - j for
   * the j-th value read by `inner` (visitInside).
   */
  private visit(node: TrieNode, value: unknown, field: number, found: Found, accept: Acceptor, loggerShaped: boolean, inner?: FieldScanner): void {
    if (value === undefined || value === null) return;
    for (const ref of node.rules) {
      if (ref.priority < found.priority[ref.role]! && accept(ROLES[ref.role]!, ref.how, value, loggerShaped)) {
        found.priority[ref.role] = ref.priority;
        found.value[ref.role] = value;
        found.field[ref.role] = field;
        found.inner[ref.role] = inner;
        found.how[ref.role] = ref.how;
      }
    }
    if (node.children !== undefined && typeof value === 'object') {
      if (!Array.isArray(value)) this.walk(value as Record<string, unknown>, node.children, found, accept, loggerShaped);
      else {
        // An array of objects under a known key (.NET's `Scopes`): each of its first few objects is
        // searched as the object itself would be.
        const n = Math.min(value.length, MAX_ARRAY_OBJECTS);
        for (let i = 0; i < n; i++) {
          const item: unknown = value[i];
          if (item !== null && typeof item === 'object' && !Array.isArray(item)) this.walk(item as Record<string, unknown>, node.children, found, accept, loggerShaped);
        }
      }
    }
  }

}

function buildTrie(overrides: readonly Rule[], rules: readonly Rule[]): Trie {
  const trie: Trie = { root: new Map(), paths: [] };
  let priority = 0;
  for (const rule of overrides) addRule(trie, rule, priority++);
  for (const rule of rules) addRule(trie, rule, priority++);
  for (const scope of NESTED_SCOPES) {
    for (const rule of rules) addRule(trie, { ...rule, path: scope + rule.path }, priority++);
  }
  return trie;
}

/** Every way of cutting a path into keys: "a.b.c" → a.b.c | a.b/c | a/b.c | a/b/c. */
function addRule(trie: Trie, rule: Rule, priority: number): void {
  trie.paths[priority] = rule.path;
  const parts = rule.path.split('.');
  const ref: RuleRef = { role: ROLE_INDEX[rule.role], priority, how: rule.how };
  const place = (level: Map<string, TrieNode>, from: number): void => {
    for (let to = from + 1; to <= parts.length; to++) {
      const key = parts.slice(from, to).join('.');
      let node = level.get(key);
      if (!node) {
        node = { rules: [], children: undefined };
        level.set(key, node);
      }
      if (to === parts.length) {
        if (!node.rules.some((x) => x.role === ref.role && x.priority <= priority)) node.rules.push(ref);
      } else {
        node.children ??= new Map();
        place(node.children, to);
      }
    }
  };
  place(trie.root, 0);
}

/**
 * Parse `--field ROLE=PATH`, or `ROLE=PATH:UNIT` for a duration or time (s, ms, us, ns); throws an Error
 * with a user-facing message on a bad value.
 */
export function parseFieldOverride(spec: string): Rule {
  const eq = spec.indexOf('=');
  const role = spec.slice(0, eq) as Role;
  let path = spec.slice(eq + 1);
  if (eq <= 0 || path.length === 0) throw new Error(`--field wants ROLE=PATH, got '${spec}'`);
  if (!ROLES.includes(role)) throw new Error(`--field: unknown role '${role}' (roles: ${ROLES.join(', ')})`);
  let how: How = 'plain';
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    if (role !== 'duration' && role !== 'time') throw new Error(`--field: a unit (':${path.slice(colon + 1)}') is only for duration and time, got '${spec}'`);
    const unit = parseUnitName(path.slice(colon + 1));
    if (unit === undefined) throw new Error(`--field: unknown unit '${path.slice(colon + 1)}' in '${spec}' (units: s, ms, us, ns)`);
    path = path.slice(0, colon);
    if (path.length === 0) throw new Error(`--field wants ROLE=PATH[:UNIT], got '${spec}'`);
    how = unit;
  }
  return { role, path, how };
}
