import { describe, expect, it } from '@jest/globals';
import {
  AlreadyExistsError,
  ConflictError,
  GoneError,
  KubeError,
  NotFoundError,
  isNotFound,
  kubeErrorFromStatus,
  parseKubeStatus,
} from './kube-errors.ts';

describe('kubeErrorFromStatus', () => {
  it('tells an update conflict from a create clash', () => {
    const conflict = kubeErrorFromStatus(409, { kind: 'Status', reason: 'Conflict', message: 'modified' }, 'update x');
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ reason: 'Conflict', statusCode: 409, message: 'update x: modified' });
    expect(kubeErrorFromStatus(409, { reason: 'AlreadyExists' }, 'create x')).toBeInstanceOf(AlreadyExistsError);
  });

  it('maps not found, gone/expired and others by code', () => {
    expect(kubeErrorFromStatus(404, undefined, 'get x')).toBeInstanceOf(NotFoundError);
    expect(isNotFound(kubeErrorFromStatus(404, undefined, 'get x'))).toBe(true);
    expect(kubeErrorFromStatus(410, { code: 410, reason: 'Expired' }, 'watch')).toBeInstanceOf(GoneError);
    expect(kubeErrorFromStatus(422, { reason: 'Invalid' }, 'c').reason).toBe('Invalid');
    expect(kubeErrorFromStatus(502, undefined, 'c').reason).toBe('InternalError');
    expect(kubeErrorFromStatus(418, undefined, 'c').reason).toBe('Unknown');
    expect(kubeErrorFromStatus(418, undefined, 'c').message).toBe('c: HTTP 418');
  });

  it('marks throttling and server trouble as retryable', () => {
    expect(kubeErrorFromStatus(429, undefined, 'c').retryable).toBe(true);
    expect(new KubeError('Unavailable', 'x').retryable).toBe(true);
    expect(kubeErrorFromStatus(403, undefined, 'c').retryable).toBe(false);
  });
});

describe('parseKubeStatus', () => {
  it('reads a Status and ignores anything else', () => {
    expect(parseKubeStatus('{"kind":"Status","code":404,"reason":"NotFound"}')).toEqual({
      kind: 'Status',
      code: 404,
      reason: 'NotFound',
    });
    expect(parseKubeStatus('{"kind":"Pod"}')).toBeUndefined();
    expect(parseKubeStatus('<html>bad gateway</html>')).toBeUndefined();
  });
});
