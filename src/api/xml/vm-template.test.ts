import { describe, expect, it } from 'vitest';
import { poolXml } from './pool.js';
import { sampleVmTemplate, xsdErrors } from './test-fixtures.js';
import { vmTemplateToXml } from './vm-template.js';

describe('vmTemplateToXml', () => {
  it('is a valid vmtemplate.xsd and vmtemplate_pool.xsd document, locked or not', () => {
    const locked = vmTemplateToXml(sampleVmTemplate());
    const open = vmTemplateToXml({ ...sampleVmTemplate(), id: 8, lock: null });
    expect(xsdErrors('vmtemplate', locked)).toBeUndefined();
    expect(xsdErrors('vmtemplate_pool', poolXml('VMTEMPLATE_POOL', [locked, open]))).toBeUndefined();
    expect(locked).toContain('<NAME>debian &amp; co</NAME><LOCK><LOCKED>3</LOCKED>');
    expect(open).not.toContain('<LOCK>');
  });

  it('renders the template sorted, vectors with their sub-attributes', () => {
    expect(vmTemplateToXml(sampleVmTemplate())).toContain(
      '<TEMPLATE><CPU>1</CPU><DISK><IMAGE>debian 12</IMAGE><IMAGE_UNAME>alice</IMAGE_UNAME></DISK><MEMORY>1024</MEMORY><NIC><NETWORK>private</NETWORK></NIC></TEMPLATE>',
    );
  });
});
