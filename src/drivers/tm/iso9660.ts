import { DriverError } from '../types.js';

// An ISO 9660 (ECMA-119) image with one root directory, as a VM's context CD needs. Rock Ridge NM/PX entries
// carry each file's own name, so guests see `context.sh` or `id_rsa.pub` as written; the ISO 9660 names
// (upper case, d-characters) are what readers without Rock Ridge show.

/** One file of the image's root directory. */
export interface IsoFile {
  name: string;
  data: Buffer;
}

const SECTOR = 2048;
const PVD_SECTOR = 16; // sectors 0-15 are the system area, left zero
const L_TABLE_SECTOR = 18; // after the primary volume descriptor and the set terminator
const M_TABLE_SECTOR = 19;
const ROOT_SECTOR = 20;
const MAX_RECORD = 255;
const FILE_MODE = 0o100444; // read-only medium
const DIR_MODE = 0o40555;

/** ECMA-119 "both-byte orders" fields: little-endian, then big-endian. */
function both16(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(v, 0);
  b.writeUInt16BE(v, 2);
  return b;
}
function both32(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(v, 0);
  b.writeUInt32BE(v, 4);
  return b;
}

/** A text field padded with spaces to `length`. */
function text(s: string, length: number): Buffer {
  return Buffer.from(s.padEnd(length, ' '), 'latin1');
}

/** The 17-byte date of volume descriptors (digits, then a GMT offset of 0: the time is UTC). */
function volumeDate(d: Date): Buffer {
  const two = (n: number) => String(n).padStart(2, '0');
  const digits = `${String(d.getUTCFullYear()).padStart(4, '0')}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}` +
    `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}${two(Math.floor(d.getUTCMilliseconds() / 10))}`;
  return Buffer.concat([Buffer.from(digits, 'latin1'), Buffer.from([0])]);
}

/** The 7-byte date of directory records, in UTC. */
function recordDate(d: Date): Buffer {
  return Buffer.from([d.getUTCFullYear() - 1900, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 0]);
}

/** A SUSP entry: signature, length, version 1, body. */
function susp(signature: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(signature, 'latin1'), Buffer.from([4 + body.length, 1]), body]);
}

/** Rock Ridge POSIX attributes: mode, links, owner root (RRIP 1.10 layout, without a serial number). */
function px(mode: number, links: number): Buffer {
  return susp('PX', Buffer.concat([both32(mode), both32(links), both32(0), both32(0)]));
}

/** What the root's `.` record adds so readers find Rock Ridge: SUSP's SP marker first, then the ER reference. */
function rockRidgeMarkers(): { sp: Buffer; er: Buffer } {
  const id = Buffer.from('RRIP_1991A', 'latin1');
  const description = Buffer.from('ROCK RIDGE POSIX NAMES AND MODES', 'latin1');
  const source = Buffer.from('NIMBUS', 'latin1');
  return {
    sp: susp('SP', Buffer.from([0xbe, 0xef, 0])),
    er: susp('ER', Buffer.concat([Buffer.from([id.length, description.length, source.length, 1]), id, description, source])),
  };
}

/** A directory record; `extent` may be patched later at offset 2. */
function dirRecord(id: Buffer, extent: number, size: number, isDir: boolean, date: Buffer, systemUse: Buffer): Buffer {
  const pad = id.length % 2 === 0 ? 1 : 0;
  const tail = (33 + id.length + pad + systemUse.length) % 2; // SUSP wants an even record
  return Buffer.concat([
    Buffer.from([33 + id.length + pad + systemUse.length + tail, 0]),
    both32(extent),
    both32(size),
    date,
    Buffer.from([isDir ? 2 : 0, 0, 0]),
    both16(1),
    Buffer.from([id.length]),
    id,
    Buffer.alloc(pad),
    systemUse,
    Buffer.alloc(tail),
  ]);
}

/** The ISO 9660 identifier for `name`: upper case, d-characters, at most 30 of them, unique among `taken`. */
function isoIdentifier(name: string, taken: Set<string>): string {
  const upper = name.toUpperCase();
  const dot = upper.lastIndexOf('.');
  const clean = (s: string) => s.replace(/[^A-Z0-9_]/g, '_');
  const ext = clean(dot < 0 ? '' : upper.slice(dot + 1)).slice(0, 8); // leaves most of the 30 to the name
  const base = clean(dot < 0 ? upper : upper.slice(0, dot));
  for (let n = 0; ; n++) {
    const suffix = n === 0 ? '' : `_${n}`;
    const id = `${base.slice(0, 30 - ext.length - suffix.length)}${suffix}.${ext};1`;
    if (!taken.has(id)) return id;
  }
}

/** ECMA-119 9.3 order: by file name, then by extension, each as if padded with spaces. */
function byIdentifier(a: string, b: string): number {
  const [an, ae] = a.split(';')[0].split('.');
  const [bn, be] = b.split(';')[0].split('.');
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0); // space sorts below every d-character
  return cmp(an, bn) || cmp(ae, be);
}

/** Rejects names a root directory cannot hold, before any byte is laid out. */
function checkNames(files: IsoFile[]): void {
  const seen = new Set<string>();
  for (const { name } of files) {
    if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name)) {
      throw new DriverError(`Cannot put a file named "${name}" on the context CD: use a plain file name, without "/"`);
    }
    if (seen.has(name)) throw new DriverError(`Two files are named "${name}" on the context CD: give each its own name`);
    seen.add(name);
  }
}

/**
 * An ISO 9660 image of `files` in its root directory, labelled `volumeId` (d-characters, as `CONTEXT`), with
 * Rock Ridge names; `now` dates every record, so equal inputs give equal bytes.
 */
export function buildIso9660(volumeId: string, files: IsoFile[], now: Date = new Date(0)): Buffer {
  if (!/^[A-Z0-9_]{1,32}$/.test(volumeId)) {
    throw new DriverError(`ISO 9660 volume label "${volumeId}" must be 1 to 32 of A-Z, 0-9 and _`);
  }
  checkNames(files);
  const date = recordDate(now);
  const taken = new Set<string>();
  const entries = files
    .map((f) => {
      const id = isoIdentifier(f.name, taken);
      taken.add(id);
      if (f.data.length > 0xffffffff) throw new DriverError(`File "${f.name}" is too large for an ISO 9660 extent (4 GiB)`);
      const nm = susp('NM', Buffer.concat([Buffer.from([0]), Buffer.from(f.name, 'utf8')]));
      const record = dirRecord(Buffer.from(id, 'latin1'), 0, f.data.length, false, date, Buffer.concat([px(FILE_MODE, 1), nm]));
      if (record.length > MAX_RECORD) throw new DriverError(`File name "${f.name}" is too long for the context CD`);
      return { id, data: f.data, record };
    })
    .sort((a, b) => byIdentifier(a.id, b.id));

  // Records may not cross a sector boundary: lay them out first to learn the directory's size.
  const { sp, er } = rockRidgeMarkers();
  const dot = (size: number) => dirRecord(Buffer.from([0]), ROOT_SECTOR, size, true, date, Buffer.concat([sp, px(DIR_MODE, 2), er]));
  const dotdot = (size: number) => dirRecord(Buffer.from([1]), ROOT_SECTOR, size, true, date, px(DIR_MODE, 2));
  const records = [dot(0), dotdot(0), ...entries.map((e) => e.record)];
  const offsets: number[] = [];
  let at = 0;
  for (const r of records) {
    if ((at % SECTOR) + r.length > SECTOR) at = Math.ceil(at / SECTOR) * SECTOR;
    offsets.push(at);
    at += r.length;
  }
  const rootSectors = Math.ceil(at / SECTOR);
  const rootSize = rootSectors * SECTOR;
  records[0] = dot(rootSize);
  records[1] = dotdot(rootSize);

  let next = ROOT_SECTOR + rootSectors;
  const extents = entries.map((e) => {
    const extent = next;
    next += Math.ceil(e.data.length / SECTOR);
    return extent;
  });
  entries.forEach((e, i) => {
    e.record.writeUInt32LE(extents[i], 2);
    e.record.writeUInt32BE(extents[i], 6);
  });

  const image = Buffer.alloc(next * SECTOR);
  primaryVolumeDescriptor(volumeId, next, rootSize, now).copy(image, PVD_SECTOR * SECTOR);
  Buffer.concat([Buffer.from([255]), Buffer.from('CD001', 'latin1'), Buffer.from([1])]).copy(image, (PVD_SECTOR + 1) * SECTOR);
  pathTableRecord('LE').copy(image, L_TABLE_SECTOR * SECTOR);
  pathTableRecord('BE').copy(image, M_TABLE_SECTOR * SECTOR);
  records.forEach((r, i) => r.copy(image, ROOT_SECTOR * SECTOR + offsets[i]));
  entries.forEach((e, i) => e.data.copy(image, extents[i] * SECTOR));
  return image;
}

/** The path table's only entry, the root directory, in one byte order. */
function pathTableRecord(order: 'LE' | 'BE'): Buffer {
  const b = Buffer.alloc(10); // identifier length 1, no extended attributes, extent, parent 1, id 0, pad
  b[0] = 1;
  if (order === 'LE') {
    b.writeUInt32LE(ROOT_SECTOR, 2);
    b.writeUInt16LE(1, 6);
  } else {
    b.writeUInt32BE(ROOT_SECTOR, 2);
    b.writeUInt16BE(1, 6);
  }
  return b;
}

/** The primary volume descriptor (ECMA-119 8.4) of an image of `sectors` sectors. */
function primaryVolumeDescriptor(volumeId: string, sectors: number, rootSize: number, now: Date): Buffer {
  const unset = Buffer.concat([Buffer.from('0'.repeat(16), 'latin1'), Buffer.from([0])]);
  const pvd = Buffer.concat([
    Buffer.from([1]), Buffer.from('CD001', 'latin1'), Buffer.from([1, 0]),
    text('LINUX', 32), // system identifier
    text(volumeId, 32),
    Buffer.alloc(8),
    both32(sectors),
    Buffer.alloc(32),
    both16(1), // volume set size
    both16(1), // volume sequence number
    both16(SECTOR),
    both32(10), // path table size: the root's entry
    Buffer.alloc(4), Buffer.alloc(4), // L and optional L table locations, written below
    Buffer.alloc(4), Buffer.alloc(4), // M and optional M
    dirRecord(Buffer.from([0]), ROOT_SECTOR, rootSize, true, recordDate(now), Buffer.alloc(0)),
    text('', 128), // volume set
    text('', 128), // publisher
    text('', 128), // data preparer
    text('NIMBUS', 128), // application
    text('', 37), text('', 37), text('', 37), // copyright, abstract, bibliographic files
    volumeDate(now), volumeDate(now), unset, unset, // created, modified, expires, effective
    Buffer.from([1]), // file structure version
  ]);
  pvd.writeUInt32LE(L_TABLE_SECTOR, 140);
  pvd.writeUInt32BE(M_TABLE_SECTOR, 148);
  return Buffer.concat([pvd, Buffer.alloc(SECTOR - pvd.length)]);
}
