import fc from 'fast-check';
import {
  isExternalId,
  isHelperName,
  isRegion,
  isRoleArn,
  isSecretId,
  isSessionName,
} from '../../src/text-checks';

// The checks are loops for speed (see text-checks.ts); these expressions are what they mean.
const MEANING: [string, (text: string) => boolean, RegExp, string][] = [
  ['isHelperName', isHelperName, /^[A-Za-z0-9][\w.-]{0,99}$/, 'aZ09._-/ '],
  ['isSessionName', isSessionName, /^[\w+=,.@-]{2,64}$/, 'aZ09_+=,.@-/: '],
  ['isExternalId', isExternalId, /^[\w+=,.@:/-]{2,1224}$/, 'aZ09_+=,.@:/- '],
  ['isRegion', isRegion, /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/, 'aeusw-12'],
  ['isRoleArn', isRoleArn, /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'a1:/-'],
];

describe('text checks', () => {
  it.each(MEANING)('%s agrees with its regular expression', (_name, check, meaning, alphabet) => {
    const chars = fc.constantFrom(...alphabet.split(''));
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 20 }).map((list) => list.join('')),
        (text) => check(text) === meaning.test(text),
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['eu-west-1', true],
    ['us-gov-west-1', true],
    ['eusc-de-east-1', true],
    ['cn-north-1', true],
    ['mars', false],
    ['eu-west-', false],
    ['eu--west-1', false],
    ['EU-west-1', false],
  ])('isRegion(%s) is %s', (text, expected) => {
    expect(isRegion(text)).toBe(expected);
  });

  it.each([
    ['arn:aws:iam::210987654321:role/puller', true],
    ['arn:aws-cn:iam::210987654321:role/path/puller', true],
    ['arn:aws:iam::21098765432:role/puller', false],
    ['arn:aws:iam::210987654321:user/puller', false],
    ['arn:aws:sts::210987654321:role/puller', false],
    ['arn:aws:iam::210987654321:role/', false],
  ])('isRoleArn(%s) is %s', (text, expected) => {
    expect(isRoleArn(text)).toBe(expected);
  });

  it.each([
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf', true],
    ['arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:a/b-AbCdEf', true],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:', false],
    ['arn:aws:s3:us-east-1:123456789012:secret:x', false],
    ['prod/registry/ghcr', true],
    ['has space', false],
    ['', false],
  ])('isSecretId(%s) is %s', (text, expected) => {
    expect(isSecretId(text)).toBe(expected);
  });
});
