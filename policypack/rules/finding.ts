import { MANAGED_BY_TAG } from "../contract";
import { Subject } from "../facts/model";
import { Practice } from "./practice";

/** One problem found on one resource, before exemptions and enforcement are applied. */
export interface Finding {
  practice: Practice;
  subject: Subject;
  /** The part of the resource at fault: `replica eu-west-1`, `statement 2`, a property path. */
  where?: string;
  problem: string;
  fix: string;
  /** Controls that apply to this finding when they differ from the practice's default (DAX has two). */
  controls?: string[];
  /**
   * A stack-wide finding about several resources (reported once, on the stack): the resources it names, each
   * subject to exemptions, and the problem worded for those that remain.
   */
  group?: { subjects: Subject[]; problem: (names: string[]) => string };
}

/** The subject of a stack-wide finding. */
export const STACK_SUBJECT: Subject = {
  urn: "",
  name: "stack",
  type: "pulumi:pulumi:Stack",
  tags: new Map(),
  tagsUnknown: false,
};

export function subjectLabel(subject: Subject): string {
  if (subject === STACK_SUBJECT) return "The stack";
  return `${subject.type} "${subject.name}"`;
}

/** The diagnostic text: practice, controls, resource, problem, fix. */
export function findingMessage(f: Finding): string {
  const practice = f.practice;
  const controls = (f.controls ?? practice.controls).join(", ");
  const where = f.where ? ` (${f.where})` : "";
  const component = f.subject.tags.get(MANAGED_BY_TAG);
  const owner =
    typeof component === "string" && /^[A-Za-z][\w]*$/.test(component)
      ? ` This resource is made by the ${component} component: change the component's arguments, not the child.`
      : "";
  return `[practice ${practice.number}: ${practice.title}; ${controls}] ${subjectLabel(f.subject)}${where}: ${f.problem} Fix: ${f.fix}${owner}`;
}
