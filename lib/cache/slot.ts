// The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its `{hash tag}`, mod
// 16,384. A cluster node refuses a multi-key command whose keys sit in different slots, so a batch
// of keys is split by slot before UNLINK. Pure.

export const SLOT_COUNT = 16_384;

let table: Uint16Array | null = null;

function crcTable(): Uint16Array {
  if (table) return table;
  table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
}

/** The part of the key that is hashed: the first non-empty `{…}` tag, else the whole key. */
function hashedPart(key: Uint8Array): Uint8Array {
  const open = key.indexOf(0x7b);
  if (open === -1) return key;
  const close = key.indexOf(0x7d, open + 1);
  return close > open + 1 ? key.subarray(open + 1, close) : key;
}

export function keySlot(key: Uint8Array): number {
  const lookup = crcTable();
  let crc = 0;
  for (const byte of hashedPart(key)) crc = ((crc << 8) & 0xffff) ^ lookup[((crc >> 8) ^ byte) & 0xff]!;
  return crc % SLOT_COUNT;
}

/** Keys grouped by slot, each group in scan order. */
export function groupBySlot(keys: Buffer[]): Buffer[][] {
  const groups = new Map<number, Buffer[]>();
  for (const key of keys) {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group) group.push(key);
    else groups.set(slot, [key]);
  }
  return [...groups.values()];
}
