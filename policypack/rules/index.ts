import { PackResourcePolicy } from "../policies";
import * as p01 from "./p01Encryption";
import * as p02 from "./p02PointInTimeRecovery";
import * as p03 from "./p03DeletionProtection";
import * as p04 from "./p04LeastPrivilege";
import * as p05 from "./p05NetworkIsolation";
import * as p06 from "./p06DataEvents";
import * as p07 from "./p07PublicAccess";
import * as p08 from "./p08DaxEncryption";
import * as p09 from "./p09Backup";
import * as p10 from "./p10Capacity";
import * as p11 from "./p11Streams";
import * as p12 from "./p12GlobalTables";
import { Practice } from "./practice";
import { StackCheck } from "./stackPolicy";

/** What a practice module declares: the practice, its resource policies and its checks across the stack. */
export interface PracticeModule {
  practice: Practice;
  policies?: PackResourcePolicy[];
  stackChecks?: StackCheck[];
}

/** Every practice the pack checks, in order. Adding a practice is adding its module here. */
export const PRACTICE_MODULES: PracticeModule[] = [
  p01,
  p02,
  p03,
  p04,
  p05,
  p06,
  p07,
  p08,
  p09,
  p10,
  p11,
  p12,
];
