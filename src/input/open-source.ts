import { constants, openSync } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { BlockPool } from './block-pool.js';
import { lastCleanCut } from './continuation.js';
import { ReadWindow } from './read-window.js';
import { countedBytes, type ReadProgress } from './read-progress.js';

/** Where input comes from: a file path, or standard input (named '-'). */
export interface SourceSpec {
  name: string; // what diagnostics call it: the path as given, or '-'
  stdin?: Readable | AsyncIterable<Buffer>; // set for '-'
  /** A file read only up to a point that may be set while it is read (read-range.ts reads the rest elsewhere). */
  window?: ReadWindow;
  /** Bytes and lines read so far, for the progress line (read-progress.ts). */
  progress?: ReadProgress;
}

/**
 * A byte stream for a source, gunzipped on the fly when its first two bytes are the gzip magic (1f 8b),
 * whatever its name says, and decoded to UTF-8 when they are a UTF-16 byte order mark. Throws a SourceError (with a message fit for the user) when it cannot be opened.
 */
/**
 * `blockBytes`: the size of a file's reads, or a function asked before each read (sizes may change);
 * `blocks`: where a file's read blocks come from, and go back to when done with (block-pool.ts).
 */
export async function openSource(spec: SourceSpec, blockBytes: number | (() => number) = 1 << 20, blocks = new BlockPool()): Promise<AsyncIterable<Buffer>> {
  let raw: AsyncIterable<Buffer>;
  if (spec.stdin) {
    raw = spec.stdin as AsyncIterable<Buffer>;
  } else {
    let info;
    try {
      info = await stat(spec.name);
    } catch (err) {
      throw new SourceError(spec.name, describeFsError(err));
    }
    if (info.isDirectory()) throw new SourceError(spec.name, await whyNotListed(spec.name));
    if (info.isFIFO()) return sniffGzip(counted(readPipe(spec.name), spec), spec.name);
    raw = readLineBlocks(spec.name, typeof blockBytes === 'number' ? () => blockBytes : blockBytes, blocks, spec.window ?? new ReadWindow());
  }
  return sniffGzip(counted(raw, spec), spec.name);
}

/**
 * A file's bytes in blocks of whole lines: each read of `blockBytes` goes into a new buffer after the
 * end of the last line of the read before it, and the block handed on stops at its own last newline.
 * The chunker can then take each block as a chunk as it is (chunker.ts); read as a stream, every chunk was
 * a copy of two reads put together (250 MB copied again for a 250 MB file, and twice the buffers for the
 * garbage collector). A block with no newline (a line longer than a block) is handed on whole, for the
 * chunker to bound. Every byte comes out once, in order, whatever the file holds (gzip too).
 *
 * The next block is read while the consumer works on this one, as a stream reads ahead: without it, a
 * one-trace command (which only searches the bytes) sat idle for 40% of its time waiting for reads.
 */
async function* readLineBlocks(path: string, blockBytes: () => number, blocks: BlockPool, window: ReadWindow): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  let next: Promise<Block> | undefined;
  // The size of the next read: a block, or what is left before the window's end (0: the end).
  const nextBytes = (): number => window.take(blockBytes());
  try {
    next = readBlock(file, undefined, nextBytes(), blocks);
    for (;;) {
      const { block, have, got, asked } = await next;
      next = undefined;
      const end = have + got;
      if (got === 0) {
        if (have > 0) yield block.subarray(0, end);
        else blocks.give(block.buffer as ArrayBuffer); // the read past the end: nothing was read into it
        return;
      }
      const { lines, carry, whole } = cutAtLastLine(block, end, got < asked);
      next = readBlock(file, carry, nextBytes(), blocks);
      if (whole) owners.add(lines);
      yield lines;
    }
  } finally {
    // A read still under way finishes (or fails) before the file closes; its failure is of no use then.
    if (next) await next.catch(() => undefined);
    await file.close();
  }
}

/**
 * A named pipe, or a pipe named by /dev/fd/N (`tracectl group <(kubectl logs -f …)`): read as stdin is,
 * through the event loop, with what has come handed on as it comes. A file's reads run on libuv's thread
 * pool, where a read of a silent pipe blocks a thread until the writer writes or closes, and the process
 * cannot exit while one does: Ctrl-C would print nothing until the producer closed. Opened non-blocking (a
 * FIFO with no writer yet would block the open the same way); until a writer connects, the pipe reports
 * nothing, as a blocking read would wait.
 */
async function* readPipe(path: string): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new SourceError(path, describeFsError(err));
  }
  // node:net only here, where a named pipe is read: loading it costs every other run ~1.5 MB.
  const { Socket } = await import('node:net');
  const pipe = new Socket({ fd, readable: true, writable: false });
  try {
    for await (const chunk of pipe) yield chunk as Buffer;
  } finally {
    pipe.destroy();
  }
}

/**
 * A block read into [0, end) as what to hand on and what to carry into the next read: up to its last
 * newline (`whole`: whole lines only), the rest copied out now, so that nothing reads the block again
 * once it is handed on. All of it when the read came short (`short`: the end of the file) or no line
 * ends in it (a line longer than a block, for the chunker to bound). The cut is before a line that cannot
 * continue the one before it, when the block has one after its first line (continuation.ts): a stack
 * trace shorter than a block is never cut, as the next block holds the carry and a block more. readRange (read-range.ts) cuts its
 * blocks the same way.
 */
export function cutAtLastLine(block: Buffer, end: number, short: boolean): { lines: Buffer; carry: Buffer | undefined; whole: boolean } {
  const last = short ? end : block.lastIndexOf(0x0a, end - 1) + 1;
  // Not between a log line and the stack trace under it (continuation.ts).
  const clean = short || last <= 0 ? -1 : lastCleanCut(block, 0, last, end);
  const cut = clean > 0 ? clean : last;
  if (cut <= 0) return { lines: block.subarray(0, end), carry: undefined, whole: false };
  return { lines: block.subarray(0, cut), carry: cut < end ? Buffer.from(block.subarray(cut, end)) : undefined, whole: true };
}

interface Block {
  block: Buffer;
  /** Bytes carried over from the block before, at its start. */
  have: number;
  /** Bytes read after them: fewer than asked only at the end of the file. */
  got: number;
  asked: number;
}

async function readBlock(file: FileHandle, carry: Buffer | undefined, blockBytes: number, blocks: BlockPool): Promise<Block> {
  const have = carry?.length ?? 0;
  const block = blocks.take(have + blockBytes);
  if (carry) carry.copy(block, 0);
  let got = 0;
  while (got < blockBytes) {
    const { bytesRead } = await file.read(block, have + got, blockBytes - got, null);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return { block, have, got, asked: blockBytes };
}

/** The blocks readLineBlocks handed on: no one else holds a view of their memory. */
const owners = new WeakSet<Buffer>();

/** Is `b` a block of readLineBlocks, whose memory no other view reads (so it may move to another thread)? */
export function ownsItsMemory(b: Buffer): boolean {
  return owners.has(b);
}

/** A block of whole lines over memory of its own, read elsewhere (read-range.ts): taken as readLineBlocks' are. */
export function markOwned(b: Buffer): void {
  owners.add(b);
}

export class SourceError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

/**
 * A folder is a source only when it could not be listed (options.ts reads a folder's files): say why, as
 * for a file ("permission denied"), not only that it is a folder.
 */
async function whyNotListed(path: string): Promise<string> {
  try {
    await readdir(path);
  } catch (err) {
    return describeFsError(err);
  }
  return 'is a directory';
}

export function describeFsError(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * The encoding a UTF-16 byte order mark opens `head` with (PowerShell 5.1's `>` and `Out-File` write
 * UTF-16LE with one), else undefined: every other source is read as UTF-8.
 */
export function utf16Encoding(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe && !(head[2] === 0 && head[3] === 0)) return 'utf-16le'; // FF FE 00 00 is UTF-32LE
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** A UTF-16 source as UTF-8 bytes, its BOM dropped; a character cut between two reads is decoded whole. */
async function* fromUtf16(head: Buffer, rest: AsyncIterable<Buffer>, name: string, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  const utf8 = (text: string): Buffer[] => (text.length > 0 ? [Buffer.from(text, 'utf8')] : []);
  yield* utf8(decoder.decode(head, { stream: true }));
  try {
    for await (const chunk of rest) yield* utf8(decoder.decode(chunk, { stream: true }));
  } catch (err) {
    throw new SourceError(name, describeFsError(err));
  }
  yield* utf8(decoder.decode());
}

function counted(raw: AsyncIterable<Buffer>, spec: SourceSpec): AsyncIterable<Buffer> {
  return spec.progress ? countedBytes(raw, spec.progress) : raw;
}

/** Peek at the first chunk; route through gunzip when it starts with the gzip magic bytes. */
async function* sniffGzip(raw: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const it = raw[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
  } catch (err) {
    throw new SourceError(name, describeFsError(err));
  }
  if (first.done) return;
  let head = first.value;
  // A one-byte first chunk (rare, from a pipe) cannot show the magic: wait for one more.
  while (head.length < 2) {
    const more = await it.next();
    if (more.done) break;
    head = Buffer.concat([head, more.value]);
  }
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  // A consumer that stops early (--strict's first bad line, a one-trace command done) ends this generator
  // at a yield: the source under it must be ended too, or its file stays open until garbage collection.
  try {
    yield* readOn(head, rest, name);
  } finally {
    await it.return?.();
  }
}

async function* readOn(head: Buffer, rest: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const feed = async () => {
      try {
        if (!gunzip.write(head)) await new Promise((r) => gunzip.once('drain', r));
        for await (const chunk of rest) {
          if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
        }
        gunzip.end();
      } catch (err) {
        gunzip.destroy(err as Error);
      }
    };
    void feed();
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === 'Z_BUF_ERROR' ? 'truncated gzip data' : `bad gzip data (${(err as Error).message})`;
      throw new SourceError(name, why);
    }
    return;
  }
  const utf16 = utf16Encoding(head);
  if (utf16 !== undefined) {
    yield* fromUtf16(head, rest, name, utf16);
    return;
  }
  yield head;
  try {
    for await (const chunk of rest) yield chunk;
  } catch (err) {
    throw new SourceError(name, describeFsError(err));
  }
}
