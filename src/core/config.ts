/** What the use cases need from oned's configuration. */
export interface CoreConfig {
  dataDir: string;
  /** VM_SUBMIT_ON_HOLD: every new VM starts in HOLD. */
  submitOnHold: boolean;
  /** Default TM driver for hosts whose template names none. */
  defaultTm: string;
}
