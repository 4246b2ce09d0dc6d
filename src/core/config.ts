/** What the use cases need from oned's configuration. */
export interface CoreConfig {
  dataDir: string;
  /** VM_SUBMIT_ON_HOLD: every new VM starts in HOLD. */
  submitOnHold: boolean;
  /** The TM driver of hosts whose template names none and whose VM_MAD names none. */
  defaultTm: string;
  /** The TM driver of each VM_MAD's hosts, when the host's template names none. */
  tmOfVmMad: Record<string, string>;
}
