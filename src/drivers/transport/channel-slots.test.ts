import { describe, expect, it } from 'vitest';
import { ChannelSlots } from './channel-slots.js';

describe('ChannelSlots', () => {
  it('lets `limit` holders in and queues the rest in order', async () => {
    const slots = new ChannelSlots(2);
    const order: number[] = [];
    await slots.acquire();
    await slots.acquire();
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    expect(slots.queued).toBe(2);
    slots.release();
    await third;
    expect(order).toEqual([3]);
    slots.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('drops an aborted waiter from the queue without using a slot', async () => {
    const slots = new ChannelSlots(1);
    await slots.acquire();
    const abort = new AbortController();
    const waiting = slots.acquire(abort.signal);
    abort.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(slots.queued).toBe(0);
    slots.release();
    await slots.acquire();
  });

  it('refuses a limit below one', () => {
    expect(() => new ChannelSlots(0)).toThrow(/positive integer/);
  });
});
