import { Subject } from "../facts/model";

/** One problem found on one resource, before exemptions and enforcement are applied. */
export interface Finding {
  practice: number;
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

export interface Practice {
  number: number;
  title: string;
  /** Security Hub controls and AWS Config managed rules, or the closest named benchmark. */
  controls: string[];
}

/** The twelve practices of seed 003 and the controls that check them in AWS, where one exists. */
export const PRACTICES: Record<number, Practice> = {
  1: {
    number: 1,
    title: "Encrypt at rest with customer-managed KMS keys",
    controls: ["AWS Config dynamodb-table-encrypted-kms"],
  },
  2: {
    number: 2,
    title: "Enable point-in-time recovery",
    controls: ["Security Hub DynamoDB.2", "AWS Config dynamodb-pitr-enabled"],
  },
  3: {
    number: 3,
    title: "Enable deletion protection",
    controls: ["Security Hub DynamoDB.6", "AWS Config dynamodb-table-deletion-protection-enabled"],
  },
  4: {
    number: 4,
    title: "Least privilege and fine-grained access control",
    controls: ["IAM Access Analyzer (no Security Hub control)"],
  },
  5: {
    number: 5,
    title: "VPC gateway endpoints and network isolation",
    controls: ["AWS Config service-vpc-endpoint-enabled"],
  },
  6: {
    number: 6,
    title: "CloudTrail data events",
    controls: ["CIS AWS Foundations 3.x", "PCI-DSS 10 (no Security Hub control)"],
  },
  7: {
    number: 7,
    title: "Resource-based policies with Block Public Access",
    controls: ["DynamoDB Block Public Access (no Security Hub control)"],
  },
  8: {
    number: 8,
    title: "Encrypt DAX at rest and in transit",
    controls: [
      "Security Hub DynamoDB.3",
      "AWS Config dax-encryption-enabled",
      "Security Hub DynamoDB.7",
      "AWS Config dax-tls-endpoint-encryption",
    ],
  },
  9: {
    number: 9,
    title: "AWS Backup plans with copies elsewhere",
    controls: ["Security Hub DynamoDB.4", "AWS Config dynamodb-resources-protected-by-backup-plan"],
  },
  10: {
    number: 10,
    title: "Autoscaling or on-demand capacity",
    controls: ["Security Hub DynamoDB.1", "AWS Config dynamodb-autoscaling-enabled"],
  },
  11: { number: 11, title: "Least-privilege streams and consumers", controls: ["no Security Hub control"] },
  12: {
    number: 12,
    title: "Secure global tables in every region",
    controls: ["Security Hub DynamoDB.1-7 in every replica region"],
  },
};

export function subjectLabel(subject: Subject): string {
  if (subject === STACK_SUBJECT) return "The stack";
  return `${subject.type} "${subject.name}"`;
}

/** Set by our components on every child they create. */
export const MANAGED_BY_TAG = "dynamodb-hardened:managed-by";

/** The diagnostic text: practice, controls, resource, problem, fix. */
export function findingMessage(f: Finding): string {
  const practice = PRACTICES[f.practice];
  const controls = (f.controls ?? practice.controls).join(", ");
  const where = f.where ? ` (${f.where})` : "";
  const component = f.subject.tags.get(MANAGED_BY_TAG);
  const owner =
    typeof component === "string" && /^[A-Za-z][\w]*$/.test(component)
      ? ` This resource is made by the ${component} component: change the component's arguments, not the child.`
      : "";
  return `[practice ${f.practice}: ${practice.title}; ${controls}] ${subjectLabel(f.subject)}${where}: ${f.problem} Fix: ${f.fix}${owner}`;
}
