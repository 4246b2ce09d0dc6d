import type { Command } from 'commander';
import { octetToBits } from './args.js';
import { fetchObject, forEachId, forOneId, printRaw, templateInput } from './commands.js';
import { templateText } from './output/template-text.js';
import { subcommand, type Define } from './program.js';
import type { Kind } from './resolve.js';
import { at, type XmlObject } from './xml.js';

type On = Parameters<Define>[1];

/** How a command names one kind of object: `one.image` methods, "Image" in help, `<imageid>` arguments. */
export interface ObjectKind {
  kind: Kind;
  /** The XML-RPC method prefix, e.g. one.image. */
  api: string;
  /** The word in help texts, e.g. Image. */
  label: string;
  /** The argument naming a list of objects, e.g. <range|imageid_list>. */
  ids: string;
  /** The argument naming one object, e.g. <imageid>. */
  id: string;
  /** Help of chmod's -R/--recursive, for objects whose chmod can reach what they refer to (templates). */
  recursiveChmod?: string;
}

/** chgrp, chown and chmod, the same for every owned object (OpenNebula's CLI has them all alike). */
export function ownershipCommands(program: Command, on: On, o: ObjectKind): void {
  on(subcommand(program, `chgrp ${o.ids} <groupid>`, `Changes the ${o.label} group`), async (c, [ids, group]) => {
    const gid = await (await c.resolver()).id('GROUP', group);
    return forEachId(c, o.kind, ids, 'Group changed', (id) => c.call(`${o.api}.chown`, id, -1, gid));
  });

  on(subcommand(program, `chown ${o.ids} <userid> [groupid]`, `Changes the ${o.label} owner and group`), async (c, [ids, user, group]) => {
    const r = await c.resolver();
    const uid = await r.id('USER', user);
    const gid = group !== undefined ? await r.id('GROUP', group) : -1;
    return forEachId(c, o.kind, ids, 'Owner/Group changed', (id) => c.call(`${o.api}.chown`, id, uid, gid));
  });

  const chmod = subcommand(program, `chmod ${o.ids} <octet>`, `Changes the ${o.label} permissions, e.g. 640`);
  if (o.recursiveChmod) chmod.option('-R, --recursive', o.recursiveChmod);
  on(chmod, (c, [ids, octet]) => {
    const bits = octetToBits(octet);
    const recursive = o.recursiveChmod ? [c.opts.recursive === true] : [];
    return forEachId(c, o.kind, ids, 'Permissions changed', (id) => c.call(`${o.api}.chmod`, id, ...bits, ...recursive));
  });
}

/** show ID [-x|-j]: the object's document, raw or as `render` lays it out. */
export function showCommand(program: Command, on: On, o: ObjectKind, render: (obj: XmlObject, tty: boolean) => string): void {
  on(subcommand(program, `show ${o.id}`, `Shows information for the given ${o.label}`)
    .option('-x, --xml', 'Show the resource in xml format')
    .option('-j, --json', 'Show the resource in JSON format'),
  async (c, [arg]) => {
    const id = await (await c.resolver()).id(o.kind, arg);
    const { xml, obj } = await fetchObject(c, o.kind, `${o.api}.info`, id);
    if (!printRaw(c, xml)) c.out(render(obj, c.tty));
  });
}

/** update ID [FILE] [--append]: the object's TEMPLATE replaced or merged; without a file, the editor. */
export function updateCommand(program: Command, on: On, o: ObjectKind, done = 'updated'): void {
  on(subcommand(program, `update ${o.id} [file]`, 'Updates the template contents; without a file the editor opens on the current ones')
    .option('-a, --append', 'Append new attributes to the current template'),
  (c, [arg, file]) =>
    forOneId(c, o.kind, arg, done, async (id) => {
      const append = c.opts.append === true;
      const text = await templateInput(c, file, async () => {
        if (append) return '';
        const { obj } = await fetchObject(c, o.kind, `${o.api}.info`, id);
        return templateText(at(obj, 'TEMPLATE'));
      });
      await c.call(`${o.api}.update`, id, text, append ? 1 : 0);
    }),
  );
}
