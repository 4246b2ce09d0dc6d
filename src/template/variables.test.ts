import { describe, expect, it } from 'vitest';
import { substituteVariables, type VariableRef } from './variables.js';

const seen: VariableRef[] = [];
const values: Record<string, string> = { NAME: 'web', 'NIC.IP': '10.0.0.1', 'NIC.IP.NETWORK=public': '1.2.3.4' };
const resolve = (r: VariableRef) => {
  seen.push(r);
  return values[[r.name, r.sub, r.filter && `${r.filter.key}=${r.filter.value}`].filter(Boolean).join('.')];
};

describe('substituteVariables', () => {
  it('replaces plain, vector and filtered references, case-insensitively', () => {
    expect(substituteVariables('host-$name', resolve)).toBe('host-web');
    expect(substituteVariables('ip=$NIC[IP]', resolve)).toBe('ip=10.0.0.1');
    expect(substituteVariables('$NIC[ IP, NETWORK = "public" ]!', resolve)).toBe('1.2.3.4!');
    expect(substituteVariables('$NIC[IP, NETWORK=public]', resolve)).toBe('1.2.3.4');
  });

  it('replaces what nothing resolves with an empty string and leaves other text alone', () => {
    expect(substituteVariables('a $MISSING b', resolve)).toBe('a  b');
    expect(substituteVariables('cost: 5$ and $', resolve)).toBe('cost: 5$ and $');
    expect(substituteVariables('no variables', resolve)).toBe('no variables');
  });
});
