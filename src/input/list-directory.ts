import { readdirSync, realpathSync, statSync } from 'node:fs';
import { inPodsLayout } from './pod-from-path.js';
import { join } from 'node:path';

/** Entries visited under one directory argument: a bound against a mistaken `tracectl group /`. */
const MAX_ENTRIES = 100_000;
const MAX_DEPTH = 16;

export interface DirectoryListing {
  files: string[];
  /** Folders and entries that could not be read. */
  unreadable: string[];
  /** MAX_ENTRIES were visited and the rest was not. */
  truncated: boolean;
}

/**
 * The files under a directory, recursively and depth first, in a stable order: each folder's entries by
 * name, numbers compared as numbers, and a log's rotated files oldest first, then the log itself —
 * kubelet's `0.log.20250314-092500.gz`, `0.log.20250314-093000`, `0.log`, then `1.log` (the next
 * restart); logrotate's `app.log.2.gz`, `app.log.1`, `app.log`. Links to files are followed, links to
 * folders are not (they can loop).
 */
export function listDirectory(dir: string): DirectoryListing {
  const out: DirectoryListing = { files: [], unreadable: [], truncated: false };
  let visited = 0;
  const visit = (path: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      out.unreadable.push(path);
      return;
    }
    entries.sort((a, b) => byLogOrder(a.name, b.name));
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      if (!inUse(e.name, names)) continue;
      if (out.truncated || ++visited > MAX_ENTRIES) {
        out.truncated = true;
        return;
      }
      const full = join(path, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) visit(full, depth + 1);
      } else if (e.isFile()) out.files.push(full);
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(full).isFile()) out.files.push(full);
        } catch {
          out.unreadable.push(full);
        }
      }
    }
  };
  visit(dir, 0);
  return out;
}

/**
 * Is this file one kubelet counts as a container's log (`isInUse`, pkg/kubelet/logs/container_log_manager.go)?
 * While it compresses a rotated file it writes `X.tmp`, renames it to `X.gz`, then removes `X`: a `.tmp`
 * is never whole, and `X` beside `X.gz` holds the same lines.
 */
function inUse(name: string, names: ReadonlySet<string>): boolean {
  if (KUBELET_TMP.test(name)) return false;
  return !(KUBELET_ROTATED.test(name) && !name.endsWith('.gz') && names.has(`${name}.gz`));
}

const KUBELET_TMP = /\.log\.\d{8}-\d{6}\.tmp$/;
const KUBELET_ROTATED = /^(.*\.log)\.(\d{8})-(\d{6})(?:\.gz)?$/;
const LOGROTATE = /^(.*)\.(\d{1,4})(?:\.gz)?$/;
// Made on first use: ICU's collation data costs ~2.5 MB of resident memory once loaded, in every run.
let natural: Intl.Collator | undefined;

/** A name's log and how many rotations old it is (0: the live file; larger: older). */
function rotation(name: string): [base: string, age: number] {
  const k = KUBELET_ROTATED.exec(name);
  if (k) return [k[1]!, 1e15 - Number(k[2]! + k[3]!)];
  const l = LOGROTATE.exec(name);
  if (l && !/^\d+$/.test(l[1]!)) return [l[1]!, Number(l[2])];
  return [name.endsWith('.gz') ? name.slice(0, -3) : name, 0];
}

/**
 * Is `next` the file written after `path`: the next rotation of the same log in the same folder
 * (kubelet's `0.log.20250314-093000` then `0.log`, logrotate's `app.log.1` then `app.log`)? A line
 * cut into partial pieces may then begin in one and end in the other.
 */
export function isNextRotation(path: string, next: string): boolean {
  const slash = path.lastIndexOf('/');
  if (slash !== next.lastIndexOf('/') || path.slice(0, slash) !== next.slice(0, slash)) return false;
  const [base, age] = rotation(path.slice(slash + 1));
  const [nextBase, nextAge] = rotation(next.slice(slash + 1));
  return base === nextBase && age > nextAge;
}

export function byLogOrder(a: string, b: string): number {
  const [baseA, ageA] = rotation(a);
  const [baseB, ageB] = rotation(b);
  return (natural ??= new Intl.Collator('en', { numeric: true })).compare(baseA, baseB) || ageB - ageA || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The paths without a second name for one file (kubelet's /var/log/containers links point into
 * /var/log/pods): each file once, under the name that places it among its rotated files (the
 * /var/log/pods layout, pod-from-path.ts), else its first. A path that cannot be resolved stays.
 */
export function oncePerFile(paths: readonly string[]): string[] {
  const chosen = new Map<string, number>(); // real path → index in paths of the name kept
  const real: (string | undefined)[] = paths.map((p) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  });
  for (let i = 0; i < paths.length; i++) {
    const r = real[i];
    if (r === undefined) continue;
    const kept = chosen.get(r);
    if (kept === undefined || (!inPodsLayout(paths[kept]!) && inPodsLayout(paths[i]!))) chosen.set(r, i);
  }
  return paths.filter((_, i) => real[i] === undefined || chosen.get(real[i]!) === i);
}

/** Is this path a folder (following links)? False when it cannot be looked at: opening it says why. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
