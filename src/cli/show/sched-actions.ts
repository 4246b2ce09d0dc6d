import type { Column } from '../output/table.js';
import { rubyFloat, timeToStr, toInt } from '../output/units.js';
import { str, type XmlObject } from '../xml.js';

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A TIME of `+N` is relative to the VM's start; anything else is an epoch. */
function actionTime(d: XmlObject, stime: number): number {
  const time = str(d, 'TIME') ?? '';
  return toInt(time) + (/^[0-9]/.test(time) ? 0 : stime);
}

const REPEAT_NAMES: Record<string, string> = { '0': 'Weekly ', '1': 'Monthly ', '2': 'Yearly ' };

function repeatStr(d: XmlObject): string {
  const repeat = str(d, 'REPEAT');
  const days = str(d, 'DAYS') ?? '';
  if (repeat === '3') return `Each ${days} hours`;
  return (REPEAT_NAMES[repeat ?? ''] ?? '') + days;
}

function endStr(d: XmlObject): string {
  const value = str(d, 'END_VALUE') ?? '';
  const byType: Record<string, () => string> = {
    '0': () => 'None',
    '1': () => `After ${value} times`,
    '2': () => `On ${timeToStr(toInt(value), { hours: false, years: true })}`,
  };
  return byType[str(d, 'END_TYPE') ?? '']?.() ?? '';
}

function statusStr(d: XmlObject, stime: number, now: number): string {
  const done = toInt(str(d, 'DONE'));
  if (done > 0 && toInt(str(d, 'REPEAT')) < 0) return `Done on ${timeToStr(done, { seconds: false })}`;
  const message = str(d, 'MESSAGE');
  if (message) return `Error! ${message}`;
  const left = actionTime(d, stime) - now;
  const days = round2(left / 86400);
  const hours = round2(left / 3600);
  const minutes = round2(left / 60);
  if (days > 1) return `Next in ${rubyFloat(days)} days`;
  if (hours > 1) return `Next in ${rubyFloat(hours)} hours`;
  if (minutes > 0) return `Next in ${rubyFloat(minutes)} minutes`;
  return 'Overdue!';
}

/** The SCHEDULED ACTIONS table of `onevm show`; `*` marks an action whose warning time has passed. */
export function schedActionColumns(stime: number, now: number): Column<XmlObject>[] {
  return [
    {
      name: 'ID', desc: '', size: 5, adjust: true,
      value: (d) => {
        const warn = toInt(str(d, 'WARNING'));
        const late = toInt(str(d, 'DONE')) <= 0 && warn !== 0 && warn < now;
        return (late ? '*' : '') + (str(d, 'ID') ?? '');
      },
    },
    { name: 'ACTION', desc: '', size: 5, adjust: true, value: (d) => str(d, 'ACTION') },
    { name: 'ARGS', desc: '', size: 5, adjust: true, value: (d) => str(d, 'ARGS') || '-' },
    {
      name: 'SCHEDULED', desc: '', size: 5, adjust: true,
      value: (d) => timeToStr(actionTime(d, stime), { seconds: false }),
    },
    { name: 'REPEAT', desc: '', size: 5, adjust: true, value: repeatStr },
    { name: 'END', desc: '', size: 5, adjust: true, value: endStr },
    { name: 'STATUS', desc: '', size: 50, left: true, value: (d) => statusStr(d, stime, now) },
  ];
}
