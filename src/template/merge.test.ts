import { describe, expect, it } from 'vitest';
import { mergeTemplate } from './merge.js';
import { parseTemplate } from './parse.js';

describe('mergeTemplate (update type 1)', () => {
  const base = parseTemplate('A = 1\nDISK = [ IMAGE_ID = 1 ]\nB = 2\nDISK = [ IMAGE_ID = 2 ]\nC = 3');

  it('replaces every attribute of a name the update has, and keeps the others in order', () => {
    const out = mergeTemplate(base, parseTemplate('DISK = [ IMAGE_ID = 9 ]\nA = 10'));
    expect(out).toEqual(parseTemplate('B = 2\nC = 3\nDISK = [ IMAGE_ID = 9 ]\nA = 10'));
  });

  it('adds new names and keeps repeated ones from the update', () => {
    const out = mergeTemplate(base, parseTemplate('NIC = [ NETWORK_ID = 0 ]\nNIC = [ NETWORK_ID = 1 ]'));
    expect(out).toEqual([...base, ...parseTemplate('NIC = [ NETWORK_ID = 0 ]\nNIC = [ NETWORK_ID = 1 ]')]);
  });

  it('replaces a vector with a single value and back', () => {
    expect(mergeTemplate(base, parseTemplate('DISK = none'))).toEqual(
      parseTemplate('A = 1\nB = 2\nC = 3\nDISK = none'),
    );
    expect(mergeTemplate(parseTemplate('X = 1'), parseTemplate('X = [ Y = 2 ]'))).toEqual(parseTemplate('X = [ Y = 2 ]'));
  });

  it('sets an empty value rather than removing the attribute', () => {
    expect(mergeTemplate(parseTemplate('A = 1\nB = 2'), parseTemplate('A ='))).toEqual(parseTemplate('B = 2\nA ='));
  });

  it('changes nothing for an empty update, and takes everything from an empty base', () => {
    expect(mergeTemplate(base, [])).toEqual(base);
    expect(mergeTemplate([], base)).toEqual(base);
  });

  it('does not modify its inputs', () => {
    const before = structuredClone(base);
    mergeTemplate(base, parseTemplate('A = 5'));
    expect(base).toEqual(before);
  });
});
