import { createHash } from 'node:crypto';
import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import type { Store } from '../store/store.js';

/** SHA-256 hex, as OpenNebula stores core passwords. */
export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Resolves a session string `user:password` to the requester, or throws AUTHENTICATION. */
export async function authenticate(store: Store, session: string): Promise<Requester> {
  const colon = session.indexOf(':');
  const fail = () => new OneError(ErrorCode.AUTHENTICATION, "User couldn't be authenticated, aborting call.");
  if (colon <= 0) throw fail();
  const user = await store.read.getUserByName(session.slice(0, colon));
  const secret = session.slice(colon + 1);
  // Clients send the password in clear, or its hash (as OpenNebula's own tools may).
  if (!user || !user.enabled || (user.password !== sha256(secret) && user.password !== secret)) throw fail();
  return { uid: user.id, gid: user.gid, groups: user.groups, uname: user.name, gname: user.gname };
}
