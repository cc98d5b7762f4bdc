import type { PodPlace } from './pod-from-path.js';
import type { Micros } from '../core/time.js';
import { parseIsoTime } from '../core/parse-time.js';

/** What an envelope (kubectl prefix, Docker json-file, CRI, stern) said about a line before its JSON. */
export interface EnvelopeInfo {
  kinds: string[]; // e.g. ['kubectl-prefix', 'kubectl-timestamps'], outermost first
  pod?: string;
  container?: string;
  namespace?: string; // from a kubelet log file's path
  stream?: string; // stdout / stderr
  time?: Micros; // the envelope's own timestamp (kubectl --timestamps, docker, CRI)
}

/**
 * Container runtimes and log tools wrap each line before the JSON the program wrote. The wrappers are
 * detected per line (a stream from `kubectl logs --prefix` of several pods may mix them) and removed;
 * what they say (pod, container, stream, time) is kept on the entry.
 *
 *   [pod/api-7d4b9c6f5-x2x9k/api] {"msg":…}                 kubectl logs --prefix
 *   2024-05-01T10:00:00.123456789Z {"msg":…}                  kubectl logs --timestamps
 *   [pod/api-…/api] 2024-05-01T10:00:00.123456789Z {"msg":…}  both
 *   api-7d4b9c6f5-x2x9k api {"msg":…}                         stern's default "POD CONTAINER "
 *   ESC[96mapi-7d4b9c6f5-x2x9kESC[0m ESC[36mapiESC[0m {…}        the same with stern --color always
 *   {"log":"{\"msg\":…}\n","stream":"stdout","time":"…"}      Docker json-file
 *   2024-05-01T10:00:00.123456789Z stdout F {"msg":…}         CRI (containerd, CRI-O)
 */
export type Unwrapped =
  /** `at`: where the payload starts in the line's text when it is the line's own tail, else -1 (joined, Docker). */
  | { kind: 'payload'; payload: string; info: EnvelopeInfo | undefined; at: number }
  /** A CRI 'P' or Docker partial line: its text waits to be joined with the next piece. */
  | { kind: 'partial' }
  /** The last piece of a joined line whose pieces together passed the cap: the line was dropped. */
  | { kind: 'tooLong'; bytes: number };

const KUBECTL_PREFIX = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] /;
// stern's default template "POD CONTAINER MESSAGE"; with --timestamps the message starts with the time.
const STERN_PREFIX = /^([a-z0-9][a-z0-9.-]*) ([a-z0-9][a-z0-9-]*) /;
/**
 * Two lowercase words open many a plain text line too, so a stern prefix is taken before any message only
 * when its first word has the suffix Kubernetes generates for a Deployment's or a DaemonSet's pod (no
 * vowels, no 0, 1, 3: "gateway-7d4b9c8f6-x2x9z"); any other pod name only before a JSON object or a
 * timestamp. The test is on the line alone: where a source may be cut depends on it (continuation.ts).
 */
const STERN_MESSAGE = /^(?:\{|\d{4}-\d{2}-\d{2}T)/;
const GENERATED_POD = /-(?:[bcdfghjklmnpqrstvwxz2456789]{6,10}-)?[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/**
 * The RFC 3339 time before the first space, as kubectl --timestamps and CRI print it (TS_PREFIX's shape),
 * found with char checks: this runs on every line of such a stream.
 */
function timestampPrefix(s: string): { length: number; us: number } | undefined {
  const sp = s.indexOf(' ');
  if (sp < 20 || sp > 40 || s.charCodeAt(4) !== 0x2d || s.charCodeAt(10) !== 0x54 /* T */) return undefined;
  // parseIsoTime validates the whole form (and is char-based for a second it has just seen); the zone must
  // be there, as kubectl and CRI always print one.
  const last = s.charCodeAt(sp - 1);
  if (last !== 0x5a /* Z */ && (last < 0x30 || last > 0x39)) return undefined;
  const t = parseIsoTime(s.slice(0, sp));
  return t ? { length: sp, us: t.us } : undefined;
}

/** "stdout F " / "stderr P ": the CRI stream, or undefined. */
function criStream(s: string): string | undefined {
  if (s.charCodeAt(6) !== 0x20 || s.charCodeAt(8) !== 0x20) return undefined;
  const piece = s.charCodeAt(7);
  if (piece !== 0x46 /* F */ && piece !== 0x50 /* P */) return undefined;
  if (s.startsWith('stdout')) return 'stdout';
  if (s.startsWith('stderr')) return 'stderr';
  return undefined;
}

/** Where `rest`, a tail of `text` (the line, or the line without colour codes), starts in the line; -1 when it is not the line's own tail. */
function tailAt(line: string, text: string, rest: string): number {
  return text === line || line.endsWith(rest) ? line.length - rest.length : -1;
}

const SGR = /\x1b\[[0-9;]*m/y;

/**
 * A line whose first words are coloured, as stern --color always writes its prefix (fatih/color: each
 * word between ESC[<codes>m and a reset), without the colour codes of those words: the prefix is then
 * read as stern's plain one. Words after the first that does not open with a code (the message) are
 * left as they are. Every character kept is a character of the line, in order, so the payload is still
 * the line's own tail.
 */
function withoutColouredWords(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 0x1b) {
    // One coloured word: codes and text up to the space after it (codes stripped).
    while (i < line.length && line.charCodeAt(i) !== 0x20) {
      SGR.lastIndex = i;
      if (line.charCodeAt(i) === 0x1b && SGR.test(line)) {
        i = SGR.lastIndex;
        continue;
      }
      out += line[i++];
    }
    if (i < line.length) out += line[i++]; // the space
  }
  return out + line.slice(i);
}

/**
 * How many lines a partial piece waits for the next piece of its line. containerd and Docker copy each
 * stream of a container from its own goroutine into the one file, so whole lines of the other stream can
 * fall between the pieces of a long line (containerd internal/cri/io/logger.go, moby
 * daemon/logger/copier.go), but only a few: the pieces of one line are written microseconds apart. A
 * piece that waited this many lines is taken as a line of its own, and a source may be cut before a line
 * only when none of the PARTIAL_REACH lines before it is a partial piece (continuation.ts): a reader of
 * the whole source and readers of its chunks join the same pieces.
 */
export const PARTIAL_REACH = 64;

/** The pieces of one stream's unfinished line. */
export interface PendingLine {
  /** The pieces joined so far ('' while they are dropped for being over the cap). */
  text: string;
  /** > 0 while the pieces of a joined line over the cap are being dropped: their bytes so far. */
  dropped: number;
  /** The number of the line of its last piece (given to unwrap). */
  line: number;
  /** The line number from which it waits PARTIAL_REACH lines: its last piece's, or 0 in the next rotated file. */
  since: number;
}

/**
 * One per source (or per rotated files of one container, read in order): CRI and Docker split long lines
 * into partial pieces, and the pieces of one line are in one file in order, but only per stream — the
 * joining state is one unfinished line per stream (and per pod and container, for prefixed lines).
 */
export class EnvelopeReader {
  private readonly partials = new Map<string, PendingLine>();
  private lastPrefix = '';
  private lastPod = '';
  private lastContainer = '';
  private lineNo = 0;

  /**
   * `maxLineBytes` bounds a joined line as the splitter bounds a physical one: without it a stream of
   * 'P' pieces with no 'F' would grow without limit.
   */
  constructor(
    private readonly maxLineBytes = Infinity,
    /** The pod and container the file's path names (pod-from-path.ts), for lines that do not say. */
    private readonly place?: PodPlace,
  ) {}

  /** `lineNo`: the line's number, which a partial piece keeps (PendingLine.line). */
  unwrap(line: string, lineNo = 0): Unwrapped {
    this.lineNo = lineNo;
    const text = line.charCodeAt(0) === 0x1b ? withoutColouredWords(line) : line;
    const c = text.charCodeAt(0);
    // A bare JSON object: a Docker json-file wrapper, or the record itself (no prefix can start with '{').
    if (c === 0x7b /* { */) {
      if (text.startsWith('{"log":')) return this.docker(text);
      return this.whole(text, undefined, tailAt(line, text, text));
    }
    let info: EnvelopeInfo | undefined;
    let rest = text;
    if (c === 0x5b /* [ */) {
      // Lines of one pod repeat its prefix: compare with the last one before running the regex.
      if (this.lastPrefix.length > 0 && text.startsWith(this.lastPrefix)) {
        info = { kinds: ['kubectl-prefix'], pod: this.lastPod, container: this.lastContainer };
        rest = rest.slice(this.lastPrefix.length);
      } else {
        const m = KUBECTL_PREFIX.exec(rest);
        if (m) {
          this.lastPrefix = m[0];
          this.lastPod = m[1]!;
          this.lastContainer = m[2]!;
          info = { kinds: ['kubectl-prefix'], pod: m[1], container: m[2] };
          rest = rest.slice(m[0].length);
        }
      }
    } else if (c >= 0x61 && c <= 0x7a /* a-z */) {
      // stern first, so that "POD CONTAINER <timestamp> …" (stern --timestamps) reads the time below.
      info = this.stern(rest);
      if (info) rest = rest.slice(info.pod!.length + info.container!.length + 2);
    }
    const d = rest.charCodeAt(0);
    if (d >= 0x30 && d <= 0x39) {
      const ts = timestampPrefix(rest);
      if (ts !== undefined) {
        rest = rest.slice(ts.length + 1);
        info ??= { kinds: [] };
        info.time = ts.us;
        const stream = criStream(rest);
        if (stream !== undefined) {
          info.kinds.push('cri');
          info.stream = stream;
          const piece = rest.charCodeAt(7);
          rest = rest.slice(9);
          if (piece === 0x50 /* P */) return this.addPartial(rest, info);
        } else {
          info.kinds.push('kubectl-timestamps');
        }
        if (rest.startsWith('{"log":')) return this.docker(rest, info);
        return this.whole(rest, info, tailAt(line, text, rest));
      }
    }
    if (!info && d >= 0x30 && d <= 0x39) {
      // A pod name may start with a digit (checked here, after the timestamp form had its chance).
      info = this.stern(rest);
      if (info) rest = rest.slice(info.pod!.length + info.container!.length + 2);
    }
    return this.whole(rest, info, tailAt(line, text, rest));
  }

  private stern(text: string): EnvelopeInfo | undefined {
    const m = STERN_PREFIX.exec(text);
    if (m === null || !(GENERATED_POD.test(m[1]!) || STERN_MESSAGE.test(text.slice(m[0].length, m[0].length + 11)))) return undefined;
    return { kinds: ['stern'], pod: m[1], container: m[2] };
  }

  private addPartial(piece: string, info: EnvelopeInfo): Unwrapped {
    const key = streamKey(info);
    const p = this.partials.get(key);
    if (p === undefined) {
      const bytes = this.maxLineBytes === Infinity ? 0 : Buffer.byteLength(piece);
      this.partials.set(key, { text: bytes > this.maxLineBytes ? '' : piece, dropped: bytes > this.maxLineBytes ? bytes : 0, line: this.lineNo, since: this.lineNo });
    } else {
      p.line = p.since = this.lineNo;
      if (p.dropped > 0) p.dropped += Buffer.byteLength(piece);
      else if (this.maxLineBytes !== Infinity && Buffer.byteLength(p.text) + Buffer.byteLength(piece) > this.maxLineBytes) {
        p.dropped = Buffer.byteLength(p.text) + Buffer.byteLength(piece);
        p.text = '';
      } else p.text += piece;
    }
    return { kind: 'partial' };
  }

  /** True while a partial piece waits for the rest of its line. */
  get pending(): boolean {
    return this.partials.size > 0;
  }

  /**
   * The unfinished lines whose last piece came PARTIAL_REACH lines or more before line `lineNo`, or all
   * of them (no `lineNo`: the source ended), in the order of their last pieces; they are no longer held.
   */
  takeUnfinished(lineNo = Infinity): PendingLine[] {
    const out: PendingLine[] = [];
    for (const [key, p] of this.partials) {
      if (lineNo - p.since <= PARTIAL_REACH) continue;
      this.partials.delete(key);
      out.push(p);
    }
    return out.length > 1 ? out.sort((a, b) => a.line - b.line) : out;
  }

  /** The next file is the next rotation of this one: its lines are numbered from 1, and may finish these. */
  nextFile(): void {
    for (const p of this.partials.values()) p.since = 0;
  }

  /** The text of every unfinished line, joined, and forgotten (a piece judged on its own: continuation.ts). */
  flush(): string | undefined {
    let text = '';
    for (const p of this.partials.values()) text += p.text;
    this.partials.clear();
    return text.length > 0 ? text : undefined;
  }

  /** `at`: where `payload` starts in the line's text, or -1 when it is not the line's tail. */
  private whole(payload: string, info: EnvelopeInfo | undefined, at: number): Unwrapped {
    if (this.partials.size > 0) {
      const key = info === undefined ? '' : streamKey(info);
      const p = this.partials.get(key);
      if (p !== undefined) {
        this.partials.delete(key);
        if (p.dropped > 0) return { kind: 'tooLong', bytes: p.dropped + Buffer.byteLength(payload) };
        payload = p.text + payload;
        at = -1;
      }
    }
    if (this.place !== undefined && info?.pod === undefined) {
      info ??= { kinds: [] };
      info.pod = this.place.pod;
      info.container = this.place.container;
      info.namespace = this.place.namespace;
    }
    return { kind: 'payload', payload, info, at };
  }

  private docker(text: string, outer?: EnvelopeInfo): Unwrapped {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return this.whole(text, outer, -1);
    }
    const rec = obj as { log?: unknown; stream?: unknown; time?: unknown };
    if (typeof rec.log !== 'string' || (rec.stream === undefined && rec.time === undefined)) {
      return this.whole(text, outer, -1);
    }
    const info: EnvelopeInfo = outer ?? { kinds: [] };
    info.kinds.push('docker');
    if (typeof rec.stream === 'string') info.stream = rec.stream;
    if (typeof rec.time === 'string') {
      const t = parseIsoTime(rec.time);
      if (t) info.time = t.us;
    }
    // Docker ends each complete line with "\n"; a piece without it is a partial of a longer line.
    if (!rec.log.endsWith('\n')) return this.addPartial(rec.log, info);
    const inner = rec.log.endsWith('\r\n') ? rec.log.slice(0, -2) : rec.log.slice(0, -1);
    return this.whole(inner, info, -1);
  }
}

/** The stream a piece belongs to: the pod and container a prefix names, and stdout or stderr. */
function streamKey(info: EnvelopeInfo): string {
  return info.pod === undefined ? (info.stream ?? '') : `${info.pod}/${info.container ?? ''}/${info.stream ?? ''}`;
}

/**
 * Which log a line's stack trace belongs to: the pod and container its own prefix names (kubectl
 * --prefix, stern), '' for a line without one. Lines of several pods interleave; a stack line joins the
 * last line with its key (continuation.ts). A pod named by the file's path is the same for every line
 * of the source, and so is no key.
 */
export function stackKey(info: EnvelopeInfo | undefined): string {
  if (info === undefined || info.pod === undefined || !(info.kinds[0] === 'kubectl-prefix' || info.kinds[0] === 'stern')) return '';
  // Lines of one pod come in runs: the key is made once per run, not once per line.
  const container = info.container ?? '';
  if (info.pod !== keyPod || container !== keyContainer) {
    keyPod = info.pod;
    keyContainer = container;
    lastKey = `${keyPod}/${keyContainer}`;
  }
  return lastKey;
}
let keyPod = '';
let keyContainer = '';
let lastKey = '';

/**
 * The workload name from a pod name, for a service fallback: Deployment pods are NAME-<rs hash>-<5 chars>,
 * StatefulSet pods NAME-<ordinal>, DaemonSet pods NAME-<5 chars>.
 */
let lastPod = '';
let lastWorkload = '';

export function workloadFromPod(pod: string): string {
  // Consecutive lines come from the same pod: one regex run per pod, not per line.
  if (pod === lastPod) return lastWorkload;
  lastWorkload = workloadOf(pod);
  lastPod = pod;
  return lastWorkload;
}

function workloadOf(pod: string): string {
  // The hash and the suffix use Kubernetes' "safe" alphabet (no vowels, no 0, 1, 3), which keeps
  // words such as "exporter" in "node-exporter-x7k2p" from being read as a ReplicaSet hash.
  const deploy = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/.exec(pod);
  if (deploy) return deploy[1]!;
  const sts = /^(.+)-\d+$/.exec(pod);
  if (sts) return sts[1]!;
  const ds = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5}$/.exec(pod);
  if (ds) return ds[1]!;
  return pod;
}
