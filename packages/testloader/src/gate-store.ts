import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Manual gates, as in Flagger's load tester: a gate per canary, keyed "name.namespace", and a rollback gate keyed
 * "rollback.name.namespace". Gates start closed. Flagger keeps them in memory only; with a state file Linnet also
 * writes every change to disk (atomically, before answering) and reads it back at start, so an approval survives a
 * restart of the test loader.
 */
export interface GateStore {
  isOpen(key: string): boolean;
  open(key: string): Promise<void>;
  close(key: string): Promise<void>;
  /** Every gate that was ever opened or closed, with its state. */
  entries(): ReadonlyMap<string, boolean>;
}

export function gateKey(name: string, namespace: string): string {
  return `${name}.${namespace}`;
}

export function rollbackGateKey(name: string, namespace: string): string {
  return `rollback.${name}.${namespace}`;
}

export function createMemoryGateStore(initial: ReadonlyMap<string, boolean> = new Map()): GateStore {
  const gates = new Map(initial);
  return {
    isOpen: (key) => gates.get(key) === true,
    open: async (key) => {
      gates.set(key, true);
    },
    close: async (key) => {
      gates.set(key, false);
    },
    entries: () => new Map(gates),
  };
}

interface GateStateFile {
  readonly version: 1;
  readonly gates: Readonly<Record<string, boolean>>;
}

export class GateStateFileError extends Error {
  readonly reason = 'GateStateFileInvalid';
}

/**
 * A gate store persisted to `path`. A missing file means no gates yet; an unreadable or malformed one is an error
 * (refusing to start beats silently closing gates someone opened). The file is rewritten at start to prove it is
 * writable.
 */
export async function openFileGateStore(path: string): Promise<GateStore> {
  const gates = new Map<string, boolean>();
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch (error) {
      throw new GateStateFileError(`gate state file ${path} is not valid JSON: ${(error as Error).message}`);
    }
    const file = decoded as Partial<GateStateFile> | null;
    if (typeof file !== 'object' || file === null || file.version !== 1 || typeof file.gates !== 'object') {
      throw new GateStateFileError(`gate state file ${path} is not a version 1 gate state file`);
    }
    for (const [key, open] of Object.entries(file.gates ?? {})) {
      if (typeof open !== 'boolean') throw new GateStateFileError(`gate ${key} in ${path} is not true or false`);
      gates.set(key, open);
    }
  }

  let writes: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const content: GateStateFile = { version: 1, gates: Object.fromEntries([...gates].sort()) };
    const next = writes.then(async () => {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, path);
    });
    writes = next.catch(() => undefined);
    return next;
  };

  await mkdir(dirname(path), { recursive: true });
  await persist();
  return {
    isOpen: (key) => gates.get(key) === true,
    open: async (key) => {
      gates.set(key, true);
      await persist();
    },
    close: async (key) => {
      gates.set(key, false);
      await persist();
    },
    entries: () => new Map(gates),
  };
}
