import { parseRegistry } from '../../../src/registry/parse-registry';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('parseRegistry() agrees with URL parsers on which host a client would contact', () => {
  it.each([`https://evil.example\\@${ECR}/v2/`, `evil.example\\@${ECR}`, `evil.example\\${ECR}`])(
    'rejects %s: a WHATWG parser connects to evil.example',
    (input) => {
      // The premise: Node's own URL parser sends this request to the look-alike host.
      expect(new URL(input.includes('://') ? input : `https://${input}`).hostname).toBe(
        'evil.example',
      );
      expect(parseRegistry(input)).toEqual({ kind: 'other', host: 'evil.example' });
    },
  );

  it.each([
    [`\uFEFF${ECR}`, 'a byte order mark before the host'],
    [`${ECR}\r\n`, 'a CRLF line ending'],
    [`\t ${ECR} \t`, 'tabs and spaces around the host'],
  ])('accepts %j (%s)', (input) => {
    expect(parseRegistry(input)).toMatchObject({ kind: 'private', host: ECR });
  });

  it.each([
    `${ECR}\u0000`,
    `\u0000${ECR}`,
    `${ECR}\uFFFD`,
    '[::1]:5000',
    'localhost:5000',
    'https://',
  ])('answers %j as another registry', (input) => {
    expect(parseRegistry(input).kind).toBe('other');
  });
});
