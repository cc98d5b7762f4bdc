// A file's bytes as it grows, as `tail -F` follows it: from its start, then whatever is appended, until
// the signal. Polled by name and by descriptor (a timer, not fs.watch: inotify misses files on network
// and container-overlay filesystems, and a poll of two stats is cheap):
//
//   grown      size > what was read              read on from where it stopped
//   truncated  size < what was read (same inode)  read again from the start (copytruncate rotation)
//   rotated    the name is another inode          read the old file to its end, then the new one from
//                                                 its start (move-and-create rotation)
//   missing    the name is gone                   keep reading the old file; wait for the name to return
//
// A line cut off by a rotation or truncation (no newline yet) is ended there, so that it is not glued to
// the next file's first line. Every byte appended while followed comes out once, in order; bytes written
// to a file between two polls and then truncated away cannot be seen by any follower.
import { open, stat, type FileHandle } from 'node:fs/promises';

export interface FollowOptions {
  /** Stops following; the generator then ends. */
  signal: AbortSignal;
  /** Between polls, in ms (default 200). */
  pollMs?: number;
}

const READ_BYTES = 1 << 16;
const NL = 0x0a;

export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<Buffer> {
  const { signal } = options;
  const pollMs = options.pollMs ?? 200;
  let file: FileHandle | undefined;
  let ino = -1;
  let pos = 0;
  let lastByte = NL;
  try {
    while (!signal.aborted) {
      if (file === undefined) {
        // Not there yet (or between a rotation's rename and create): wait for it, as tail -F does.
        const opened = await openIfThere(path);
        if (opened !== undefined) {
          file = opened.file;
          ino = opened.ino;
          pos = 0;
        }
      }
      if (file !== undefined) {
        for (const b of await readToEnd(file, pos)) {
          pos += b.length;
          lastByte = b[b.length - 1]!;
          yield b;
        }
        const now = await stat(path).catch(() => undefined);
        if (now !== undefined && now.ino !== ino) {
          // Rotated: what the old file got since the read above, then the new file from its start.
          for (const b of await readToEnd(file, pos)) {
            lastByte = b[b.length - 1]!;
            yield b;
          }
          if (lastByte !== NL) yield Buffer.from('\n');
          lastByte = NL;
          await file.close();
          file = undefined;
          continue;
        }
        if ((await file.stat()).size < pos) {
          if (lastByte !== NL) yield Buffer.from('\n');
          lastByte = NL;
          pos = 0;
          continue;
        }
      }
      await sleep(pollMs, signal);
    }
  } finally {
    await file?.close();
  }
}

async function openIfThere(path: string): Promise<{ file: FileHandle; ino: number } | undefined> {
  try {
    const file = await open(path, 'r');
    return { file, ino: (await file.stat()).ino };
  } catch {
    return undefined;
  }
}

/** The bytes from `pos` to the file's end as it stands. */
async function readToEnd(file: FileHandle, pos: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (;;) {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    const { bytesRead } = await file.read(buf, 0, READ_BYTES, pos);
    if (bytesRead === 0) return out;
    out.push(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
