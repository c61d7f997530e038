import { describe, expect, it } from '@jest/globals';
import { redactCommandLine } from './command-redaction.ts';

describe('redactCommandLine', () => {
  it.each([
    [`curl -H 'Authorization: Bearer s3cr3t' http://x/`, `curl -H 'Authorization: Bearer (hidden)' http://x/`],
    [`hey -H "authorization: Basic dXNlcjpwdw==" http://x/`, `hey -H "authorization: Basic (hidden)" http://x/`],
    ['curl -H X-Api-Key:abc123 http://x/', 'curl -H X-Api-Key:(hidden) http://x/'],
    ['curl -u admin:hunter2 http://x/', 'curl -u (hidden) http://x/'],
    ['curl --user=admin:hunter2 http://x/', 'curl --user=(hidden) http://x/'],
    ['curl http://admin:hunter2@x.test:8080/p', 'curl http://(hidden)@x.test:8080/p'],
    ['curl "http://x/?a=1&token=abc&b=2"', 'curl "http://x/?a=1&token=(hidden)&b=2"'],
    ['curl http://x/?access_token=abc#f', 'curl http://x/?access_token=(hidden)#f'],
  ])('hides the credentials in %j', (line, expected) => {
    expect(redactCommandLine(line)).toBe(expected);
  });

  it('leaves a line without credentials as it is', () => {
    const line = 'hey -z 1m -q 10 -c 2 -H "Content-Type: application/json" http://podinfo-canary.test:9898/?q=1';
    expect(redactCommandLine(line)).toBe(line);
  });
});
