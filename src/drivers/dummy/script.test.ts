import { describe, expect, it } from 'vitest';
import { DriverError } from '../types.js';
import { parseActionScript, playScript, scriptFor } from './script.js';
import { fakeSleep, host, settlement } from '../test-fixtures.js';

describe('parseActionScript', () => {
  it.each([
    ['success', { outcome: 'success', delaySeconds: 0 }],
    ['success 2', { outcome: 'success', delaySeconds: 2 }],
    ['  SUCCESS   1.5 ', { outcome: 'success', delaySeconds: 1.5 }],
    ['failure', { outcome: 'failure', delaySeconds: 0, message: '' }],
    ['failure 0 guest is stuck', { outcome: 'failure', delaySeconds: 0, message: 'guest is stuck' }],
    ['failure 3', { outcome: 'failure', delaySeconds: 3, message: '' }],
    ['failure host unreachable', { outcome: 'failure', delaySeconds: 0, message: 'host unreachable' }],
    ['never', { outcome: 'never' }],
    ['-', { outcome: 'never' }],
  ])('reads %j', (spec, expected) => {
    expect(parseActionScript(spec)).toEqual(expected);
  });

  it.each([
    ['sucess 2', '"sucess" is not an outcome'],
    ['', 'it is empty'],
    ['success soon', '"soon" is not a delay in seconds'],
    ['success -1', '"-1" is not a delay in seconds'],
    ['success 1 2', '"success" takes only a delay, not "2"'],
    ['never 3', '"never" takes nothing after it, not "3"'],
  ])('rejects %j saying what is wrong', (spec, reason) => {
    expect(() => parseActionScript(spec)).toThrow(reason);
  });
});

describe('scriptFor', () => {
  it('is undefined for a host without DUMMY_ACTIONS or an action it does not script', () => {
    expect(scriptFor(host(1), 'DEPLOY')).toBeUndefined();
    expect(scriptFor(host(1, { DUMMY_ACTIONS: { SAVE: 'never' } }), 'DEPLOY')).toBeUndefined();
  });

  it('finds the action\'s script in the host\'s DUMMY_ACTIONS', () => {
    const h = host(1, { dummy_actions: { deploy: 'success 4' } });
    expect(scriptFor(h, 'DEPLOY')).toEqual({ outcome: 'success', delaySeconds: 4 });
  });

  it('names the action, the host and the fix when a spec is malformed', () => {
    const h = host(3, { DUMMY_ACTIONS: { DEPLOY: 'succes 2' } });
    expect(() => scriptFor(h, 'DEPLOY')).toThrow(DriverError);
    expect(() => scriptFor(h, 'DEPLOY')).toThrow(
      'DUMMY_ACTIONS/DEPLOY = "succes 2" of host host3 is malformed: "succes" is not an outcome; write "success',
    );
  });

  it('fails every action while a key is misspelt', () => {
    const h = host(1, { DUMMY_ACTIONS: { DEPLOI: 'failure', SAVE: 'never' } });
    expect(() => scriptFor(h, 'SAVE')).toThrow('scripts an unknown action DEPLOI; use one of DEPLOY, SHUTDOWN');
  });
});

describe('playScript', () => {
  it('resolves at once when unscripted', async () => {
    const { sleep, waits } = fakeSleep();
    await playScript(host(1), 'DEPLOY', sleep);
    expect(waits).toEqual([]);
  });

  it('waits the scripted delay before succeeding or failing', async () => {
    const { sleep, waits } = fakeSleep();
    const h = host(1, { DUMMY_ACTIONS: { DEPLOY: 'success 2', SAVE: 'failure 0.5 disk full' } });
    await playScript(h, 'DEPLOY', sleep);
    await expect(playScript(h, 'SAVE', sleep)).rejects.toThrow('disk full');
    expect(waits).toEqual([2000, 500]);
  });

  it('fails with a default message naming the action and host', async () => {
    const h = host(5, { DUMMY_ACTIONS: { REBOOT: 'failure' } });
    await expect(playScript(h, 'REBOOT', fakeSleep().sleep)).rejects.toThrow(
      'REBOOT failed on host host5, as its DUMMY_ACTIONS scripts',
    );
  });

  it('never settles on "never" or "-"', async () => {
    const h = host(1, { DUMMY_ACTIONS: { SAVE: 'never', RESTORE: '-' } });
    expect(await settlement(playScript(h, 'SAVE', fakeSleep().sleep))).toBe('pending');
    expect(await settlement(playScript(h, 'RESTORE', fakeSleep().sleep))).toBe('pending');
  });
});
