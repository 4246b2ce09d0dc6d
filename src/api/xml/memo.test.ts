import { describe, expect, it } from 'vitest';
import { memoByObject, memoRecent } from './memo.js';

function counting() {
  const calls: string[] = [];
  return { calls, render: (o: { name: string }) => (calls.push(o.name), `<${o.name}/>`) };
}

describe('memoByObject', () => {
  it('renders each object once, and a changed (new) object again', () => {
    const { calls, render } = counting();
    const memo = memoByObject(render);
    const a = { name: 'a' };
    expect([memo(a), memo(a), memo({ name: 'a' })]).toEqual(['<a/>', '<a/>', '<a/>']);
    expect(calls).toEqual(['a', 'a']);
  });
});

describe('memoRecent', () => {
  it('keeps the last objects used and renders again one it dropped', () => {
    const { calls, render } = counting();
    const memo = memoRecent(render, 2);
    const [a, b, c] = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    memo(a);
    memo(b);
    memo(a); // a is now the most recent: c pushes b out
    memo(c);
    memo(a);
    memo(b);
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });
});
