import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createMemoryGateStore, gateKey, openFileGateStore, rollbackGateKey } from './gate-store.ts';

describe('gate keys', () => {
  it('are Flagger’s', () => {
    expect(gateKey('podinfo', 'test')).toBe('podinfo.test');
    expect(rollbackGateKey('podinfo', 'test')).toBe('rollback.podinfo.test');
  });
});

describe('createMemoryGateStore', () => {
  it('starts closed, opens and closes', async () => {
    const gates = createMemoryGateStore();
    expect(gates.isOpen('podinfo.test')).toBe(false);
    await gates.open('podinfo.test');
    expect(gates.isOpen('podinfo.test')).toBe(true);
    expect(gates.isOpen('other.test')).toBe(false);
    await gates.close('podinfo.test');
    expect(gates.isOpen('podinfo.test')).toBe(false);
    expect([...gates.entries()]).toEqual([['podinfo.test', false]]);
  });
});

describe('openFileGateStore', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'linnet-gates-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps gate states across a restart', async () => {
    const path = join(directory, 'nested', 'gates.json');
    const before = await openFileGateStore(path);
    await before.open('podinfo.test');
    await before.open('rollback.podinfo.test');
    await before.close('rollback.podinfo.test');
    const after = await openFileGateStore(path);
    expect(after.isOpen('podinfo.test')).toBe(true);
    expect(after.isOpen('rollback.podinfo.test')).toBe(false);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      version: 1,
      gates: { 'podinfo.test': true, 'rollback.podinfo.test': false },
    });
  });

  it('writes concurrent changes in order', async () => {
    const path = join(directory, 'gates.json');
    const gates = await openFileGateStore(path);
    await Promise.all(Array.from({ length: 20 }, (_, index) => gates.open(`c${index}.ns`)));
    const reopened = await openFileGateStore(path);
    expect(reopened.entries().size).toBe(20);
  });

  it('refuses a file that is not a gate state file', async () => {
    const path = join(directory, 'gates.json');
    await writeFile(path, 'not json');
    await expect(openFileGateStore(path)).rejects.toThrow(/is not valid JSON/);
    await writeFile(path, '{"version":2,"gates":{}}');
    await expect(openFileGateStore(path)).rejects.toThrow(/not a version 1 gate state file/);
    await writeFile(path, '{"version":1,"gates":{"a.b":"yes"}}');
    await expect(openFileGateStore(path)).rejects.toThrow(/is not true or false/);
  });
});
