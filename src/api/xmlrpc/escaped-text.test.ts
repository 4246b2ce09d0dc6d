import { describe, expect, it } from 'vitest';
import { escapedBytes, escapedPool } from '../xml/pool.js';
import { decodeResponse, encodeResponse, encodeResponseParts } from './codec.js';

const bytes = (v: unknown[]) => Buffer.concat(encodeResponseParts(v as never)).toString('utf8');
import { EscapedText } from './values.js';

describe('pre-escaped text', () => {
  it('goes on the wire as the same <string> a plain string would, in text and in bytes', () => {
    const doc = '<VM><NAME>a & "b" < ünïcode ></NAME></VM>';
    const value = [true, new EscapedText([escapedBytes(doc)]), 0];
    const plain = encodeResponse([true, doc, 0]);
    expect(encodeResponse(value)).toBe(plain);
    expect(bytes(value)).toBe(plain);
    expect(decodeResponse(bytes(value))).toEqual([true, doc, 0]);
  });

  it('assembles a pool from bodies escaped one by one', () => {
    const pool = escapedPool('VM_POOL', ['<VM><ID>1</ID></VM>', '<VM><NAME>x&y</NAME></VM>'].map(escapedBytes));
    expect(decodeResponse(bytes([true, pool, 0]))).toEqual([
      true, '<VM_POOL><VM><ID>1</ID></VM><VM><NAME>x&y</NAME></VM></VM_POOL>', 0,
    ]);
  });
});
