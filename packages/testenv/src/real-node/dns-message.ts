// The few bits of the DNS wire format (RFC 1035) the cluster DNS needs: one question in, A records out.

export interface DnsQuestion {
  id: number;
  name: string;
  type: number;
  /** The question section as received, echoed in the answer. */
  raw: Buffer;
  recursionDesired: boolean;
}

export const TYPE_A = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;

/** The first question of a query, or undefined for anything that is not a well-formed one-question query. */
export function parseQuestion(message: Buffer): DnsQuestion | undefined {
  if (message.length < 12 || message.readUInt16BE(4) < 1 || (message[2]! & 0x80) !== 0) return undefined;
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = message[offset];
    if (length === undefined || length > 63) return undefined;
    offset += 1;
    if (length === 0) break;
    if (offset + length > message.length) return undefined;
    labels.push(message.toString('ascii', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > message.length) return undefined;
  return {
    id: message.readUInt16BE(0),
    name: labels.join('.').toLowerCase(),
    type: message.readUInt16BE(offset),
    raw: message.subarray(12, offset + 4),
    recursionDesired: (message[2]! & 0x01) !== 0,
  };
}

/**
 * An authoritative answer: `addresses` as A records (only for type A; another type of an existing name gets an
 * empty NOERROR), NXDOMAIN when `addresses` is undefined.
 */
export function answer(question: DnsQuestion, addresses: readonly string[] | undefined, ttlSeconds = 5): Buffer {
  const records = question.type === TYPE_A ? (addresses ?? []) : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(question.id, 0);
  header.writeUInt16BE(0x8400 | (question.recursionDesired ? 0x0100 : 0) | (addresses ? 0 : RCODE_NXDOMAIN), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((address) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    record.writeUInt16BE(TYPE_A, 2);
    record.writeUInt16BE(1, 4); // class IN
    record.writeUInt32BE(ttlSeconds, 6);
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
    return record;
  });
  return Buffer.concat([header, question.raw, ...answers]);
}

/** FORMERR for a query that could not be parsed, if it has at least an id. */
export function formatError(message: Buffer): Buffer | undefined {
  if (message.length < 2) return undefined;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(message.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8000 | RCODE_FORMERR, 2);
  return header;
}
