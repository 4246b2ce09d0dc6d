import { describe, expect, it } from 'vitest';
import { askUserInputs, parseUserInputsOption, userInputsText, type PromptIO } from './user-inputs.js';

/** Scripted answers; `shown` collects what the user would see. */
function io(lines: string[], edited = 'from the editor') {
  const queue = [...lines];
  const state = { shown: '', hiddenReads: 0 };
  const p: PromptIO = {
    write: (t) => (state.shown += t),
    line: async () => queue.shift(),
    hidden: async () => {
      state.hiddenReads++;
      return queue.shift();
    },
    edit: async () => edited,
  };
  return { p, state };
}

const ask = (inputs: Record<string, string>, lines: string[], given: string[] = []) => {
  const { p, state } = io(lines);
  return askUserInputs(Object.entries(inputs), new Set(given), p).then((answers) => ({ answers, ...state }));
};

describe('askUserInputs', () => {
  it('prompts as OpenNebula does and reads passwords without echo', async () => {
    const r = await ask({ BLOG_TITLE: 'M|text|Blog Title', DB_PASSWORD: 'M|password|Database Password' }, ['my_title', 's3cret']);
    expect(r.answers).toEqual([['BLOG_TITLE', 'my_title'], ['DB_PASSWORD', 's3cret']]);
    expect(r.hiddenReads).toBe(1);
    expect(r.shown).toBe(
      'There are some parameters that require user input. Use the string <<EDITOR>> to launch an editor (e.g. for multi-line inputs)\n' +
        '  * (BLOG_TITLE) Blog Title\n    ' +
        '  * (DB_PASSWORD) Database Password\n    Password: ',
    );
  });

  it('uses defaults on an empty answer, and encodes text64', async () => {
    const r = await ask({ A: 'O|text|A|| hello ', B: 'M|text64|B', C: 'M|text|C' }, ['', 'hi', '<<EDITOR>>']);
    expect(r.answers).toEqual([['A', 'hello'], ['B', Buffer.from('hi').toString('base64')], ['C', 'from the editor']]);
    expect(r.shown).toContain('    Press enter for default (hello). ');
  });

  it('asks again until a number or range answer is valid; optional ones may stay empty', async () => {
    const r = await ask(
      { N: 'M|number|N', F: 'M|number-float|F', R: 'M|range|R|1..4|', RF: 'M|range-float|RF|0.5..1|', O: 'O|number|O' },
      ['x', '3', '1.5', '9', '4', '0.2', '0.75', ''],
    );
    expect(r.answers).toEqual([['N', '3'], ['F', '1.5'], ['R', '4'], ['RF', '0.75']]);
    expect(r.shown).toContain('Integer in the range [1..4]: ');
    expect(r.shown).toContain('Float in the range [0.5..1.0]: ');
  });

  it('offers lists by number, and fixed values without asking', async () => {
    const r = await ask({ L: 'M|list|Size|small,large|small', M: 'M|list-multiple|Apps|a,b,c|', X: 'M|fixed|X||42' }, ['7', '1', '0,2']);
    expect(r.answers).toEqual([['L', 'large'], ['M', 'a,c'], ['X', '42']]);
    expect(r.shown).toContain('    0  small\n    1  large\n\n');
    expect(r.shown).toContain('    Fixed value of (42). Cannot be changed\n');
  });

  it('checks booleans', async () => {
    expect((await ask({ B: 'M|boolean|B||NO' }, [''])).answers).toEqual([['B', 'NO']]);
    await expect(ask({ B: 'M|boolean|B' }, ['maybe'])).rejects.toThrow("Invalid boolean 'maybe' for B: answer YES or NO");
  });

  it('skips inputs given with --user-inputs, and says nothing when all are given', async () => {
    const r = await ask({ A: 'M|text|A', B: 'M|text|B' }, ['b'], ['A']);
    expect(r.answers).toEqual([['B', 'b']]);
    const none = await ask({ A: 'M|text|A' }, [], ['A']);
    expect(none).toMatchObject({ answers: [], shown: '' });
  });

  it('refuses malformed inputs and unknown types, and says what to do when input ends', async () => {
    await expect(ask({ A: 'M|text' }, [])).rejects.toThrow(/at least 3 parts/);
    await expect(ask({ A: 'M|text|a|b' }, [])).rejects.toThrow(/needs 5 parts/);
    await expect(ask({ A: 'M|color|A' }, [])).rejects.toThrow(/Wrong type "color"/);
    await expect(ask({ A: 'M|range|A|1|' }, [])).rejects.toThrow(/must be min..max/);
    await expect(ask({ A: 'M|text|A' }, [])).rejects.toThrow('Input ended before a value for A was given; pass it with --user-inputs A=VALUE');
  });
});

describe('answers on the wire', () => {
  it('become KEY = "value" lines with quotes escaped', () => {
    expect(userInputsText([['A', 'say "x"'], ['B', '1']])).toBe('A = "say \\"x\\""\nB = "1"\n');
  });

  it('come from --user-inputs KEY=VAL,KEY2=VAL2', () => {
    expect(parseUserInputsOption('A=1,B=x=y')).toEqual([['A', '1'], ['B', 'x=y']]);
    expect(() => parseUserInputsOption('A')).toThrow(/KEY=VALUE/);
  });
});
