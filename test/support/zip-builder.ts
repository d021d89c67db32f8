import { crc32, createDeflateRaw, createGzip, type Gzip, type DeflateRaw } from 'node:zlib';

export interface ZipEntrySpec {
  readonly name: string;
  /** The content, or that many zero bytes streamed through deflate (never held whole). */
  readonly content: string | Buffer | { readonly zeros: number };
  /** The uncompressed size written in the headers, when it should lie. */
  readonly declaredSize?: number;
  /** The CRC-32 written in the headers, when it should lie. */
  readonly declaredCrc?: number;
}

const CHUNK = Buffer.alloc(1024 * 1024);

/**
 * A zip archive (deflate, no zip64) built by hand, so a test can make what no archiver would: an
 * entry of gigabytes of zeros that compresses to a few megabytes, or headers that lie about sizes.
 */
export async function buildZip(entries: readonly ZipEntrySpec[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { data, size, crc } = await deflate(entry.content);
    const declared = entry.declaredSize ?? size;
    const declaredCrc = entry.declaredCrc ?? crc;
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(declaredCrc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(0x21, 14);
    header.writeUInt32LE(declaredCrc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(declared, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(header, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A gzip stream of that many zero bytes, as a server would send with `Content-Encoding: gzip`. */
export async function gzipOfZeros(size: number): Promise<Buffer> {
  return (await deflate({ zeros: size }, createGzip({ level: 1 }))).data;
}

// Level 1: a gigabyte of zeros in about two seconds, to some 1/200 of its size.
async function deflate(
  content: ZipEntrySpec['content'],
  deflater: DeflateRaw | Gzip = createDeflateRaw({ level: 1 }),
): Promise<{ data: Buffer; size: number; crc: number }> {
  const out: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflater.on('end', resolve);
    deflater.on('error', reject);
  });
  let crc = 0;
  let size = 0;
  const write = async (chunk: Buffer) => {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!deflater.write(chunk)) await new Promise((resolve) => deflater.once('drain', resolve));
  };
  if (typeof content === 'string' || Buffer.isBuffer(content)) {
    await write(Buffer.from(content));
  } else {
    for (let left = content.zeros; left > 0; left -= CHUNK.length) {
      await write(left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left));
    }
  }
  deflater.end();
  await done;
  return { data: Buffer.concat(out), size, crc };
}
